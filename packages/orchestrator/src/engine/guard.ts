import { UnexpectedError, type Clock, type DiveError } from '@dive/errors';
import { errAsync, okAsync, type ResultAsync } from 'neverthrow';
import type { Runtime, ServiceHandle, StartRequest } from '../runtime/types.js';
import { bounded, type CallSite } from './bounded.js';
import type { EngineLocks, EngineState, HealthWaiter, LockLease } from './ports.js';

/** The deadlines of one guarded view of the ports. */
export interface GuardOptions {
  readonly clock: Clock;
  /** Deadline of a runtime or store call that has no deadline of its own. */
  readonly callMs: number;
  /** Aborting it abandons the runtime calls in flight (store calls finish: a failure must still be recorded). */
  readonly signal?: AbortSignal;
  /** The deadline of one service's start call (its `startTimeoutMs`); default `callMs`. */
  readonly startMs?: (request: StartRequest) => number | undefined;
  /** A start that answered after its deadline: the service runs although nobody waits for it. Stop it. */
  readonly onLateStart?: (handle: ServiceHandle) => void;
}

/** Default grace of a stop call (the runtimes' own default), added to its deadline. */
const STOP_GRACE_MS = 10_000;
/** Time a preflight that builds images may take on top of its call deadline (a build of a large context). */
const BUILD_MS = 15 * 60_000;

/** A Runtime whose every call answers within its deadline, as a Result, whatever the runtime underneath does. */
export function guardRuntime(runtime: Runtime, o: GuardOptions): Runtime {
  const target = `runtime ${runtime.name}`;
  const base = { clock: o.clock, ms: o.callMs, ...(o.signal === undefined ? {} : { signal: o.signal }) };
  const call = <T>(
    site: Omit<CallSite, 'target'>,
    fn: () => ResultAsync<T, DiveError>,
    ms = o.callMs,
    onLate?: (v: unknown) => void,
  ): ResultAsync<T, DiveError> =>
    bounded({ target, ...site }, { ...base, ms, ...(onLate === undefined ? {} : { onLate }) }, fn);
  const of = (h: ServiceHandle): string => `${h.instance}/${h.service}`;
  const guarded: Runtime = {
    name: runtime.name,
    ...(runtime.docker === undefined ? {} : { docker: runtime.docker }),
    ping: () => call({ call: 'ping' }, () => runtime.ping()),
    // Preflight builds images (a `build`): those get BUILD_MS on top of the call's own bound.
    preflight: (requests) =>
      call(
        { call: 'preflight' },
        () => runtime.preflight(requests),
        o.callMs + (requests.some((r) => r.container?.build !== undefined) ? BUILD_MS : 0),
      ),
    start: (request) =>
      call(
        { call: 'start', subject: `${request.instance}/${request.service}` },
        () => runtime.start(request),
        o.startMs?.(request) ?? o.callMs,
        o.onLateStart === undefined ? undefined : (h) => o.onLateStart?.(h as ServiceHandle),
      ),
    status: (h) => call({ call: 'status', subject: of(h) }, () => runtime.status(h)),
    stop: (h, options) =>
      call(
        { call: 'stop', subject: of(h) },
        () => runtime.stop(h, options),
        (options?.graceMs ?? STOP_GRACE_MS) + o.callMs,
      ),
    list: (instance, options) => call({ call: 'list', subject: instance }, () => runtime.list(instance, options)),
    logs: (h, options) => call({ call: 'logs', subject: of(h) }, () => runtime.logs(h, options)),
    ...(runtime.afterHealthy === undefined
      ? {}
      : {
          afterHealthy: (h: ServiceHandle) =>
            call({ call: 'afterHealthy', subject: of(h) }, () => runtime.afterHealthy?.(h) ?? okAsync(undefined)),
        }),
    // Retire, restore and discard come together or not at all: the engine falls back to `stop` without them.
    ...(runtime.retire === undefined || runtime.restore === undefined || runtime.discard === undefined
      ? {}
      : setAside(runtime, call, o.callMs, of)),
    ...(runtime.listRetired === undefined
      ? {}
      : {
          listRetired: (instance: string, options?: Parameters<Runtime['list']>[1]) =>
            call(
              { call: 'listRetired', subject: instance },
              () => runtime.listRetired?.(instance, options) ?? okAsync([]),
            ),
        }),
    ...(runtime.removeResources === undefined
      ? {}
      : {
          removeResources: (instance: string, options?: Parameters<NonNullable<Runtime['removeResources']>>[1]) =>
            call(
              { call: 'removeResources', subject: instance },
              () => runtime.removeResources?.(instance, options) ?? okAsync({ networks: [], volumes: [] }),
            ),
        }),
    onExit: (h, listener) => {
      try {
        return runtime.onExit(h, listener);
      } catch {
        // A runtime that cannot watch exits still has its status polled by the health wait.
        return { [Symbol.dispose]: () => undefined };
      }
    },
    [Symbol.asyncDispose]: () => runtime[Symbol.asyncDispose](),
  };
  // The runtime's one Docker events stream stays shared with the health waits (read lazily: it opens on first use).
  if ('dockerWatcher' in runtime) {
    Object.defineProperty(guarded, 'dockerWatcher', { enumerable: true, get: () => runtime.dockerWatcher });
  }
  return guarded;
}

