/* eslint-disable @typescript-eslint/no-non-null-assertion -- reads of typed arrays at indexes that are in bounds by
   construction (CSR rows over 0..n-1); a check per read would only cost in the hot loop. */

/** The outcome of {@link sortTopologically} on an acyclic graph. */
export interface TopoResult {
  /** Services by level, then by number (= by name). */
  readonly order: Int32Array;
  /** Longest-path level of each service (0: no dependencies). */
  readonly level: Int32Array;
}

const NEW = 0;
const OPEN = 1;
const DONE = 2;

/**
 * Longest-path levels by an iterative depth-first search over the dependency rows (a service's level is known
 * when all its dependencies are done), then a counting sort by level that keeps number order inside a level.
 * O(n + m) time, no recursion, no comparison sort: services are numbered by name already.
 * @returns the order and levels, or `undefined` as soon as a cycle is met (find it with `findCycles`)
 */
export function sortTopologically(n: number, depStart: Int32Array, depList: Int32Array): TopoResult | undefined {
  const state = new Uint8Array(n);
  const level = new Int32Array(n);
  const stackNode = new Int32Array(n);
  const stackEdge = new Int32Array(n);
  let maxLevel = 0;
  for (let root = 0; root < n; root++) {
    if (state[root] !== NEW) continue;
    state[root] = OPEN;
    stackNode[0] = root;
    stackEdge[0] = depStart[root]!;
    let sp = 1;
    while (sp > 0) {
      const v = stackNode[sp - 1]!;
      const e = stackEdge[sp - 1]!;
      if (e < depStart[v + 1]!) {
        stackEdge[sp - 1] = e + 1;
        const u = depList[e]!;
        const s = state[u]!;
        if (s === DONE) {
          if (level[u]! >= level[v]!) level[v] = level[u]! + 1;
        } else if (s === NEW) {
          state[u] = OPEN;
          stackNode[sp] = u;
          stackEdge[sp] = depStart[u]!;
          sp++;
        } else return undefined; // an open service again: a cycle
        continue;
      }
      state[v] = DONE;
      sp--;
      const l = level[v]!;
      if (l > maxLevel) maxLevel = l;
      if (sp > 0) {
        const parent = stackNode[sp - 1]!;
        if (l >= level[parent]!) level[parent] = l + 1;
      }
    }
  }
  // Counting sort by level; scanning in number order keeps each level sorted by name.
  const levelStart = new Int32Array(maxLevel + 2);
  for (let v = 0; v < n; v++) {
    const l = level[v]! + 1;
    levelStart[l] = levelStart[l]! + 1;
  }
  for (let l = 0; l <= maxLevel; l++) levelStart[l + 1] = levelStart[l + 1]! + levelStart[l]!;
  const order = new Int32Array(n);
  for (let v = 0; v < n; v++) {
    const l = level[v]!;
    const at = levelStart[l]!;
    levelStart[l] = at + 1;
    order[at] = v;
  }
  return { order, level };
}
