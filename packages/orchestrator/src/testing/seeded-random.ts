/**
 * A small deterministic random source (mulberry32) for `memoryRuntime({ failRate, random })`, so a run with
 * injected failures can be repeated exactly.
 *
 * @param seed - any 32-bit integer
 * @returns a function giving numbers in [0, 1), the same sequence for the same seed
 * @example
 * ```ts
 * const runtime = memoryRuntime({ failRate: 0.2, random: seededRandom(42) });
 * ```
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
