import { CancelledError, type Clock, type DiveError, systemClock, toDiveError } from '@dive/errors';
import { err, ok, ResultAsync, type Result } from 'neverthrow';
import { Breaker } from './breaker.js';
import type { CircuitBreaker } from './breaker-types.js';
import type { RetryPolicy } from './policies.js';

/** Options of {@link retry}. */
export interface RetryOptions<E> {
  /** Aborting stops at once: no further attempt runs and a pending back-off timer is cleared. */
  readonly signal?: AbortSignal;
  /** Whether an error is worth another attempt. Default: every error except `CircuitOpenError` and `CancelledError`. */
  readonly isRetryable?: (error: E | DiveError) => boolean;
  /** Time source for the back-off sleeps. Default the system clock. */
  readonly clock?: Clock;
  /** Source of randomness in [0, 1) for jittered policies. Default `Math.random`. */
  readonly random?: () => number;
  /** Told before each back-off sleep. */
  readonly onRetry?: (info: { attempt: number; delayMs: number; error: E | DiveError }) => void;
  /**
   * Run every attempt through this circuit breaker (`breaker.execute`): each attempt's outcome counts towards it,
   * and once it is open the retries end with its `CircuitOpenError` (not retryable by default). The same as
   * `retry((s) => breaker.execute(() => fn(s)), policy)`, with one promise turn less per attempt.
   */
  readonly breaker?: CircuitBreaker;
}

const defaultRetryable = (e: unknown): boolean => {
  const tag = (e as { _tag?: unknown } | null)?._tag;
  return tag !== 'CircuitOpenError' && tag !== 'CancelledError';
};
const cancelled = (attempt: number): CancelledError =>
  new CancelledError(`retry cancelled before attempt ${attempt}`, { context: { attempt } });

function attemptOnce<T, E>(
  fn: (signal: AbortSignal | undefined, attempt: number) => PromiseLike<T> | ResultAsync<T, E>,
  signal: AbortSignal | undefined,
  attempt: number,
): Promise<Result<T, E | DiveError>> {
  try {
    const out = fn(signal, attempt);
    if (out instanceof ResultAsync) return Promise.resolve(out);
    return Promise.resolve(out).then(
      (v) => ok(v),
      (e: unknown) => err(toDiveError(e, { attempt })),
    );
  } catch (e) {
    return Promise.resolve(err(toDiveError(e, { attempt })));
  }
}

/**
 * Call `fn` until it succeeds, the policy's attempts run out, the error is not retryable, or `signal` aborts.
 * @param fn - receives the signal and the attempt number (1-based); returns a Promise or a ResultAsync
 * @param policy - the back-off curve (`exponential`, `progressive`, `fixedJitter`, `decorrelatedJitter`)
 * @param options - see {@link RetryOptions}
 * @returns `ResultAsync` of the first success; errors: the last attempt's error (`fn`'s own, or a DiveError from a
 * rejection), or `CancelledError` when aborted. Never throws or rejects.
 * @example
 * ```ts
 * const r = await retry(() => breaker.execute(() => connect()), exponential({ baseMs: 500, attempts: 5 }));
 * ```
 */
export function retry<T, E = never>(
  fn: (signal: AbortSignal | undefined, attempt: number) => PromiseLike<T> | ResultAsync<T, E>,
  policy: RetryPolicy,
  options: RetryOptions<E> = {},
): ResultAsync<T, E | DiveError | CancelledError> {
  const { signal } = options;
  if (signal?.aborted) return new ResultAsync(Promise.resolve(err(cancelled(1))));
  if (options.breaker !== undefined) return throughBreaker(fn, policy, options, options.breaker);
  // Fast path: the first attempt is chained directly (one `then`), through closures that capture only the
  // arguments (a closure capturing another closure measured ~2.7× slower); the loop starts only after a failure.
  let out: PromiseLike<T> | ResultAsync<T, E>;
  try {
    out = fn(signal, 1);
  } catch (e) {
    return new ResultAsync(Promise.resolve(afterFirst(fn, policy, options, err(toDiveError(e, { attempt: 1 })))));
  }
  if (out instanceof ResultAsync) {
    return new ResultAsync(
      out.then((r) => (r.isOk() ? r : afterFirst(fn, policy, options, r))) as Promise<
        Result<T, E | DiveError | CancelledError>
      >,
    );
  }
  return new ResultAsync(
    Promise.resolve(out).then(toOk, (e: unknown) =>
      afterFirst(fn, policy, options, err(toDiveError(e, { attempt: 1 }))),
    ),
  );
}

