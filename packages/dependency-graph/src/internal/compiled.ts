/* eslint-disable @typescript-eslint/no-non-null-assertion -- reads of typed arrays and of `names` at indexes that
   are in bounds by construction (CSR rows over 0..n-1); a check per read would only cost in the hot loops. */
/**
 * The compact form every query runs on: services are numbered in name order, and both directions of the edges are
 * stored as compressed sparse rows (`start[i]..start[i+1]` indexes `list` and `cond`), sorted by index.
 */
export interface Compiled {
  /** Service names, sorted (code-unit order); a service's number is its index here. */
  readonly names: readonly string[];
  /** Name → number; a prototype-less object (faster than a Map for string keys, and safe for `__proto__`). */
  readonly index: NameIndex;
  /** Dependencies of each service. */
  readonly depStart: Int32Array;
  readonly depList: Int32Array;
  /** Condition rank of each dependency edge (see `CONDITION_RANK`). */
  readonly depCond: Uint8Array;
  /** Dependents of each service. */
  readonly revStart: Int32Array;
  readonly revList: Int32Array;
  readonly revCond: Uint8Array;
}

/** Service name → its number. */
export type NameIndex = Readonly<Record<string, number>>;

/** Condition ranks: the progress a dependency must reach. 0 is "nothing yet". */
export const CONDITION_RANK = { started: 1, healthy: 2, completed: 3 } as const;

/** The condition of a rank. */
export const RANK_CONDITION = [undefined, 'started', 'healthy', 'completed'] as const;

/**
 * Build the reverse rows from the forward rows (counting sort: O(n + m), rows come out sorted by index).
 * @param n - number of services
 */
export function reverseRows(
  n: number,
  depStart: Int32Array,
  depList: Int32Array,
  depCond: Uint8Array,
): { revStart: Int32Array; revList: Int32Array; revCond: Uint8Array } {
  const m = depList.length;
  const revStart = new Int32Array(n + 1);
  for (let e = 0; e < m; e++) {
    const k = depList[e]! + 1;
    revStart[k] = revStart[k]! + 1;
  }
  for (let i = 0; i < n; i++) revStart[i + 1] = revStart[i + 1]! + revStart[i]!;
  const fill = revStart.slice(0, n);
  const revList = new Int32Array(m);
  const revCond = new Uint8Array(m);
  for (let v = 0; v < n; v++) {
    for (let e = depStart[v]!; e < depStart[v + 1]!; e++) {
      const u = depList[e]!;
      const at = fill[u]!;
      fill[u] = at + 1;
      revList[at] = v;
      revCond[at] = depCond[e]!;
    }
  }
  return { revStart, revList, revCond };
}
