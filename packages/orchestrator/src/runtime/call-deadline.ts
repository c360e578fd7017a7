import type { Clock, DiveError } from '@dive/errors';

/**
 * Run one call to an engine with a deadline: when `ms` pass first, the call's signal is aborted (dockerode then
 * destroys the request) and the promise rejects with `onTimeout()`'s error. A call that never answers cannot hang
 * its caller.
 * @param run - the call; gets the signal to pass on (dockerode's `abortSignal`)
 * @param ms - the deadline
 * @param clock - times the deadline
 * @param onTimeout - the error for a call that did not answer in time
 * @returns the call's value, or rejects with its error or the timeout's
 */
export function withDeadline<T>(
  run: (signal: AbortSignal) => Promise<T>,
  ms: number,
  clock: Clock,
  onTimeout: () => DiveError,
): Promise<T> {
  const controller = new AbortController();
  return new Promise<T>((resolve, reject) => {
    const timer = clock.setTimeout(() => {
      const e = onTimeout();
      controller.abort(e);
      reject(e);
    }, ms);
    (async () => run(controller.signal))().then(
      (value) => {
        clock.clearTimeout(timer);
        resolve(value);
      },
      (e: unknown) => {
        clock.clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
