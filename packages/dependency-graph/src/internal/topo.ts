/* eslint-disable @typescript-eslint/no-non-null-assertion -- reads of typed arrays at indexes that are in bounds by
   construction (CSR rows over 0..n-1); a check per read would only cost in the hot loop. */

/** The outcome of {@link sortTopologically}. */
export interface TopoResult {
  /** Services by level, then by index (= by name); shorter than n when there are cycles. */
  readonly order: Int32Array;
  /** Longest-path level of each service (0: no dependencies); meaningful for the services in `order`. */
  readonly level: Int32Array;
  /** Dependencies not yet placed, per service: non-zero exactly for the services on or behind a cycle. */
  readonly remaining: Int32Array;
}

/**
 * Kahn's algorithm computing longest-path levels, then a counting sort by level that keeps index order inside a
 * level. O(n + m) time, no recursion, no comparison sort: services are numbered by name already.
 */
export function sortTopologically(
  n: number,
  depStart: Int32Array,
  revStart: Int32Array,
  revList: Int32Array,
): TopoResult {
  const remaining = new Int32Array(n);
  const level = new Int32Array(n);
  const queue = new Int32Array(n);
  let tail = 0;
  for (let v = 0; v < n; v++) {
    const degree = depStart[v + 1]! - depStart[v]!;
    remaining[v] = degree;
    if (degree === 0) queue[tail++] = v;
  }
  let maxLevel = 0;
  for (let head = 0; head < tail; head++) {
    const u = queue[head]!;
    const next = level[u]! + 1;
    for (let e = revStart[u]!; e < revStart[u + 1]!; e++) {
      const v = revList[e]!;
      if (level[v]! < next) level[v] = next;
      const left = remaining[v]! - 1;
      remaining[v] = left;
      if (left === 0) {
        queue[tail++] = v;
        if (next > maxLevel) maxLevel = next;
      }
    }
  }
  // Counting sort of the placed services by level; scanning v in index order keeps each level sorted by name.
  const levelStart = new Int32Array(maxLevel + 2);
  for (let i = 0; i < tail; i++) {
    const l = level[queue[i]!]! + 1;
    levelStart[l] = levelStart[l]! + 1;
  }
  for (let l = 0; l <= maxLevel; l++) levelStart[l + 1] = levelStart[l + 1]! + levelStart[l]!;
  const order = new Int32Array(tail);
  for (let v = 0; v < n; v++) {
    if (remaining[v] !== 0) continue;
    const l = level[v]!;
    const at = levelStart[l]!;
    levelStart[l] = at + 1;
    order[at] = v;
  }
  return { order, level, remaining };
}
