/* eslint-disable @typescript-eslint/no-non-null-assertion -- reads of typed arrays and of `names` at indexes that
   are in bounds by construction (CSR rows over 0..n-1); a check per read would only cost in the hot loops. */
import type { CycleProblem } from '../problems.js';

/**
 * Find every strongly connected component with two or more services (iterative Tarjan, O(n + m), no recursion), and one deterministic shortest cycle through each component's
 * smallest member (breadth-first, dependencies visited in index order). Components come out ordered by their
 * smallest member.
 */
export function findCycles(names: readonly string[], depStart: Int32Array, depList: Int32Array): CycleProblem[] {
  const n = names.length;
  const components = stronglyConnected(n, depStart, depList);
  const comp = new Int32Array(n).fill(-1);
  components.forEach((members, c) => {
    for (const v of members) comp[v] = c;
  });
  return components.map((members, c) => ({
    kind: 'cycle',
    path: shortestCycle(members[0]!, c, comp, depStart, depList).map((v) => names[v]!),
    services: members.map((v) => names[v]!),
  }));
}

function stronglyConnected(n: number, depStart: Int32Array, depList: Int32Array): number[][] {
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack: number[] = [];
  const callNode: number[] = [];
  const callEdge: number[] = [];
  const out: number[][] = [];
  let counter = 0;
  for (let root = 0; root < n; root++) {
    if (index[root] !== -1) continue;
    index[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = 1;
    callNode.push(root);
    callEdge.push(depStart[root]!);
    while (callNode.length > 0) {
      const top = callNode.length - 1;
      const v = callNode[top]!;
      const e = callEdge[top]!;
      if (e < depStart[v + 1]!) {
        callEdge[top] = e + 1;
        const w = depList[e]!;
        if (index[w] === -1) {
          index[w] = low[w] = counter++;
          stack.push(w);
          onStack[w] = 1;
          callNode.push(w);
          callEdge.push(depStart[w]!);
        } else if (onStack[w] === 1 && index[w]! < low[v]!) {
          low[v] = index[w]!;
        }
        continue;
      }
      callNode.pop();
      callEdge.pop();
      if (callNode.length > 0) {
        const parent = callNode[callNode.length - 1]!;
        if (low[v]! < low[parent]!) low[parent] = low[v]!;
      }
      if (low[v] === index[v]) {
        const members: number[] = [];
        let w: number;
        do {
          w = stack.pop()!;
          onStack[w] = 0;
          members.push(w);
        } while (w !== v);
        if (members.length > 1) out.push(members.sort((a, b) => a - b));
      }
    }
  }
  return out.sort((a, b) => a[0]! - b[0]!);
}

function shortestCycle(
  start: number,
  c: number,
  comp: Int32Array,
  depStart: Int32Array,
  depList: Int32Array,
): number[] {
  const parent = new Map<number, number>([[start, -1]]);
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const v = queue[head]!;
    for (let e = depStart[v]!; e < depStart[v + 1]!; e++) {
      const w = depList[e]!;
      if (comp[w] !== c) continue;
      if (w === start) return closePath(start, v, parent);
      if (parent.has(w)) continue;
      parent.set(w, v);
      queue.push(w);
    }
  }
  /* c8 ignore next */
  throw new Error('unreachable: a strongly connected component of two or more services has a cycle');
}

function closePath(start: number, last: number, parent: Map<number, number>): number[] {
  const path = [start];
  for (let v = last; v !== -1; v = parent.get(v)!) path.push(v);
  // path is start, last, …, start (reversed walk); reverse it to dependency order and keep it closed.
  path.reverse();
  return path;
}
