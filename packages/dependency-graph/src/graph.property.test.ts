import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createDependencyGraph } from './create-dependency-graph.js';
import type { DependencyCondition, ServiceDependencies } from './types.js';

interface Edge {
  readonly from: number; // the dependent
  readonly to: number; // its dependency
  readonly condition: DependencyCondition;
}

const conditionArb = fc.constantFrom<DependencyCondition>('started', 'healthy', 'completed');
const names = (n: number) => Array.from({ length: n }, (_, i) => `svc-${((i * 7919) % 1009).toString(36)}-${i}`);

/** Any directed graph on n services (self-loops and duplicates included). */
const anyGraph = fc.integer({ min: 1, max: 14 }).chain((n) =>
  fc.record({
    n: fc.constant(n),
    edges: fc.array(fc.record({ from: fc.nat(n - 1), to: fc.nat(n - 1), condition: conditionArb }), {
      maxLength: n * 3,
    }),
  }),
);

/** A DAG: edges only go from a later to an earlier service of a random ranking. */
const dag = fc.integer({ min: 0, max: 25 }).chain((n) =>
  fc
    .record({
      n: fc.constant(n),
      rank: fc.shuffledSubarray(
        Array.from({ length: n }, (_, i) => i),
        { minLength: n, maxLength: n },
      ),
      edges: fc.array(
        fc.record({ a: fc.nat(Math.max(0, n - 1)), b: fc.nat(Math.max(0, n - 1)), condition: conditionArb }),
        { maxLength: n * 3 },
      ),
    })
    .map(({ n, rank, edges }) => ({
      n,
      edges: edges
        .filter((e) => e.a !== e.b)
        .map((e): Edge =>
          rank.indexOf(e.a) > rank.indexOf(e.b)
            ? { from: e.a, to: e.b, condition: e.condition }
            : { from: e.b, to: e.a, condition: e.condition },
        ),
    })),
);

function servicesOf(n: number, edges: readonly Edge[]): Record<string, ServiceDependencies> {
  const ns = names(n);
  const deps: Record<string, DependencyCondition>[] = ns.map(() => ({}));
  for (const e of edges) deps[e.from]![ns[e.to]!] = e.condition;
  return Object.fromEntries(ns.map((name, i) => [name, { dependsOn: deps[i]! }]));
}

/** Direct dependencies by name (after the last-wins semantics of object keys), without self-loops. */
function adjacency(services: Record<string, ServiceDependencies>): Map<string, Map<string, DependencyCondition>> {
  const adj = new Map<string, Map<string, DependencyCondition>>();
  for (const [name, spec] of Object.entries(services)) {
    const entries = Object.entries((spec.dependsOn ?? {}) as Record<string, DependencyCondition>);
    adj.set(name, new Map(entries.filter(([d]) => d !== name)));
  }
  return adj;
}

function reaches(adj: Map<string, Map<string, DependencyCondition>>, from: string, to: string): boolean {
  const seen = new Set<string>();
  const stack = [...adj.get(from)!.keys()];
  while (stack.length > 0) {
    const v = stack.pop()!;
    if (v === to) return true;
    if (seen.has(v)) continue;
    seen.add(v);
    stack.push(...adj.get(v)!.keys());
  }
  return false;
}

