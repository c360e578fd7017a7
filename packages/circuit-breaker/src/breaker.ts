import { randomUUID } from 'node:crypto';
import { type Clock, type DiveError, systemClock, toDiveError } from '@dive/errors';
import { err, ok, ResultAsync, type Result } from 'neverthrow';
import type {
  BreakerState,
  BreakerStats,
  CircuitBreaker,
  ExecuteOptions,
  Guarded,
  StateChange,
  Subscription,
} from './breaker-types.js';
import { CircuitOpenError } from './errors.js';
import { RollingCounts } from './internal/window.js';
import { resolveOptions, type CircuitBreakerOptions, type ResolvedOptions } from './options.js';
import { SharedState } from './internal/shared.js';
import type { BreakerRecord } from './store.js';

type Res = Result<unknown, unknown>;
let idleSignal: AbortSignal | undefined;
/** A signal that never aborts, shared by calls that pass none (no AbortController per call). */
const neverAborted = (): AbortSignal => (idleSignal ??= new AbortController().signal);

/** @internal The breaker; the public type is {@link CircuitBreaker}. */
export class Breaker implements CircuitBreaker {
  readonly name: string;
  phase: BreakerState = 'CLOSED';
  consecutiveFailures = 0;
  consecutiveSuccesses = 0;
  openedAt: number | null = null;
  nextProbeAt: number | null = null;
  inFlight = 0;
  generation = 0;
  successes = 0;
  failures = 0;
  rejections = 0;
  private refused: ResultAsync<never, CircuitOpenError> | undefined;
  private readonly listeners = new Set<(c: StateChange) => void>();
  private readonly window: RollingCounts | undefined;
  private readonly shared: SharedState | undefined;

  constructor(
    readonly options: ResolvedOptions,
    readonly clock: Clock,
    store: CircuitBreakerOptions['store'],
  ) {
    this.name = options.name;
    this.window = options.window && !store ? new RollingCounts(options.window.windowMs) : undefined;
    this.shared = store ? new SharedState(this, store, `${process.pid}:${randomUUID()}`) : undefined;
  }

  get state(): BreakerState {
    if (this.phase === 'OPEN' && this.clock.now() >= (this.nextProbeAt ?? 0)) this.moveTo('HALF_OPEN');
    return this.phase;
  }

  get stats(): BreakerStats {
    return {
      name: this.name,
      state: this.state,
      consecutiveFailures: this.consecutiveFailures,
      consecutiveSuccesses: this.consecutiveSuccesses,
      openedAt: this.openedAt,
      nextProbeAt: this.nextProbeAt,
      successes: this.successes,
      failures: this.failures,
      rejections: this.rejections,
    };
  }

  execute<T, E = never>(fn: Guarded<T, E>, options?: ExecuteOptions): ResultAsync<T, E | DiveError | CircuitOpenError> {
    const signal = options?.signal ?? neverAborted();
    if (this.shared !== undefined) return new ResultAsync(this.shared.execute(fn, signal));
    if (this.phase !== 'CLOSED') return this.executeNotClosed(fn, signal);
    let out: PromiseLike<unknown>;
    try {
      out = fn(signal) as PromiseLike<unknown>;
    } catch (e) {
      return new ResultAsync(Promise.resolve(this.closedErr(e))) as ResultAsync<never, DiveError>;
    }
    return new ResultAsync(
      out instanceof ResultAsync
        ? (out.then(this.closedResult) as Promise<Res>)
        : Promise.resolve(out).then(this.closedOk, this.closedErr),
    ) as ResultAsync<T, E | DiveError>;
  }

