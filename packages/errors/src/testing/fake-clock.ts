import type { Clock } from '../clock.js';

/** A {@link Clock} that moves only when told to. */
export interface FakeClock extends Clock {
  /** Move time forward by `ms`, firing every timer that falls due, in order (timers set by timers included). */
  advance(ms: number): void;
  /** Timers not yet fired or cleared. */
  pendingTimers(): number;
  /** When the earliest pending timer falls due (by `now()`), `undefined` when none is pending. */
  nextTimerAt(): number | undefined;
}

interface Timer {
  readonly id: number;
  readonly at: number;
  readonly fn: () => void;
}

/**
 * Make a fake clock for tests.
 * @param start - the initial `now()` (default 0)
 * @returns a {@link FakeClock}
 * @example
 * ```ts
 * const clock = createFakeClock();
 * clock.setTimeout(() => console.log('fired'), 100);
 * clock.advance(100); // prints 'fired'
 * ```
 */
export function createFakeClock(start = 0): FakeClock {
  let now = start;
  let nextId = 1;
  const timers = new Map<number, Timer>();
  return {
    now: () => now,
    setTimeout(fn, ms) {
      const id = nextId++;
      timers.set(id, { id, at: now + Math.max(0, ms), fn });
      return id;
    },
    clearTimeout(handle) {
      timers.delete(handle as number);
    },
    advance(ms) {
      if (!(ms >= 0)) throw new RangeError(`advance: ms must be >= 0, got ${ms}`);
      const target = now + ms;
      for (;;) {
        let due: Timer | undefined;
        for (const t of timers.values()) if (t.at <= target && (due === undefined || t.at < due.at)) due = t;
        if (due === undefined) break;
        timers.delete(due.id);
        now = due.at;
        due.fn();
      }
      now = target;
    },
    pendingTimers: () => timers.size,
    nextTimerAt() {
      let at: number | undefined;
      for (const t of timers.values()) if (at === undefined || t.at < at) at = t.at;
      return at;
    },
  };
}
