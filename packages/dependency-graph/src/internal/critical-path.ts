/* eslint-disable @typescript-eslint/no-non-null-assertion -- reads of typed arrays and of `names` at indexes that
   are in bounds by construction (CSR rows over 0..n-1); a check per read would only cost in the hot loops. */
import type { CriticalPath } from '../types.js';
import type { Compiled } from './compiled.js';

function durationOf(
  g: Compiled,
  durationsMs: Readonly<Record<string, number>> | ReadonlyMap<string, number>,
): Float64Array {
  const d = new Float64Array(g.names.length);
  const entries: Iterable<[string, number]> =
    durationsMs instanceof Map ? durationsMs.entries() : Object.entries(durationsMs as Record<string, number>);
  for (const [name, ms] of entries) {
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
      throw new RangeError(`criticalPath: duration of '${name}' must be a finite number >= 0, got ${String(ms)}`);
    }
    const v = g.index[name];
    if (v !== undefined) d[v] = ms;
  }
  return d;
}

/**
 * Longest weighted path over the topological order, O(n + m). `finish[v]` is when `v` would be done if every
 * service started the moment its dependencies were done; the path is walked back from the latest finish.
 * Ties go to the smaller name (rows and the scan are in index order, and only a strictly later finish wins).
 */
export function criticalPathOf(
  g: Compiled,
  order: Int32Array,
  durationsMs: Readonly<Record<string, number>> | ReadonlyMap<string, number>,
): CriticalPath {
  const n = g.names.length;
  const d = durationOf(g, durationsMs);
  if (n === 0) return { path: [], totalMs: 0 };
  const finish = new Float64Array(n);
  const via = new Int32Array(n).fill(-1);
  for (const v of order) {
    let best = 0;
    for (let e = g.depStart[v]!; e < g.depStart[v + 1]!; e++) {
      const u = g.depList[e]!;
      if (via[v] === -1 || finish[u]! > best) {
        best = finish[u]!;
        via[v] = u;
      }
    }
    finish[v] = best + d[v]!;
  }
  let end = 0;
  for (let v = 1; v < n; v++) if (finish[v]! > finish[end]!) end = v;
  const chain: number[] = [];
  for (let v = end; v !== -1; v = via[v]!) chain.push(v);
  chain.reverse();
  // Services that take no time at either end of the chain bound nothing: leave them out.
  let first = 0;
  let last = chain.length - 1;
  while (first <= last && d[chain[first]!] === 0) first++;
  while (last >= first && d[chain[last]!] === 0) last--;
  return { path: chain.slice(first, last + 1).map((v) => g.names[v]!), totalMs: finish[end]! };
}
