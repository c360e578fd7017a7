/* eslint-disable @typescript-eslint/no-non-null-assertion -- reads of typed arrays and of `names` at indexes that
   are in bounds by construction (CSR rows over 0..n-1); a check per read would only cost in the hot loops. */
/**
 * The compact form every query runs on: services are numbered in name order, and the dependencies of service `i`
 * are `depList[depStart[i]..depStart[i+1]]` (compressed sparse rows), sorted by number, with the condition rank of
 * each edge in `depCond`.
 */
export interface Rows {
  /** Service names, sorted (code-unit order); a service's number is its index here. */
  readonly names: readonly string[];
  /** Name → number; a prototype-less object (faster than a Map for string keys, and safe for `__proto__`). */
  readonly index: NameIndex;
  readonly depStart: Int32Array;
  readonly depList: Int32Array;
  /** Condition rank of each dependency edge (see `CONDITION_RANK`). */
  readonly depCond: Uint8Array;
}

/** The same edges the other way round: the dependents of each service. */
export interface ReverseRows {
  readonly revStart: Int32Array;
  readonly revList: Int32Array;
  readonly revCond: Uint8Array;
}

/** Rows plus their reverse, built on first use (validation, levels and order do not need it). */
export interface Compiled extends Rows {
  reverse(): ReverseRows;
}

/** Attach a lazily built, cached reverse to `rows`. */
export function compile(rows: Rows): Compiled {
  let cached: ReverseRows | undefined;
  const { names, index, depStart, depList, depCond } = rows;
  return {
    names,
    index,
    depStart,
    depList,
    depCond,
    reverse: () => (cached ??= reverseRows(names.length, depStart, depList, depCond)),
  };
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
export function reverseRows(n: number, depStart: Int32Array, depList: Int32Array, depCond: Uint8Array): ReverseRows {
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