type Call = <T>(
  site: Omit<CallSite, 'target'>,
  fn: () => ResultAsync<T, DiveError>,
  ms?: number,
) => ResultAsync<T, DiveError>;

/** The guarded `retire` (bounded like `stop`: its grace on top of `callMs`), `restore` and `discard`. */
function setAside(
  runtime: Runtime,
  call: Call,
  callMs: number,
  of: (h: ServiceHandle) => string,
): Pick<Runtime, 'retire' | 'restore' | 'discard'> {
  // Only called when the runtime has all three; the fallbacks keep the types honest.
  const lost = (what: string) =>
    errAsync<never, DiveError>(new UnexpectedError(`runtime ${runtime.name} no longer has ${what}`));
  return {
    retire: (h, options) =>
      call(
        { call: 'retire', subject: of(h) },
        () => runtime.retire?.(h, options) ?? lost('retire'),
        (options?.graceMs ?? STOP_GRACE_MS) + callMs,
      ),
    restore: (h) => call({ call: 'restore', subject: of(h) }, () => runtime.restore?.(h) ?? lost('restore')),
    discard: (h) => call({ call: 'discard', subject: of(h) }, () => runtime.discard?.(h) ?? lost('discard')),
  };
}

/** A health waiter bounded by its own deadline (plus `callMs` for the last check) and the signal. */
export function guardHealth(health: HealthWaiter, o: GuardOptions): HealthWaiter {
  return {
    wait: (runtime, handle, checks, options) =>
      bounded(
        { target: 'health waiter', call: 'wait', subject: `${handle.instance}/${handle.service}` },
        { clock: o.clock, ms: options.deadlineMs + o.callMs, ...(o.signal === undefined ? {} : { signal: o.signal }) },
        () => health.wait(runtime, handle, checks, options),
      ),
  };
}

/** A state store whose every call answers within `callMs` (never abandoned on the signal). */
export function guardState(state: EngineState, o: Pick<GuardOptions, 'clock' | 'callMs'>): EngineState {
  const bound = { clock: o.clock, ms: o.callMs };
  const site = (call: string, subject?: string): CallSite => ({
    target: 'state store',
    call,
    ...(subject === undefined ? {} : { subject }),
  });
  return {
    getState: (instance) => bounded(site('getState', instance), bound, () => state.getState(instance)),
    transition: (instance, to, options) =>
      bounded(site('transition', `${instance} → ${to}`), bound, () => state.transition(instance, to, options)),
    createCheckpoint: (instance, payload) =>
      bounded(site('createCheckpoint', instance), bound, () => state.createCheckpoint(instance, payload)),
    getCheckpoint: (id) => bounded(site('getCheckpoint', id), bound, () => state.getCheckpoint(id)),
    listCheckpoints: (instance) =>
      bounded(site('listCheckpoints', instance), bound, () => state.listCheckpoints(instance)),
    pruneCheckpoints: (instance, keep) =>
      bounded(site('pruneCheckpoints', instance), bound, () => state.pruneCheckpoints(instance, keep)),
    recordStep: (step) => bounded(site('recordStep', step.name), bound, () => state.recordStep(step)),
    recordError: (error, context) =>
      bounded(site('recordError', context.instance), bound, () => state.recordError(error, context)),
    ...(state.verifyAuditLog === undefined
      ? {}
      : {
          verifyAuditLog: (instance: string) =>
            bounded(
              site('verifyAuditLog', instance),
              bound,
              () => state.verifyAuditLog?.(instance) ?? okAsync({ head: null, rows: 0 }),
            ),
        }),
  };
}

/** A lock manager whose acquire answers within its own timeout plus `callMs`, and whose release within `callMs`. */
export function guardLocks(locks: EngineLocks, o: Pick<GuardOptions, 'clock' | 'callMs'>): EngineLocks {
  const site = (call: string, subject: string): CallSite => ({ target: 'lock manager', call, subject });
  return {
    acquire: (type, resource, options) =>
      bounded(
        site('acquire', `${type}/${resource}`),
        {
          clock: o.clock,
          ms: options.timeoutMs + o.callMs,
          // A lease granted after we gave up is nobody's: give it back.
          onLate: (lease) => {
            void (lease as LockLease).release().match(
              () => undefined,
              () => undefined,
            );
          },
        },
        () => locks.acquire(type, resource, options),
      ).map((lease): LockLease => ({
        fencingToken: lease.fencingToken,
        get isHeld() {
          return lease.isHeld;
        },
        onLost: (listener) => lease.onLost(listener),
        release: () =>
          bounded(site('release', `${type}/${resource}`), { clock: o.clock, ms: o.callMs }, () => lease.release()),
      })),
  };
}