const toOk = <T>(value: T): Result<T, never> => ok(value);

/**
 * `retry` with every attempt through `breaker`. The first attempt is fused with the breaker's bookkeeping (one
 * closure, one promise turn); the rest, only after a failure, are `breaker.execute` calls through the usual loop.
 */
function throughBreaker<T, E>(
  fn: (signal: AbortSignal | undefined, attempt: number) => PromiseLike<T> | ResultAsync<T, E>,
  policy: RetryPolicy,
  options: RetryOptions<E>,
  breaker: CircuitBreaker,
): ResultAsync<T, E | DiveError | CancelledError> {
  const fused =
    breaker instanceof Breaker
      ? breaker.callThen(fn, options.signal, 1, (r: Result<T, E | DiveError>) =>
          r.isOk() ? r : afterFirst<T, E | DiveError>(attemptsVia(fn, breaker), policy, withoutBreaker(options), r),
        )
      : undefined;
  if (fused !== undefined) return new ResultAsync(fused);
  return retry<T, E | DiveError>(attemptsVia(fn, breaker), policy, withoutBreaker(options));
}

const attemptsVia =
  <T, E>(
    fn: (signal: AbortSignal | undefined, attempt: number) => PromiseLike<T> | ResultAsync<T, E>,
    breaker: CircuitBreaker,
  ) =>
  (s: AbortSignal | undefined, n: number): ResultAsync<T, E | DiveError> =>
    breaker.execute((inner) => fn(s ?? inner, n), s === undefined ? undefined : { signal: s });

function withoutBreaker<E>(options: RetryOptions<E>): RetryOptions<E | DiveError> {
  const { breaker: _breaker, ...rest } = options;
  return rest;
}

function afterFirst<T, E>(
  fn: (signal: AbortSignal | undefined, attempt: number) => PromiseLike<T> | ResultAsync<T, E>,
  policy: RetryPolicy,
  options: RetryOptions<E>,
  r: Result<T, E | DiveError>,
): Result<T, E | DiveError> | Promise<Result<T, E | DiveError | CancelledError>> {
  return r.isOk() || policy.attempts === 1 ? r : loop(fn, policy, options, r.error);
}

async function loop<T, E>(
  fn: (signal: AbortSignal | undefined, attempt: number) => PromiseLike<T> | ResultAsync<T, E>,
  policy: RetryPolicy,
  options: RetryOptions<E>,
  firstError: E | DiveError,
): Promise<Result<T, E | DiveError | CancelledError>> {
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const isRetryable = options.isRetryable ?? defaultRetryable;
  let error = firstError;
  let previous = 0;
  for (let attempt = 2; attempt <= policy.attempts; attempt++) {
    if (options.signal?.aborted) return err(cancelled(attempt));
    if (!isRetryable(error)) break;
    const delayMs = policy.delay(attempt - 1, previous, random);
    previous = delayMs;
    options.onRetry?.({ attempt: attempt - 1, delayMs, error });
    if (!(await sleep(clock, delayMs, options.signal))) return err(cancelled(attempt));
    const r = await attemptOnce(fn, options.signal, attempt);
    if (r.isOk()) return r;
    error = r.error;
  }
  return err(error);
}

/** Resolves true after `ms`, or false as soon as `signal` aborts (clearing the timer). */
function sleep(clock: Clock, ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clock.clearTimeout(handle);
      resolve(false);
    };
    const handle = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
