/* eslint-disable @typescript-eslint/no-non-null-assertion -- reads of typed arrays and of `names` at indexes that
   are in bounds by construction (CSR rows over 0..n-1); a check per read would only cost in the hot loops. */
import type { Scheduler, ServiceState } from '../scheduler.js';
import type { Compiled } from './compiled.js';

// Progress ranks match CONDITION_RANK: 0 none, 1 started, 2 healthy, 3 completed.
const WAITING = 0;
const READY = 1;
const RUNNING = 2; // progress >= 1
const FAILED = 3;
const BLOCKED = 4;

const PROGRESS_STATE: readonly ServiceState[] = ['ready', 'started', 'healthy', 'completed'];

/** The scheduler over compiled rows; `position` is each service's place in the topological order. */
export function createSchedulerImpl(g: Compiled, position: Int32Array): Scheduler {
  const n = g.names.length;
  const { revStart, revList, revCond } = g.reverse();
  const phase = new Uint8Array(n);
  const progress = new Uint8Array(n);
  const unmet = new Int32Array(n);
  let released: number[] = [];
  let settled = 0;

  for (let v = 0; v < n; v++) {
    unmet[v] = g.depStart[v + 1]! - g.depStart[v]!;
    if (unmet[v] === 0) {
      phase[v] = READY;
      released.push(v);
    }
  }

  const byPosition = (a: number, b: number): number => position[a]! - position[b]!;
  const toNames = (xs: number[]): string[] => xs.sort(byPosition).map((v) => g.names[v]!);

  const idOf = (name: string): number => {
    const v = g.index[name];
    if (v === undefined) throw new RangeError(`scheduler: '${name}' is not a service of this graph`);
    return v;
  };

  const advance = (name: string, to: number): void => {
    const v = idOf(name);
    const p = phase[v]!;
    const from = progress[v]!;
    if (p === FAILED || p === BLOCKED || to <= from) return;
    if (from < 2 && to >= 2) settled++;
    progress[v] = to;
    phase[v] = RUNNING;
    for (let e = revStart[v]!; e < revStart[v + 1]!; e++) {
      const need = revCond[e]!;
      if (need <= from || need > to) continue;
      const w = revList[e]!;
      const left = unmet[w]! - 1;
      unmet[w] = left;
      if (left === 0 && phase[w] === WAITING) {
        phase[w] = READY;
        released.push(w);
      }
    }
  };

  return {
    ready() {
      const out = released.filter((v) => phase[v] === READY);
      released = [];
      return toNames(out);
    },
    started: (name) => {
      advance(name, 1);
    },
    healthy: (name) => {
      advance(name, 2);
    },
    completed: (name) => {
      advance(name, 3);
    },
    failed(name) {
      const v = idOf(name);
      const p = phase[v]!;
      if (p === FAILED || p === BLOCKED) return [];
      if (progress[v]! < 2) settled++;
      phase[v] = FAILED;
      const blocked: number[] = [];
      const stack = [v];
      while (stack.length > 0) {
        const u = stack.pop()!;
        const had = progress[u]!;
        for (let e = revStart[u]!; e < revStart[u + 1]!; e++) {
          const w = revList[e]!;
          if (revCond[e]! <= had || phase[w] !== WAITING) continue;
          phase[w] = BLOCKED;
          settled++;
          blocked.push(w);
          stack.push(w);
        }
      }
      return toNames(blocked);
    },
    state(name) {
      const v = idOf(name);
      const p = phase[v]!;
      if (p === WAITING) return 'waiting';
      if (p === FAILED) return 'failed';
      if (p === BLOCKED) return 'blocked';
      return PROGRESS_STATE[progress[v]!]!;
    },
    pending() {
      const out: number[] = [];
      for (let v = 0; v < n; v++) if (phase[v]! < FAILED && progress[v]! < 2) out.push(v);
      return toNames(out);
    },
    isDone: () => settled === n,
  };
}
