import { CancelledError, type DiveError } from '@dive/errors';
import { errAsync, okAsync, ResultAsync } from 'neverthrow';
import { ContainerStartFailedError, ImageMissingError } from '../runtime/errors.js';
import type { Disposable, Runtime, ServiceHandle, ServiceStatus, StartRequest } from '../runtime/types.js';

type Exited = Extract<ServiceStatus, { state: 'exited' }>;

/** How a service behaves once started in the {@link memoryRuntime}. */
export interface MemoryServiceBehaviour {
  /** Exit on its own this many ms after starting (jobs default to 0: they complete at once). */
  readonly exitAfterMs?: number;
  /** The exit code used by `exitAfterMs` (default 1 for services, 0 for jobs). */
  readonly exitCode?: number;
  /** Log lines the service "prints" when started (default `['<service> started']`). */
  readonly logs?: readonly string[];
}

/** Options of {@link memoryRuntime}. Every knob can also be changed later through the returned object. */
export interface MemoryRuntimeOptions {
  /** Recorded in handles (default `memory`). */
  readonly name?: string;
  /** Time a start takes, in ms (default 0: the start resolves on the next microtask, no timer). */
  readonly startDelayMs?: number;
  /** Probability in [0, 1] that any start attempt fails with ContainerStartFailedError (default 0). */
  readonly failRate?: number;
  /** The random source for `failRate`, returning [0, 1) (default `Math.random`); inject a seeded one in tests. */
  readonly random?: () => number;
  /** Service name → number of its first start attempts that fail (transiently). */
  readonly failFirst?: Readonly<Record<string, number>>;
  /** Service name → how it behaves once started (exit after T ms, exit code, log lines). */
  readonly behaviour?: Readonly<Record<string, MemoryServiceBehaviour>>;
  /** Images reported missing: a start or preflight of a container with one of them fails with ImageMissingError. */
  readonly missingImages?: readonly string[];
}

/** A service the {@link memoryRuntime} holds, as its tests may inspect it. */
export interface MemoryService {
  readonly handle: ServiceHandle;
  readonly request: Omit<StartRequest, 'signal'>;
  status: ServiceStatus;
  readonly logs: string[];
}

/** The in-memory runtime: a {@link Runtime} plus controls for tests. */
export interface MemoryRuntime extends Runtime {
  /** Services currently held (running or exited, not yet stopped), by handle id. */
  readonly services: ReadonlyMap<string, MemoryService>;
  /** Start attempts so far, per service name (failed ones included). */
  readonly startAttempts: ReadonlyMap<string, number>;
  /** Make the next `count` start attempts of `service` fail. */
  failNextStarts(service: string, count: number): void;
  /** Report `image` as missing (or present again with `missing = false`). */
  setImageMissing(image: string, missing?: boolean): void;
  /** Set the probability that a start attempt fails. */
  setFailRate(rate: number): void;
  /**
   * Make a running service exit now with `exitCode` (a crash); its `onExit` listeners fire synchronously.
   * @returns whether a running service with that handle id (or, failing that, service name) was found
   */
  exit(idOrService: string, exitCode?: number, options?: { readonly oomKilled?: boolean }): boolean;
}

function checkRate(rate: number): void {
  if (!(rate >= 0 && rate <= 1)) throw new RangeError(`memoryRuntime: failRate must be in [0, 1], got ${rate}`);
}

/**
 * An instant, in-memory {@link Runtime} for tests and benchmarks: nothing is spawned, a start succeeds on the next
 * microtask (or after `startDelayMs`), and failures are injected on purpose: the first N starts of a service, a
 * failure probability from an injectable random source, a service that exits after T ms, a missing image. It
 * passes the same contract suite as `dockerRuntime()` and `processRuntime()`.
 *
 * @param options - delays and injected failures; see {@link MemoryRuntimeOptions}
 * @returns a {@link MemoryRuntime}: `start` gives a handle or ContainerStartFailedError (3001),
 *   ImageMissingError (3004), CancelledError (8002); `preflight` gives ImageMissingError (3004); the others never fail
 * @throws RangeError if `failRate` is outside [0, 1] or `startDelayMs` is negative
 * @example
 * ```ts
 * import { memoryRuntime } from '@dive/orchestrator/testing';
 * const runtime = memoryRuntime({ failFirst: { keycloak: 2 } });
 * const first = await runtime.start(request); // Err(ContainerStartFailedError)
 * ```
 */
