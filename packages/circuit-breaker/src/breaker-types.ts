import type { DiveError } from '@dive/errors';
import type { ResultAsync } from 'neverthrow';
import type { CircuitOpenError } from './errors.js';

/** What `breaker.state` reads. HALF_OPEN is derived from the clock: no timer runs while the breaker idles. */
export type BreakerState = 'CLOSED' | 'OPEN' | 'HALF_OPEN';

/** What a guarded function may return: a Promise (rejections become DiveErrors) or a ResultAsync. */
export type Guarded<T, E> = (signal: AbortSignal) => PromiseLike<T> | ResultAsync<T, E>;

/** Counters and timestamps of one breaker. */
export interface BreakerStats {
  readonly name: string;
  readonly state: BreakerState;
  readonly consecutiveFailures: number;
  readonly consecutiveSuccesses: number;
  /** Epoch ms of the last opening, `null` while CLOSED. */
  readonly openedAt: number | null;
  /** Epoch ms when the next probe is allowed, `null` while CLOSED. */
  readonly nextProbeAt: number | null;
  /** Calls that succeeded / failed / were refused with CircuitOpenError since creation. */
  readonly successes: number;
  readonly failures: number;
  readonly rejections: number;
}

/** One state change. */
export interface StateChange {
  readonly name: string;
  readonly from: BreakerState;
  readonly to: BreakerState;
  /** Epoch ms it was observed (HALF_OPEN is observed on the first read or call after the timeout). */
  readonly at: number;
}

/** Returned by `onStateChange`: stop listening. */
export interface Subscription extends Disposable {
  dispose(): void;
}

/** Options of one `execute` call. */
export interface ExecuteOptions {
  /** Handed to the function; the breaker itself never aborts it. */
  readonly signal?: AbortSignal;
}

/** A circuit breaker. Made by {@link createCircuitBreaker}. */
export interface CircuitBreaker {
  readonly name: string;
  /** Current state. With a store, the state seen on the last call (call `refresh()` to read the store). */
  readonly state: BreakerState;
  readonly stats: BreakerStats;
  /**
   * Run `fn` unless the breaker is open.
   * @param fn - receives an AbortSignal; returns a Promise or a ResultAsync
   * @returns `ResultAsync` of `fn`'s value; errors: `fn`'s own error, a `DiveError` made by `toDiveError` from a
   * rejection or throw (`TimeoutError`, `CancelledError`, `UnexpectedError`, …), `CircuitOpenError` when refused.
   * Never throws or rejects.
   */
  execute<T, E = never>(fn: Guarded<T, E>, options?: ExecuteOptions): ResultAsync<T, E | DiveError | CircuitOpenError>;
  /** Close it and zero its counts (and the shared record, with a store). */
  reset(): Promise<void>;
  /** With a store: read the shared record now and update `state`. Without one: resolves at once. */
  refresh(): Promise<BreakerState>;
  /**
   * Listen to state changes. Listener errors are swallowed.
   * @returns a subscription; dispose it to stop listening
   */
  onStateChange(listener: (change: StateChange) => void): Subscription;
}
