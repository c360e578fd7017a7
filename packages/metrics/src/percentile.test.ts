import { describe, expect, it } from 'vitest';
import { nearestRankPercentile } from './percentile.js';

describe('nearestRankPercentile', () => {
  it('gives P50 50, P95 95, P99 99 on the samples 1..100 in any order', () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(nearestRankPercentile(samples, 50)).toBe(50);
    expect(nearestRankPercentile(samples, 95)).toBe(95);
    expect(nearestRankPercentile(samples, 99)).toBe(99);
    expect(nearestRankPercentile(samples, 100)).toBe(100);
    expect(nearestRankPercentile(samples, 0.1)).toBe(1);
  });

  it('returns one of the samples and does not modify them', () => {
    const samples = [3, 1, 2, 4];
    expect(nearestRankPercentile(samples, 50)).toBe(2);
    expect(nearestRankPercentile(samples, 51)).toBe(3);
    expect(samples).toEqual([3, 1, 2, 4]);
  });

  it('returns undefined without samples and throws RangeError outside (0, 100]', () => {
    expect(nearestRankPercentile([], 50)).toBeUndefined();
    expect(() => nearestRankPercentile([1], 0)).toThrow(RangeError);
    expect(() => nearestRankPercentile([1], 101)).toThrow(RangeError);
    expect(() => nearestRankPercentile([1], Number.NaN)).toThrow(RangeError);
  });
});