  /**
   * @internal For `retry(fn, policy, { breaker })`: call `fn(signal, attempt)` while CLOSED with `then` applied to
   * its outcome in the same promise reaction as the breaker's bookkeeping (one promise turn instead of two).
   * `undefined` when the breaker is not CLOSED or keeps its state in a store: then the caller uses `execute`.
   */
  callThen<T, E, R>(
    fn: (signal: AbortSignal, attempt: number) => PromiseLike<T> | ResultAsync<T, E>,
    signal: AbortSignal | undefined,
    attempt: number,
    then: (r: Result<T, E | DiveError>) => R | PromiseLike<R>,
  ): Promise<R> | undefined {
    if (this.shared !== undefined || this.phase !== 'CLOSED') return undefined;
    const settle = then as (r: Res) => R | PromiseLike<R>;
    let out: PromiseLike<unknown>;
    try {
      out = fn(signal ?? neverAborted(), attempt) as PromiseLike<unknown>;
    } catch (e) {
      return Promise.resolve(settle(this.closedErr(e)));
    }
    if (out instanceof ResultAsync)
      // its then is its inner Promise's
      return (out as ResultAsync<unknown, unknown>).then((r) => settle(this.closedResult(r))) as Promise<R>;
    return Promise.resolve(out).then(
      (v) => settle(this.closedOk(v)),
      (e: unknown) => settle(this.closedErr(e)),
    );
  }

  // Shared callbacks (no closure per call) for calls admitted while CLOSED. Late outcomes after a state change
  // are ignored by the state machine but still returned to their caller.
  private readonly closedOk = (value: unknown): Res => {
    this.closedOutcome(false);
    return ok(value);
  };
  private readonly closedErr = (e: unknown): Res => {
    const error = toDiveError(e, { breaker: this.name });
    this.closedOutcome(this.counts(error));
    return err(error);
  };
  private readonly closedResult = (r: Res): Res => {
    this.closedOutcome(r.isErr() && this.counts(r.error));
    return r;
  };

  counts(error: unknown): boolean {
    return this.options.isFailure === undefined || this.options.isFailure(error);
  }

  private closedOutcome(failed: boolean): void {
    if (this.phase !== 'CLOSED') return;
    if (!failed) {
      this.successes++;
      if (this.consecutiveFailures !== 0) this.consecutiveFailures = 0;
      if (this.window !== undefined) this.window.record(this.clock.now(), false);
      return;
    }
    this.failures++;
    this.consecutiveFailures++;
    const o = this.options;
    if (this.window !== undefined && o.window !== undefined) {
      const [f, c] = this.window.record(this.clock.now(), true);
      const ratio = o.window.failureRatio;
      if (f >= o.failureThreshold || (ratio !== undefined && c >= o.window.minimumCalls && f / c >= ratio)) this.open();
    } else if (this.consecutiveFailures >= o.failureThreshold) this.open();
  }

  private executeNotClosed<T, E>(
    fn: Guarded<T, E>,
    signal: AbortSignal,
  ): ResultAsync<T, E | DiveError | CircuitOpenError> {
    if (this.state === 'OPEN' || this.inFlight >= this.options.halfOpenMaxConcurrent) return this.refuse();
    this.inFlight++;
    const generation = this.generation;
    const settle = (r: Res): Res => {
      if (generation !== this.generation) return r;
      this.inFlight--;
      if (r.isOk() || !this.counts(r.error)) {
        if (r.isOk()) this.successes++;
        if (r.isOk() && ++this.consecutiveSuccesses >= this.options.successThreshold) this.close();
      } else {
        this.failures++;
        this.open();
      }
      return r;
    };
    return new ResultAsync(callGuarded(fn, signal, this.name).then(settle)) as ResultAsync<T, E | DiveError>;
  }

  /** The refusal of this open period: one frozen error and one settled ResultAsync, reused by every call. */
  refuse(): ResultAsync<never, CircuitOpenError> {
    this.rejections++;
    if (this.refused !== undefined) return this.refused;
    const probing = this.phase === 'HALF_OPEN';
    const next = probing ? null : this.nextProbeAt;
    const when = next === null ? 'a probe is in flight' : `next probe at ${new Date(next).toISOString()}`;
    const error = Object.freeze(
      new CircuitOpenError(`circuit breaker '${this.name}' is ${this.phase}: call refused; ${when}`, {
        context: { breaker: this.name, state: this.phase, openedAt: this.openedAt, nextProbeAt: next },
      }),
    );
    return (this.refused = new ResultAsync(Promise.resolve(err(error))));
  }

