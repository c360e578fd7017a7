import type { FakeClock } from './fake-clock.js';

/** Options of {@link driveUntilSettled}. */
export interface DriveOptions {
  /**
   * Jump only to timers due within this many ms of `now()`; otherwise let the event loop turn. For code that does
   * real I/O between timed waits (file polls), pass its poll interval, so fake time never runs ahead of the I/O.
   * Default: no limit (jump to the next timer whenever the event loop has turned once).
   */
  readonly maxStepMs?: number;
}

/**
 * Await `work` while moving a fake clock: each turn of the event loop, jump to the earliest pending timer (within
 * `maxStepMs`). Nothing sleeps; a `work` that never settles is bounded by the test runner's timeout.
 * @param clock - the fake clock the code under test was given
 * @param work - the promise (or `ResultAsync`) to wait for
 * @param options - `maxStepMs`
 * @returns what `work` resolves to (rejects as it rejects)
 * @example
 * ```ts
 * const clock = createFakeClock();
 * const slept = new Promise((r) => clock.setTimeout(() => r('woke'), 5_000));
 * await driveUntilSettled(clock, slept); // 'woke', at once
 * ```
 */
export async function driveUntilSettled<T>(
  clock: FakeClock,
  work: PromiseLike<T>,
  options: DriveOptions = {},
): Promise<T> {
  const maxStep = options.maxStepMs ?? Number.POSITIVE_INFINITY;
  let done = false;
  const watched = Promise.resolve(work).finally(() => {
    done = true;
  });
  watched.catch(() => undefined); // handled by the caller once returned; not "unhandled" while the loop turns
  while (!done) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    const at = clock.nextTimerAt();
    if (!done && at !== undefined && at - clock.now() <= maxStep) clock.advance(Math.max(0, at - clock.now()));
  }
  return watched;
}
