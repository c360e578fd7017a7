// Test doubles of the engine's ports, for the engine's own unit tests (not exported).
import { defineError, TimeoutError, type DiveError } from '@dive/errors';
import { errAsync, okAsync, type ResultAsync } from 'neverthrow';
import type { DeployEvent, DeploymentStateName } from '../events.js';
import { createFakeClock } from '@dive/errors/testing';
import { silentLogger } from '../logger.js';
import type { Runtime, ServiceHandle, ServiceStatus, StartRequest } from '../runtime/types.js';
import type { EngineContext } from './context.js';
import type {
  CheckpointPayload,
  EngineLocks,
  EngineState,
  HealthWaiter,
  InstanceState,
  LockLease,
  StartPolicy,
} from './ports.js';

class InvalidTransitionError extends defineError('InvalidTransitionError') {}
class LockTimeoutError extends defineError('LockTimeoutError') {}
class ContainerStartFailedError extends defineError('ContainerStartFailedError') {}
class CheckpointNotFoundError extends defineError('CheckpointNotFoundError') {}

const EDGES: Record<DeploymentStateName, DeploymentStateName[]> = {
  UNKNOWN: ['INITIALIZING'],
  INITIALIZING: ['DEPLOYING', 'FAILED'],
  DEPLOYING: ['CONFIGURING', 'FAILED'],
  CONFIGURING: ['VERIFYING', 'FAILED'],
  VERIFYING: ['COMPLETE', 'FAILED'],
  COMPLETE: ['INITIALIZING', 'ROLLING_BACK', 'CLEANUP'],
  FAILED: ['ROLLING_BACK', 'INITIALIZING'],
  ROLLING_BACK: ['CLEANUP', 'FAILED'],
  CLEANUP: ['COMPLETE', 'UNKNOWN'],
};

export function fakeState() {
  const states = new Map<string, InstanceState>();
  const history: { instance: string; from: DeploymentStateName; to: DeploymentStateName; reason: string }[] = [];
  const checkpoints = new Map<string, { instance: string; payload: CheckpointPayload; createdAt: number }>();
  let n = 0;
  const store: EngineState = {
    getState: (i) => okAsync(states.get(i) ?? { state: 'UNKNOWN', version: 0 }),
    transition: (i, to, o) => {
      const cur = states.get(i) ?? { state: 'UNKNOWN' as const, version: 0 };
      if (!EDGES[cur.state].includes(to)) return errAsync(new InvalidTransitionError(`${cur.state} → ${to}`));
      const next = { state: to, version: cur.version + 1, deploymentId: o.deploymentId };
      states.set(i, next);
      history.push({ instance: i, from: cur.state, to, reason: o.reason });
      return okAsync(next);
    },
    createCheckpoint: (instance, payload) => {
      const id = `cp-${++n}`;
      checkpoints.set(id, { instance, payload, createdAt: n });
      return okAsync(id);
    },
    getCheckpoint: (id) => {
      const c = checkpoints.get(id);
      return c ? okAsync(c.payload) : errAsync(new CheckpointNotFoundError(id));
    },
    listCheckpoints: (instance) =>
      okAsync(
        [...checkpoints.entries()]
          .filter(([, c]) => c.instance === instance)
          .sort(([, a], [, b]) => b.createdAt - a.createdAt)
          .map(([id, c]) => ({ id, createdAt: String(c.createdAt), state: c.payload.state })),
      ),
    pruneCheckpoints: (instance, keep) => {
      const mine = [...checkpoints.entries()]
        .filter(([, c]) => c.instance === instance)
        .sort(([, a], [, b]) => b.createdAt - a.createdAt);
      for (const [id] of mine.slice(keep)) checkpoints.delete(id);
      return okAsync(Math.max(0, mine.length - keep));
    },
    recordStep: () => okAsync(undefined),
    recordError: () => okAsync(undefined),
  };
  return { store, states, history, checkpoints };
}

export function fakeLocks(): EngineLocks & { held: Set<string> } {
  const held = new Set<string>();
  let token = 0;
  return {
    held,
    acquire: (type, resource) => {
      const key = `${type}/${resource}`;
      if (held.has(key)) return errAsync(new LockTimeoutError(`${key} held`));
      held.add(key);
      const lease: LockLease = {
        fencingToken: ++token,
        isHeld: true,
        onLost: () => ({ [Symbol.dispose]: () => undefined }),
        release: () => {
          held.delete(key);
          return okAsync(undefined);
        },
      };
      return okAsync(lease);
    },
  };
}