  open(): void {
    const now = this.clock.now();
    this.openedAt = now;
    this.nextProbeAt = now + this.options.resetTimeoutMs;
    this.moveTo('OPEN');
  }

  close(): void {
    this.consecutiveFailures = 0;
    this.openedAt = null;
    this.nextProbeAt = null;
    this.window?.clear();
    this.moveTo('CLOSED');
  }

  /** Adopt a record read from the store. */
  adopt(record: BreakerRecord | undefined): void {
    const now = this.clock.now();
    const stored = record?.state ?? 'CLOSED';
    const phase: BreakerState =
      stored === 'CLOSED' ? 'CLOSED' : now < (record?.nextProbeAt ?? 0) ? 'OPEN' : 'HALF_OPEN';
    const reopened = record?.openedAt !== this.openedAt;
    this.consecutiveFailures = record?.consecutiveFailures ?? 0;
    this.openedAt = record?.openedAt ?? null;
    this.nextProbeAt = record?.nextProbeAt ?? null;
    if (phase !== this.phase || reopened) this.moveTo(phase);
    this.consecutiveSuccesses = record?.consecutiveSuccesses ?? 0;
  }

  moveTo(to: BreakerState): void {
    const from = this.phase;
    this.phase = to;
    this.generation++;
    this.inFlight = 0;
    this.consecutiveSuccesses = 0;
    this.refused = undefined;
    if (from === to) return;
    const change: StateChange = { name: this.name, from, to, at: this.clock.now() };
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch {
        // a listener's failure is not the caller's
      }
    }
  }

  async reset(): Promise<void> {
    await this.shared?.reset();
    this.close();
  }

  async refresh(): Promise<BreakerState> {
    await this.shared?.refresh();
    return this.state;
  }

  onStateChange(listener: (change: StateChange) => void): Subscription {
    const entry = (c: StateChange): void => listener(c);
    this.listeners.add(entry);
    const dispose = (): void => void this.listeners.delete(entry);
    return { dispose, [Symbol.dispose]: dispose };
  }
}

/** Call a guarded function and normalise every outcome to a Result; never rejects. */
export function callGuarded<T, E>(
  fn: Guarded<T, E>,
  signal: AbortSignal,
  name: string,
): Promise<Result<T, E | DiveError>> {
  const fail = (e: unknown): Result<T, DiveError> => err(toDiveError(e, { breaker: name }));
  try {
    const out = fn(signal);
    if (out instanceof ResultAsync) return Promise.resolve(out);
    return Promise.resolve(out).then((v) => ok(v), fail);
  } catch (e) {
    return Promise.resolve(fail(e));
  }
}

/**
 * Make a circuit breaker. CLOSED opens after `failureThreshold` consecutive failures (a success resets the count);
 * OPEN refuses calls with `CircuitOpenError` until `resetTimeoutMs` has passed, then reads HALF_OPEN (no timer);
 * HALF_OPEN admits `halfOpenMaxConcurrent` probes; `successThreshold` successful probes in a row close it, a failed
 * probe reopens it and restarts the timeout.
 * @param options - see {@link CircuitBreakerOptions}; nonsense values throw `RangeError`, an empty name `TypeError`
 * @returns a {@link CircuitBreaker}
 * @example
 * ```ts
 * const breaker = createCircuitBreaker({ name: 'keycloak', failureThreshold: 3, resetTimeoutMs: 60_000 });
 * const result = await breaker.execute((signal) => fetch('http://keycloak:8080/health', { signal }));
 * if (result.isErr() && result.error._tag === 'CircuitOpenError') console.log(result.error.context['nextProbeAt']);
 * ```
 */
export function createCircuitBreaker(options: CircuitBreakerOptions): CircuitBreaker {
  return new Breaker(resolveOptions(options), options.clock ?? systemClock, options.store);
}