describe('properties on random graphs', () => {
  it('orders every DAG after each service’s dependencies, level by level and by name inside a level', () => {
    fc.assert(
      fc.property(dag, ({ n, edges }) => {
        const services = servicesOf(n, edges);
        const adj = adjacency(services);
        const order = createDependencyGraph(services)._unsafeUnwrap().topologicalOrder();
        expect([...order].sort()).toEqual([...adj.keys()].sort());
        const g = createDependencyGraph(services)._unsafeUnwrap();
        const position = new Map(order.map((name, i) => [name, i]));
        for (const [name, deps] of adj)
          for (const d of deps.keys()) expect(position.get(d)!).toBeLessThan(position.get(name)!);
        expect(order).toEqual(g.levels().flat());
      }),
    );
  });

  it('puts each service of a DAG at the level of its longest dependency chain', () => {
    fc.assert(
      fc.property(dag, ({ n, edges }) => {
        const services = servicesOf(n, edges);
        const adj = adjacency(services);
        const g = createDependencyGraph(services)._unsafeUnwrap();
        const memo = new Map<string, number>();
        const longest = (s: string): number => {
          if (!memo.has(s)) memo.set(s, Math.max(-1, ...[...adj.get(s)!.keys()].map(longest)) + 1);
          return memo.get(s)!;
        };
        for (const s of adj.keys()) expect(g.levelOf(s)).toBe(longest(s));
        g.levels().forEach((layer, level) => {
          expect([...layer].sort()).toEqual(layer);
          for (const s of layer) expect(longest(s)).toBe(level);
        });
      }),
    );
  });

  it('finds every cycle of any graph, each reported path a real, simple cycle of its component', () => {
    fc.assert(
      fc.property(anyGraph, ({ n, edges }) => {
        const services = servicesOf(n, edges);
        const adj = adjacency(services);
        const onCycle = [...adj.keys()].filter((s) => reaches(adj, s, s)).sort();
        const selfLoops = [...new Set(edges.filter((e) => e.from === e.to).map((e) => names(n)[e.from]!))].sort();
        const result = createDependencyGraph(services);
        if (onCycle.length === 0 && selfLoops.length === 0) {
          expect(result.isOk()).toBe(true);
          return;
        }
        const problems = result._unsafeUnwrapErr().problems;
        expect(problems.filter((p) => p.kind === 'self-dependency').map((p) => p.service)).toEqual(selfLoops);
        const cycles = problems.flatMap((p) => (p.kind === 'cycle' ? [p] : []));
        expect(cycles.flatMap((c) => c.services).sort()).toEqual(onCycle);
        for (const c of cycles) {
          expect(c.path[0]).toBe(c.services[0]);
          expect(c.path.at(-1)).toBe(c.path[0]);
          expect(new Set(c.path).size).toBe(c.path.length - 1);
          for (let i = 0; i + 1 < c.path.length; i++) expect(adj.get(c.path[i]!)!.has(c.path[i + 1]!)).toBe(true);
          for (const a of c.services) expect(reaches(adj, a, c.path[0]!) && reaches(adj, c.path[0]!, a)).toBe(true);
        }
        expect(createDependencyGraph(services)._unsafeUnwrapErr().problems).toEqual(problems);
      }),
      { numRuns: 400 },
    );
  });

  it('finds a critical path that is a real chain with the longest total duration', () => {
    fc.assert(
      fc.property(dag, fc.array(fc.nat(100), { minLength: 25, maxLength: 25 }), ({ n, edges }, durations) => {
        const services = servicesOf(n, edges);
        const adj = adjacency(services);
        const g = createDependencyGraph(services)._unsafeUnwrap();
        const ms = new Map(g.services().map((s, i) => [s, durations[i]!]));
        const memo = new Map<string, number>();
        const finish = (s: string): number => {
          if (!memo.has(s)) memo.set(s, ms.get(s)! + Math.max(0, ...[...adj.get(s)!.keys()].map(finish)));
          return memo.get(s)!;
        };
        const { path, totalMs } = g.criticalPath(ms);
        expect(totalMs).toBe(Math.max(0, ...[...adj.keys()].map(finish)));
        expect(path.reduce((sum, s) => sum + ms.get(s)!, 0)).toBe(totalMs);
        for (let i = 0; i + 1 < path.length; i++) expect(adj.get(path[i + 1]!)!.has(path[i]!)).toBe(true);
      }),
    );
  });

  it('answers transitive dependencies and dependents exactly as reachability does', () => {
    fc.assert(
      fc.property(dag, ({ n, edges }) => {
        const services = servicesOf(n, edges);
        const adj = adjacency(services);
        const g = createDependencyGraph(services)._unsafeUnwrap();
        for (const a of adj.keys()) {
          const deps = [...adj.keys()].filter((b) => reaches(adj, a, b)).sort();
          const dependents = [...adj.keys()].filter((b) => reaches(adj, b, a)).sort();
          expect([...g.dependenciesOf(a, { transitive: true })].sort()).toEqual(deps);
          expect([...g.dependentsOf(a, { transitive: true })].sort()).toEqual(dependents);
        }
      }),
    );
  });

  it('never releases a service before its conditions hold, and releases or blocks every service', () => {
    const rank = { started: 1, healthy: 2, completed: 3 } as const;
    fc.assert(
      fc.property(dag, fc.array(fc.nat(1000), { maxLength: 300 }), ({ n, edges }, choices) => {
        const services = servicesOf(n, edges);
        const adj = adjacency(services);
        const s = createDependencyGraph(services)._unsafeUnwrap().createScheduler();
        const progress = new Map<string, number>();
        const dead = new Set<string>();
        const released = new Set<string>();
        const check = (name: string) => {
          expect(released.has(name)).toBe(false);
          released.add(name);
          for (const [d, c] of adj.get(name)!) expect(progress.get(d) ?? 0).toBeGreaterThanOrEqual(rank[c]);
        };
        let step = 0;
        const next = () => choices[step++ % Math.max(1, choices.length)] ?? 0;
        for (let guard = 0; guard < 10 * n + 10 && !s.isDone(); guard++) {
          s.ready().forEach(check);
          const live = [...released].filter((r) => !dead.has(r) && (progress.get(r) ?? 0) < 3);
          if (live.length === 0) continue;
          const pick = live[next() % live.length]!;
          if (next() % 17 === 0) {
            dead.add(pick);
            for (const b of s.failed(pick)) {
              expect(released.has(b)).toBe(false);
              dead.add(b);
            }
          } else {
            const to = (progress.get(pick) ?? 0) + 1;
            progress.set(pick, to);
            if (to === 1) s.started(pick);
            else if (to === 2) s.healthy(pick);
            else s.completed(pick);
          }
        }
        s.ready().forEach(check);
        for (const name of adj.keys()) expect(released.has(name) || dead.has(name)).toBe(true);
        if (dead.size === 0) expect(released.size).toBe(n);
        expect(s.isDone()).toBe(true);
      }),
      { numRuns: 400 },
    );
  });
});
