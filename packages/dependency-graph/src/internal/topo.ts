/* eslint-disable @typescript-eslint/no-non-null-assertion -- reads of typed arrays and of `names` at indexes that
   are in bounds by construction (CSR rows over 0..n-1); a check per read would only cost in the hot loops. */
import { IntMinHeap } from './heap.js';

/** The outcome of {@link sortTopologically}. */
export interface TopoResult {
  /** Services in topological order, smallest index first among those ready; shorter than n when there are cycles. */
  readonly order: Int32Array;
  /** Longest-path level of each service (0: no dependencies); meaningful for the services in `order`. */
  readonly level: Int32Array;
  /** Dependencies not yet placed, per service: non-zero exactly for the services on or behind a cycle. */
  readonly remaining: Int32Array;
}

/**
 * Kahn's algorithm with a min-heap, so ties are broken by index (= by name), and longest-path levels on the way.
 * O((n + m) log n) time, no recursion.
 */
export function sortTopologically(
  n: number,
  depStart: Int32Array,
  revStart: Int32Array,
  revList: Int32Array,
): TopoResult {
  const remaining = new Int32Array(n);
  const level = new Int32Array(n);
  const heap = new IntMinHeap(n);
  for (let v = 0; v < n; v++) {
    remaining[v] = depStart[v + 1]! - depStart[v]!;
    if (remaining[v] === 0) heap.push(v);
  }
  const order = new Int32Array(n);
  let placed = 0;
  while (heap.size > 0) {
    const u = heap.pop();
    order[placed++] = u;
    const next = level[u]! + 1;
    for (let e = revStart[u]!; e < revStart[u + 1]!; e++) {
      const v = revList[e]!;
      if (level[v]! < next) level[v] = next;
      const left = remaining[v]! - 1;
      remaining[v] = left;
      if (left === 0) heap.push(v);
    }
  }
  return { order: placed === n ? order : order.slice(0, placed), level, remaining };
}
