import type { Clock } from '@dive/errors';
import type { BreakerStore } from './store.js';

/** Options of {@link createCircuitBreaker}. */
export interface CircuitBreakerOptions {
  /** Names the breaker in errors, status and the shared store. */
  readonly name: string;
  /** Consecutive failures (or failures in the window, see `window`) that open it. Default 3. */
  readonly failureThreshold?: number;
  /** How long it stays OPEN before reading HALF_OPEN. Default 60,000 ms. */
  readonly resetTimeoutMs?: number;
  /** Consecutive successful probes that close it from HALF_OPEN. Default 2. */
  readonly successThreshold?: number;
  /** Probes admitted at once in HALF_OPEN (per process; with a store, one process probes). Default 1. */
  readonly halfOpenMaxConcurrent?: number;
  /** Whether an error counts as a failure. Default: every error. An error that does not count is neutral. */
  readonly isFailure?: (error: unknown) => boolean;
  /** Open on failures within a rolling window instead of consecutive failures. */
  readonly window?: RollingWindowOptions;
  /** Time source. Default the system clock. */
  readonly clock?: Clock;
  /** Shared state across processes. Default: state in this breaker only. */
  readonly store?: BreakerStore;
  /** Probe lease in the store; a crashed prober frees the slot after it. Default `resetTimeoutMs`. */
  readonly probeLeaseMs?: number;
}

/**
 * Open when, within the last `windowMs`, failures reach `failureThreshold`, or (if `failureRatio` is set) the failure
 * ratio reaches it after `minimumCalls` calls. In-process breakers only; with a `store` the count is consecutive.
 */
export interface RollingWindowOptions {
  /** Window length in ms (counted in 10 buckets). */
  readonly windowMs: number;
  /** Open when failures / calls ≥ this (0 < r ≤ 1) and at least `minimumCalls` calls were made. */
  readonly failureRatio?: number;
  /** Calls needed before the ratio applies. Default 10. */
  readonly minimumCalls?: number;
}

/** @internal */
export interface ResolvedWindow {
  readonly windowMs: number;
  readonly failureRatio: number | undefined;
  readonly minimumCalls: number;
}

/** Validated options with defaults filled in. */
export interface ResolvedOptions {
  readonly name: string;
  readonly failureThreshold: number;
  readonly resetTimeoutMs: number;
  readonly successThreshold: number;
  readonly halfOpenMaxConcurrent: number;
  readonly isFailure: ((error: unknown) => boolean) | undefined;
  readonly window: ResolvedWindow | undefined;
  readonly probeLeaseMs: number;
}

const positiveInt = (where: string, value: number): number => {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${where} must be an integer >= 1, got ${value}`);
  return value;
};
const positiveMs = (where: string, value: number): number => {
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${where} must be a finite number > 0, got ${value}`);
  return value;
};

/** @internal */
export function resolveOptions(o: CircuitBreakerOptions): ResolvedOptions {
  if (typeof o.name !== 'string' || o.name.length === 0)
    throw new TypeError('createCircuitBreaker: name must be a non-empty string');
  const at = `createCircuitBreaker('${o.name}')`;
  const resetTimeoutMs = positiveMs(`${at}: resetTimeoutMs`, o.resetTimeoutMs ?? 60_000);
  let window: ResolvedWindow | undefined;
  if (o.window !== undefined) {
    const ratio = o.window.failureRatio;
    if (ratio !== undefined && !(ratio > 0 && ratio <= 1))
      throw new RangeError(`${at}: window.failureRatio must be in (0, 1], got ${ratio}`);
    window = {
      windowMs: positiveMs(`${at}: window.windowMs`, o.window.windowMs),
      failureRatio: ratio,
      minimumCalls: positiveInt(`${at}: window.minimumCalls`, o.window.minimumCalls ?? 10),
    };
  }
  return {
    name: o.name,
    failureThreshold: positiveInt(`${at}: failureThreshold`, o.failureThreshold ?? 3),
    resetTimeoutMs,
    successThreshold: positiveInt(`${at}: successThreshold`, o.successThreshold ?? 2),
    halfOpenMaxConcurrent: positiveInt(`${at}: halfOpenMaxConcurrent`, o.halfOpenMaxConcurrent ?? 1),
    isFailure: o.isFailure,
    window,
    probeLeaseMs: positiveMs(`${at}: probeLeaseMs`, o.probeLeaseMs ?? resetTimeoutMs),
  };
}