/** An instant runtime: `failStarts[name] = k` fails the first k starts; `exitAfterStart` makes a service exit. */
export function fakeRuntime(options: { failStarts?: Record<string, number>; neverHealthy?: Set<string> } = {}) {
  const running = new Map<string, ServiceHandle>();
  const starts: string[] = [];
  const stops: string[] = [];
  const failures = { ...options.failStarts };
  let id = 0;
  const runtime: Runtime & { running: typeof running; starts: string[]; stops: string[]; neverHealthy: Set<string> } = {
    name: 'fake',
    running,
    starts,
    stops,
    neverHealthy: options.neverHealthy ?? new Set(),
    ping: () => okAsync(undefined),
    preflight: () => okAsync(undefined),
    start: (r: StartRequest) => {
      starts.push(r.service);
      if ((failures[r.service] ?? 0) > 0) {
        failures[r.service] = (failures[r.service] ?? 0) - 1;
        return errAsync(new ContainerStartFailedError(`${r.service} failed to start`));
      }
      const handle: ServiceHandle = {
        runtime: 'fake',
        instance: r.instance,
        service: r.service,
        id: String(++id),
        name: r.service,
        deploymentId: r.deploymentId,
        configHash: r.configHash,
        startedAt: new Date().toISOString(),
      };
      if (r.kind === 'service') running.set(`${r.instance}/${r.service}`, handle);
      return okAsync(handle);
    },
    status: (h): ResultAsync<ServiceStatus, DiveError> =>
      okAsync(running.get(`${h.instance}/${h.service}`)?.id === h.id ? { state: 'running' } : { state: 'missing' }),
    stop: (h) => {
      if (running.get(`${h.instance}/${h.service}`)?.id === h.id) {
        running.delete(`${h.instance}/${h.service}`);
        stops.push(h.service);
      }
      return okAsync(undefined);
    },
    list: (instance) => okAsync([...running.values()].filter((h) => h.instance === instance)),
    logs: () => okAsync(['log']),
    onExit: () => ({ [Symbol.dispose]: () => undefined }),
    [Symbol.asyncDispose]: async () => undefined,
  };
  return runtime;
}

/** Attempts without delays, no breaker. */
export const instantPolicy: StartPolicy = {
  run: (_key, retry, _breaker, attempt) => {
    const go = (n: number): ResultAsync<unknown, DiveError> =>
      attempt(n, undefined).orElse((e) => (n < retry.attempts ? go(n + 1) : errAsync(e)));
    return go(1) as never;
  },
  openBreakers: () => [],
  breakerCount: () => 0,
};

/** Healthy when the fake runtime says it runs, unless it is in the fake runtime's `neverHealthy`. */
export const statusHealthFor = (fake: { readonly neverHealthy: Set<string> }): HealthWaiter => ({
  wait: (runtime, handle, _checks, o) => {
    if (o.kind === 'job') return okAsync('completed');
    const never = fake.neverHealthy;
    if (never.has(handle.service) || never.has(`${handle.service}@${handle.configHash}`))
      return errAsync(new TimeoutError(`${handle.service} never healthy`));
    return runtime
      .status(handle)
      .andThen((s) =>
        s.state === 'running'
          ? okAsync('healthy' as const)
          : errAsync(new TimeoutError(`${handle.service} not running`)),
      );
  },
});

export function fakeContext(overrides: Partial<EngineContext> = {}) {
  const state = fakeState();
  const locks = fakeLocks();
  const runtime = (overrides.runtime as ReturnType<typeof fakeRuntime> | undefined) ?? fakeRuntime();
  const events: DeployEvent[] = [];
  const clock = createFakeClock(1_700_000_000_000);
  const ctx: EngineContext = {
    runtime,
    state: state.store,
    locks,
    policy: instantPolicy,
    health: statusHealthFor(runtime),
    logger: silentLogger,
    onEvent: (e) => events.push(e),
    // Every reading advances 10 ms, so durations are positive and ordered; timers fire only when they fall due.
    clock: {
      ...clock,
      now: () => {
        clock.advance(10);
        return clock.now();
      },
    },
    env: { DB_PASSWORD: 'hunter2' },
    actor: 'test',
    lockTimeoutMs: 100,
    ...overrides,
  };
  return { ctx, state, locks, clock, runtime: ctx.runtime as ReturnType<typeof fakeRuntime>, events };
}
