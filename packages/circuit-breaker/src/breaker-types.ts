import type { DiveError } from '@dive/errors';
import type { ResultAsync } from 'neverthrow';
import type { CircuitOpenError } from './errors.js';

/** What `breaker.state` reads. HALF_OPEN is derived from the clock: no timer runs while the breaker idles. */
export type BreakerState = 'CLOSED' | 'OPEN' | 'HALF_OPEN';

/** What a guarded function may return: a Promise (rejections become DiveErrors) or a ResultAsync. */
export type Guarded<T, E> = (signal: AbortSignal) => PromiseLike<T> | ResultAsync<T, E>;

/** Counters and timestamps of one breaker. */
export interface BreakerStats {
  /** The breaker's name. */
  readonly name: string;
  /** As `breaker.state`. */
  readonly state: BreakerState;
  /** Failures in a row while CLOSED. */
  readonly consecutiveFailures: number;
  /** Successful probes in a row while HALF_OPEN. */
  readonly consecutiveSuccesses: number;
  /** Epoch ms of the last opening, `null` while CLOSED. */
  readonly openedAt: number | null;
  /** Epoch ms when the next probe is allowed, `null` while CLOSED. */
  readonly nextProbeAt: number | null;
  /** Calls that succeeded since creation (in this process). */
  readonly successes: number;
  /** Calls that failed (and counted, see `isFailure`) since creation. */
  readonly failures: number;
  /** Calls refused with `CircuitOpenError` since creation. */
  readonly rejections: number;
}

/** One state change. */
export interface StateChange {
  /** The breaker's name. */
  readonly name: string;
  /** The state before. */
  readonly from: BreakerState;
  /** The state after. */
  readonly to: BreakerState;
  /** Epoch ms it was observed (HALF_OPEN is observed on the first read or call after the timeout). */
  readonly at: number;
}

/** Returned by `onStateChange`: stop listening. */
export interface Subscription extends Disposable {
  /** Stop listening (same as `[Symbol.dispose]`). */
  dispose(): void;
}

/** Options of one `execute` call. */
export interface ExecuteOptions {
  /** Handed to the function; the breaker itself never aborts it. */
  readonly signal?: AbortSignal;
}

/** A circuit breaker. Made by {@link createCircuitBreaker}. */
export interface CircuitBreaker {
  /** The name given at creation. */
  readonly name: string;
  /** Current state. With a store, the state seen on the last call (call `refresh()` to read the store). */
  readonly state: BreakerState;
  /** A snapshot of counters and timestamps. */
  readonly stats: BreakerStats;
  /**
   * Run `fn` unless the breaker is open.
   * @param fn - receives an AbortSignal; returns a Promise or a ResultAsync
   * @param options - the signal to hand `fn`
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
   * @param listener - called with each {@link StateChange}
   * @returns a subscription; dispose it to stop listening
   */
  onStateChange(listener: (change: StateChange) => void): Subscription;
}