export function memoryRuntime(options: MemoryRuntimeOptions = {}): MemoryRuntime {
  const name = options.name ?? 'memory';
  const startDelayMs = options.startDelayMs ?? 0;
  if (!(startDelayMs >= 0)) throw new RangeError(`memoryRuntime: startDelayMs must be >= 0, got ${startDelayMs}`);
  let failRate = options.failRate ?? 0;
  checkRate(failRate);
  const random = options.random ?? Math.random;
  const failures = new Map<string, number>(Object.entries(options.failFirst ?? {}));
  const missing = new Set(options.missingImages ?? []);
  const services = new Map<string, MemoryService>();
  const attempts = new Map<string, number>();
  const listeners = new Map<string, Set<(s: Exited) => void>>();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let seq = 0;

  const later = (ms: number, fn: () => void): void => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };

  const markExited = (id: string, status: Exited): boolean => {
    const svc = services.get(id);
    if (svc?.status.state !== 'running') return false;
    svc.status = status;
    svc.logs.push(`exited with code ${status.exitCode}`);
    const ls = listeners.get(id);
    listeners.delete(id);
    for (const l of ls ?? []) l(status);
    return true;
  };

  const imageMissing = (r: StartRequest): ImageMissingError | undefined =>
    r.container?.image !== undefined && missing.has(r.container.image)
      ? new ImageMissingError(
          `image ${r.container.image} of ${r.instance}/${r.service} is not present (memory runtime)`,
          {
            context: { instance: r.instance, service: r.service, image: r.container.image },
          },
        )
      : undefined;

  const doStart = (r: StartRequest): ResultAsync<ServiceHandle, DiveError> => {
    if (r.signal?.aborted === true) {
      return errAsync(
        new CancelledError(`start of ${r.instance}/${r.service} cancelled`, { context: { service: r.service } }),
      );
    }
    attempts.set(r.service, (attempts.get(r.service) ?? 0) + 1);
    const missingError = imageMissing(r);
    if (missingError !== undefined) return errAsync(missingError);
    const left = failures.get(r.service) ?? 0;
    const injected = left > 0 || (failRate > 0 && random() < failRate);
    if (left > 0) failures.set(r.service, left - 1);
    if (injected) {
      return errAsync(
        new ContainerStartFailedError(`memory runtime: injected start failure of ${r.instance}/${r.service}`, {
          context: { instance: r.instance, service: r.service, injected: true },
        }),
      );
    }
    const id = `mem-${++seq}`;
    const handle: ServiceHandle = {
      runtime: name,
      instance: r.instance,
      service: r.service,
      id,
      name: `${name}-${r.instance}-${r.service}-${seq}`.toLowerCase(),
      deploymentId: r.deploymentId,
      configHash: r.configHash,
      startedAt: new Date().toISOString(),
    };
    const behaviour = options.behaviour?.[r.service];
    const { signal: _signal, ...request } = r;
    services.set(id, {
      handle,
      request,
      status: { state: 'running' },
      logs: [...(behaviour?.logs ?? [`${r.service} started`])],
    });
    const exitAfter = behaviour?.exitAfterMs ?? (r.kind === 'job' ? 0 : undefined);
    if (exitAfter !== undefined) {
      const exitCode = behaviour?.exitCode ?? (r.kind === 'job' ? 0 : 1);
      later(exitAfter, () => markExited(id, { state: 'exited', exitCode }));
    }
    return okAsync(handle);
  };

  const runtime: MemoryRuntime = {
    name,
    services,
    startAttempts: attempts,
    ping: () => okAsync(undefined),
    preflight: (requests) => {
      for (const r of requests) {
        const e = imageMissing(r);
        if (e !== undefined) return errAsync(e);
      }
      return okAsync(undefined);
    },
    start: (r) =>
      startDelayMs === 0
        ? doStart(r)
        : ResultAsync.fromSafePromise(
            new Promise<void>((resolve) => {
              later(startDelayMs, resolve);
            }),
          ).andThen(() => doStart(r)),
    status: (h) => okAsync(services.get(h.id)?.status ?? { state: 'missing' }),
    stop: (h) => {
      const svc = services.get(h.id);
      if (svc?.status.state === 'running') markExited(h.id, { state: 'exited', exitCode: 143, signal: 'SIGTERM' });
      services.delete(h.id);
      listeners.delete(h.id);
      return okAsync(undefined);
    },
    list: (instance) =>
      okAsync([...services.values()].filter((s) => s.handle.instance === instance).map((s) => s.handle)),
    logs: (h, o) => {
      const lines = services.get(h.id)?.logs ?? [];
      return okAsync(o?.tail === undefined ? [...lines] : lines.slice(-o.tail));
    },
    onExit: (h, listener): Disposable => {
      let active = true;
      const once = (s: Exited): void => {
        if (!active) return;
        active = false;
        listener(s);
      };
      const status = services.get(h.id)?.status;
      if (status?.state === 'exited') {
        queueMicrotask(() => {
          once(status);
        });
      } else if (status?.state === 'running') {
        const set = listeners.get(h.id) ?? new Set();
        set.add(once);
        listeners.set(h.id, set);
      }
      return {
        [Symbol.dispose]: () => {
          active = false;
          listeners.get(h.id)?.delete(once);
        },
      };
    },
    failNextStarts: (service, count) => {
      failures.set(service, (failures.get(service) ?? 0) + count);
    },
    setImageMissing: (image, isMissing = true) => {
      if (isMissing) missing.add(image);
      else missing.delete(image);
    },
    setFailRate: (rate) => {
      checkRate(rate);
      failRate = rate;
    },
    exit: (idOrService, exitCode = 1, o = {}) => {
      const byId = services.get(idOrService);
      const target =
        byId ?? [...services.values()].find((s) => s.handle.service === idOrService && s.status.state === 'running');
      if (target === undefined) return false;
      return markExited(target.handle.id, {
        state: 'exited',
        exitCode,
        ...(o.oomKilled === undefined ? {} : { oomKilled: o.oomKilled }),
      });
    },
    [Symbol.asyncDispose]: () => {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      listeners.clear();
      return Promise.resolve();
    },
  };
  return runtime;
}
