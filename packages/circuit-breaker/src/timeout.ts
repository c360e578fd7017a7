import { type Clock, type DiveError, systemClock, TimeoutError, toDiveError } from '@dive/errors';
import { err, ok, ResultAsync, type Result } from 'neverthrow';

/** Options of {@link withTimeout}. */
export interface TimeoutOptions {
  /** A caller's signal: its abort is forwarded to the signal `fn` receives. */
  readonly signal?: AbortSignal;
  /** Time source for the deadline. Default the system clock. */
  readonly clock?: Clock;
}

/**
 * Run `fn` with a deadline. On timeout the signal handed to `fn` is aborted (reason: the `TimeoutError`) and the
 * result is `TimeoutError` at once, without waiting for `fn`. When `fn` settles first its timer is cleared; the
 * signal is then left alone (aborting it would cost an event dispatch per call).
 *
 * @param fn - receives an AbortSignal; returns a Promise or a ResultAsync
 * @param ms - the deadline (> 0; else `RangeError`)
 * @param options - see {@link TimeoutOptions}
 * @returns `ResultAsync` of `fn`'s value; errors: `fn`'s own, a DiveError from a rejection (a caller's abort gives
 * `CancelledError`), or `TimeoutError` (code 2001; context `timeoutMs`). Never rejects.
 * @example
 * ```ts
 * const r = await withTimeout((signal) => fetch(url, { signal }), 5000);
 * ```
 */
export function withTimeout<T, E = never>(
  fn: (signal: AbortSignal) => PromiseLike<T> | ResultAsync<T, E>,
  ms: number,
  options: TimeoutOptions = {},
): ResultAsync<T, E | DiveError | TimeoutError> {
  if (!Number.isFinite(ms) || ms <= 0) throw new RangeError(`withTimeout: ms must be a finite number > 0, got ${ms}`);
  const clock = options.clock ?? systemClock;
  const parent = options.signal;
  const controller = new AbortController();
  if (parent?.aborted) controller.abort(parent.reason);
  return new ResultAsync(
    new Promise<Result<T, E | DiveError | TimeoutError>>((resolve) => {
      const forward = (): void => controller.abort(parent?.reason);
      const handle = clock.setTimeout(() => {
        parent?.removeEventListener('abort', forward);
        const error = timedOut(ms);
        controller.abort(error);
        resolve(err(error));
      }, ms);
      parent?.addEventListener('abort', forward, { once: true });
      const done = (r: Result<T, E | DiveError>): void => {
        clock.clearTimeout(handle);
        parent?.removeEventListener('abort', forward);
        resolve(r);
      };
      settle(() => fn(controller.signal), done, ms);
    }),
  );
}

const timedOut = (ms: number): TimeoutError =>
  new TimeoutError(`operation did not finish in ${ms} ms`, { context: { timeoutMs: ms } });

/** Call `fn` and hand its outcome to `done` as a Result: a throw or a rejection becomes a DiveError. */
function settle<T, E>(
  fn: () => PromiseLike<T> | ResultAsync<T, E>,
  done: (r: Result<T, E | DiveError>) => void,
  ms: number,
): void {
  const fail = (e: unknown): void => done(err(toDiveError(e, { timeoutMs: ms })));
  try {
    const out = fn();
    if (out instanceof ResultAsync) void out.then(done);
    else Promise.resolve(out).then((v) => done(ok(v)), fail);
  } catch (e) {
    fail(e);
  }
}
