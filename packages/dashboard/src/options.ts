import type { BreakerStore } from '@dive/circuit-breaker';
import type { Clock } from '@dive/errors';
import type { LockManager } from '@dive/locks';
import type { StateStore } from '@dive/state-db';

/** Where the dashboard reads: a store, and optionally the lock manager and shared breakers beside it. */
export interface DashboardState {
  readonly store: StateStore;
  readonly locks?: LockManager;
  readonly breakers?: BreakerStore;
}

/** What an action returns: a one-line outcome, or a failure with a message (already safe to show). */
export type ActionOutcome =
  | { readonly ok: true; readonly summary: string }
  | { readonly ok: false; readonly message: string; readonly code?: number };

/** The state-changing operations the page may ask for (given by the caller, e.g. the CLI's rollback and down). */
export interface DashboardActions {
  rollback?(instance: string, checkpointId?: string): Promise<ActionOutcome>;
  down?(instance: string): Promise<ActionOutcome>;
}

/** Options of {@link createDashboard}. */
export interface DashboardOptions {
  /** The state to show (a `StateBackend` of `@dive/orchestrator` fits: `{ store, locks, breakers }`). */
  readonly state: DashboardState;
  /**
   * Required on every request when set (`Authorization: Bearer T`, or `?token=T` once, which sets an HttpOnly
   * cookie). Without one, requests that arrive on an address other than loopback are refused.
   */
  readonly token?: string;
  /** Allow the actions (rollback, down): they also need the token and the CSRF header. Default false. */
  readonly allowActions?: boolean;
  readonly actions?: DashboardActions;
  /** A path prefix the handler is mounted at (e.g. `/dive`), stripped from `req.url` when present. */
  readonly prefix?: string;
  /** Events kept for `Last-Event-ID` replay (default 1,000); older ones make the client reload its view. */
  readonly bufferSize?: number;
  /** How often the store is read in full as a backstop (default 2,000 ms; 500 ms when it has no `onChange`). */
  readonly pollMs?: number;
  /** SSE keep-alive comment interval (default 15,000 ms). */
  readonly heartbeatMs?: number;
  readonly clock?: Clock;
}

/** Options with their defaults, checked. */
export interface ResolvedOptions {
  readonly bufferSize: number;
  readonly pollMs: number;
  readonly heartbeatMs: number;
  readonly prefix: string;
}

const positiveInt = (name: string, v: number): number => {
  if (!Number.isSafeInteger(v) || v <= 0)
    throw new RangeError(`createDashboard: ${name} must be a positive integer, got ${v}`);
  return v;
};

/** Defaults and checks: nonsense throws `RangeError`/`TypeError` (a programmer error). */
export function resolveOptions(options: DashboardOptions): ResolvedOptions {
  if (typeof options.state?.store?.getState !== 'function')
    throw new TypeError('createDashboard: state.store must be a StateStore');
  if (options.token !== undefined && options.token.length < 16)
    throw new RangeError('createDashboard: token must be at least 16 characters');
  if (options.allowActions === true && options.token === undefined)
    throw new TypeError('createDashboard: allowActions needs a token');
  const prefix = (options.prefix ?? '').replace(/\/+$/, '');
  if (prefix !== '' && !prefix.startsWith('/'))
    throw new TypeError(`createDashboard: prefix must start with /, got ${prefix}`);
  return {
    bufferSize: positiveInt('bufferSize', options.bufferSize ?? 1_000),
    pollMs: positiveInt('pollMs', options.pollMs ?? (options.state.store.onChange === undefined ? 500 : 2_000)),
    heartbeatMs: positiveInt('heartbeatMs', options.heartbeatMs ?? 15_000),
    prefix,
  };
}
