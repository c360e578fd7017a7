import { describe, expect, it } from 'vitest';
import { seededRandom } from './seeded-random.js';

describe('seededRandom', () => {
  it('repeats for a seed, differs across seeds, stays in [0, 1) and is roughly uniform', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const xs = Array.from({ length: 10_000 }, () => a());
    expect(Array.from({ length: 10_000 }, () => b())).toEqual(xs);
    expect(seededRandom(43)()).not.toBe(xs[0]);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    const belowFifth = xs.filter((x) => x < 0.2).length / xs.length;
    expect(belowFifth).toBeGreaterThan(0.18);
    expect(belowFifth).toBeLessThan(0.22);
  });
});
