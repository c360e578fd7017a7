/** A back-off curve: how many attempts in all, and the delay before attempt `n + 1` after `n` failures. */
export interface RetryPolicy {
  /** Attempts in all, the first included (≥ 1). */
  readonly attempts: number;
  /**
   * @param n - failures so far (1 for the delay after the first failure)
   * @param previousMs - the previous delay (0 before the first)
   * @param random - a number in [0, 1)
   * @returns the delay in ms
   */
  delay(n: number, previousMs: number, random: () => number): number;
}

const int = (where: string, v: number): number => {
  if (!Number.isInteger(v) || v < 1) throw new RangeError(`${where} must be an integer >= 1, got ${v}`);
  return v;
};
const ms = (where: string, v: number): number => {
  if (!Number.isFinite(v) || v < 0) throw new RangeError(`${where} must be a finite number >= 0, got ${v}`);
  return v;
};

/**
 * `baseMs · 2^(n−1)`, capped at `maxMs`.
 * @returns a {@link RetryPolicy}; bad numbers throw `RangeError`
 * @example `exponential({ baseMs: 1000, maxMs: 30_000, attempts: 5 })` waits 1 s, 2 s, 4 s, 8 s
 */
export function exponential(o: { baseMs: number; maxMs?: number; attempts: number }): RetryPolicy {
  const base = ms('exponential: baseMs', o.baseMs);
  const max = ms('exponential: maxMs', o.maxMs ?? Number.MAX_SAFE_INTEGER);
  return { attempts: int('exponential: attempts', o.attempts), delay: (n) => Math.min(max, base * 2 ** (n - 1)) };
}

/**
 * `baseMs · n + quadraticMs · n²` (the seeds' Keycloak curve).
 * @returns a {@link RetryPolicy}; bad numbers throw `RangeError`
 */
export function progressive(o: { baseMs: number; quadraticMs?: number; attempts: number }): RetryPolicy {
  const base = ms('progressive: baseMs', o.baseMs);
  const quad = ms('progressive: quadraticMs', o.quadraticMs ?? 2000);
  return { attempts: int('progressive: attempts', o.attempts), delay: (n) => base * n + quad * n * n };
}

/**
 * `baseMs + random · jitterMs`.
 * @returns a {@link RetryPolicy}; bad numbers throw `RangeError`
 */
export function fixedJitter(o: { baseMs: number; jitterMs?: number; attempts: number }): RetryPolicy {
  const base = ms('fixedJitter: baseMs', o.baseMs);
  const jitter = ms('fixedJitter: jitterMs', o.jitterMs ?? 5000);
  return { attempts: int('fixedJitter: attempts', o.attempts), delay: (_n, _p, random) => base + random() * jitter };
}

/**
 * Decorrelated jitter (AWS): `min(maxMs, baseMs + random · (3 · previous − baseMs))`, previous starting at `baseMs`.
 * @returns a {@link RetryPolicy}; bad numbers throw `RangeError`
 */
export function decorrelatedJitter(o: { baseMs: number; maxMs: number; attempts: number }): RetryPolicy {
  const base = ms('decorrelatedJitter: baseMs', o.baseMs);
  const max = ms('decorrelatedJitter: maxMs', o.maxMs);
  if (max < base) throw new RangeError(`decorrelatedJitter: maxMs (${max}) must be >= baseMs (${base})`);
  return {
    attempts: int('decorrelatedJitter: attempts', o.attempts),
    delay: (_n, previous, random) => {
      const prev = previous === 0 ? base : previous;
      return Math.min(max, base + random() * (3 * prev - base));
    },
  };
}
