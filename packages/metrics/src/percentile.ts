/**
 * The nearest-rank percentile: sort the samples ascending and take the value at rank `⌈p/100 · n⌉` (1-based).
 * The result is always one of the samples; for the samples 1..100, P50 is 50, P95 is 95 and P99 is 99.
 *
 * @param samples - the values (not modified)
 * @param p - the percentile, in (0, 100]
 * @returns the percentile, or `undefined` when there are no samples
 * @throws RangeError when `p` is not in (0, 100] — a programmer error
 * @example
 * ```ts
 * nearestRankPercentile([3, 1, 2, 4], 50); // 2
 * ```
 */
export function nearestRankPercentile(samples: readonly number[], p: number): number | undefined {
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile: p must be in (0, 100], got ${p}`);
  if (samples.length === 0) return undefined;
  const sorted = Float64Array.from(samples).sort();
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.max(1, rank) - 1];
}
