import type { ServiceHandle } from '../runtime/types.js';
import type { BestEffort } from './best-effort.js';
import { ENGINE_DEFAULTS, type EngineContext } from './context.js';
import { guardHealth, guardLocks, guardRuntime, guardState } from './guard.js';
import type { ResolvedService } from './resolve.js';

/** How one operation's ports are guarded. */
export interface GuardedContextOptions {
  /** Aborting it abandons the runtime calls and health waits in flight. */
  readonly signal?: AbortSignal;
  /** The services whose `startTimeoutMs` bounds their start call. */
  readonly services?: ReadonlyMap<string, ResolvedService>;
  /** Where a start that answered too late is stopped. */
  readonly writes?: BestEffort;
}

/**
 * The context an engine operation works with: the same as `ctx`, with every port guarded — runtime calls and
 * health waits bounded by their deadline and `signal`, store and lock calls by their deadline (see
 * {@link ENGINE_DEFAULTS}).
 */
export function guardedContext(ctx: EngineContext, o: GuardedContextOptions = {}): EngineContext {
  const callMs = ctx.callTimeoutMs ?? ENGINE_DEFAULTS.callTimeoutMs;
  const { writes, services } = o;
  const runtime = guardRuntime(ctx.runtime, {
    clock: ctx.clock,
    callMs,
    ...(o.signal === undefined ? {} : { signal: o.signal }),
    ...(services === undefined ? {} : { startMs: (r) => services.get(r.service)?.startTimeoutMs }),
    ...(writes === undefined
      ? {}
      : {
          onLateStart: (h: ServiceHandle) => {
            writes.launch(`stopping ${h.service}, started after its deadline`, runtime.stop(h));
          },
        }),
  });
  return {
    ...ctx,
    runtime,
    health: guardHealth(ctx.health, {
      clock: ctx.clock,
      callMs,
      ...(o.signal === undefined ? {} : { signal: o.signal }),
    }),
    state: guardState(ctx.state, { clock: ctx.clock, callMs }),
    locks: guardLocks(ctx.locks, { clock: ctx.clock, callMs }),
  };
}
