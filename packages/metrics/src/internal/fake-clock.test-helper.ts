import type { MetricsClock } from '../types.js';

/** A clock tests move by hand. */
export function fakeClock(start = 1_000): MetricsClock & { advance(ms: number): void } {
  let now = start;
  return {
    now: () => now,
    advance: (ms) => {
      now += ms;
    },
  };
}
