import { errAsync, ResultAsync } from 'neverthrow';
import { RuntimeUnavailableError } from '../runtime/errors.js';
import type { Runtime, StartRequest } from '../runtime/types.js';
import { memoryRuntime, type MemoryRuntime } from '../testing/memory-runtime.js';
import type { Topology } from '../topology/types.js';
import type { Fleet, FleetWave } from './types.js';

/** A hub (db → api → web) or a spoke (api), as process services the memory runtime "runs". */
export function topology(instance: string, services: readonly string[] = ['db', 'api', 'web']): Topology {
  return {
    instance,
    defaults: { retry: { policy: 'none', attempts: 1 } },
    services: Object.fromEntries(
      services.map((s, i) => [
        s,
        { process: { command: s }, ...(i === 0 ? {} : { dependsOn: [services[i - 1] as string] }) },
      ]),
    ),
  };
}

/** A fleet of the given waves; the first instance is a hub, the others spokes of one service. */
export function fleetOf(waves: readonly FleetWave[], extra: Partial<Fleet> = {}): Fleet {
  const codes = waves.flatMap((w) => w.instances);
  return {
    name: `fleet-${codes.join('-').toLowerCase()}`,
    instances: Object.fromEntries(codes.map((c, i) => [c, { topology: topology(c, i === 0 ? undefined : ['api']) }])),
    waves,
    ...extra,
  };
}

/** Start requests in the order they began, and a way to hold starts until released. */
export interface Held {
  readonly started: StartRequest[];
  /** Hold every start whose `instance/service` matches until `release()`. */
  hold(match: (r: StartRequest) => boolean): void;
  release(): void;
}

/** A memory runtime per instance (shared start log), optionally holding starts; `unreachable` instances fail ping. */
export function runtimes(unreachable: readonly string[] = []): {
  readonly runtimeFor: (instance: string) => Runtime;
  readonly held: Held;
  readonly inner: Map<string, MemoryRuntime>;
} {
  const started: StartRequest[] = [];
  let match: ((r: StartRequest) => boolean) | undefined;
  let waiters: (() => void)[] = [];
  const held: Held = {
    started,
    hold: (m) => {
      match = m;
    },
    release: () => {
      match = undefined;
      for (const w of waiters.splice(0)) w();
    },
  };
  const inner = new Map<string, MemoryRuntime>();
  const runtimeFor = (instance: string): Runtime => {
    const rt = memoryRuntime();
    inner.set(instance, rt);
    const wrapped: Runtime = Object.create(rt) as Runtime;
    return Object.assign(wrapped, {
      ping: () =>
        unreachable.includes(instance)
          ? errAsync(new RuntimeUnavailableError(`host of ${instance} unreachable`, { context: { instance } }))
          : rt.ping(),
      preflight: (rs: readonly StartRequest[]) =>
        unreachable.includes(instance)
          ? errAsync(new RuntimeUnavailableError(`host of ${instance} unreachable`, { context: { instance } }))
          : rt.preflight(rs),
      start: (r: StartRequest) => {
        started.push(r);
        if (match?.(r) !== true) return rt.start(r);
        return new ResultAsync(new Promise<void>((resolve) => waiters.push(resolve)).then(() => rt.start(r)));
      },
    });
  };
  waiters = [];
  return { runtimeFor, held, inner };
}
