/**
 * @dive/dependency-graph against the npm packages `dependency-graph` and `toposort` on the same graphs, in one run.
 * Run: npx tsx --tsconfig tsconfig.json bench/dependency-graph/graph.bench.ts
 */
import { createDependencyGraph, type DependencyGraph } from '@dive/dependency-graph';
import { DepGraph } from 'dependency-graph';
import toposort from 'toposort';
import { compare, fmtNs, machine, table, timeRounds } from '../lib/harness.js';
import { prng, randomGraph, type BenchGraph } from './graphs.js';
import { asSoonAsReadyMs, levelByLevelMs } from './simulate.js';

const N = 10_000;
const M = 50_000;
const OURS = '@dive/dependency-graph';
const ROUNDS = { iterations: 5, rounds: 25, warmup: 10 } as const;

function depGraphOrder(g: BenchGraph): string[] {
  const dg = new DepGraph<undefined>();
  for (const s of g.nodes) dg.addNode(s);
  for (const [dependency, dependent] of g.edges) dg.addDependency(dependent, dependency);
  return dg.overallOrder();
}

function ours(g: BenchGraph): unknown {
  const r = createDependencyGraph(g.services);
  if (r.isErr()) return r.error.problems;
  return [r.value.levels(), r.value.topologicalOrder()];
}

function tryOrThrow(fn: () => unknown): unknown {
  try {
    return fn();
  } catch (e) {
    return e;
  }
}

/** Every service started and healthy as soon as it is released: the scheduler's whole-deployment cost. */
function scheduleAll(graph: DependencyGraph): number {
  const s = graph.createScheduler();
  let done = 0;
  for (let batch = s.ready(); batch.length > 0; batch = s.ready()) {
    for (const name of batch) {
      s.started(name);
      s.healthy(name);
      done++;
    }
  }
  if (!s.isDone() || done !== graph.size) throw new Error(`scheduler released ${done} of ${graph.size}`);
  return done;
}

async function main(): Promise<void> {
  const dag = randomGraph(N, M);
  const cyclic = randomGraph(N, M, 7, 10);
  const out: string[] = [];
  out.push(`# @dive/dependency-graph benchmarks`, '', `Machine: ${machine()}`, '');
  out.push(`Graph: ${N.toLocaleString('en')} services, ${M.toLocaleString('en')} random edges (acyclic).`, '');

  out.push(`## Validate + levels + order (acyclic)`, '');
  out.push(
    'Ours: `createDependencyGraph` (names, unknown/self dependencies, cycles) + `levels()` + `topologicalOrder()`.',
    '`dependency-graph`: `addNode` ×N + `addDependency` ×M + `overallOrder()` (throws on a cycle; no levels).',
    '`toposort`: `toposort.array(nodes, edges)` (throws on a cycle; no validation of names, no levels).',
    '',
  );
  const acyclic = await compare(
    [
      { name: OURS, fn: () => ours(dag) },
      { name: 'dependency-graph', fn: () => depGraphOrder(dag) },
      { name: 'toposort', fn: () => toposort.array(dag.nodes, dag.edges) },
    ],
    ROUNDS,
  );
  out.push(table(acyclic, OURS), '');

  out.push(`## Same size with 10 extra back edges (cycles)`, '');
  out.push('Ours reports every cycle with its path; the peers throw at the first one.', '');
  const withCycles = await compare(
    [
      { name: OURS, fn: () => ours(cyclic) },
      { name: 'dependency-graph', fn: () => tryOrThrow(() => depGraphOrder(cyclic)) },
      { name: 'toposort', fn: () => tryOrThrow(() => toposort.array(cyclic.nodes, cyclic.edges)) },
    ],
    ROUNDS,
  );
  out.push(table(withCycles, OURS), '');
  const cyc = createDependencyGraph(cyclic.services);
  const cycleCount = cyc.isErr() ? cyc.error.problems.length : 0;
  out.push(`(${cycleCount} cycle problem(s) reported by ours.)`, '');

  out.push(`## Scheduler: all ${N.toLocaleString('en')} services started and healthy at once`, '');
  // A fresh graph per round, so the lazily built reverse rows are paid for in every measurement.
  const build = () => createDependencyGraph(dag.services)._unsafeUnwrap();
  const graph = build();
  for (let i = 0; i < 5; i++) scheduleAll(build());
  const fresh = Array.from({ length: 21 }, build);
  const sched = await timeRounds(21, (round) => Promise.resolve(scheduleAll(fresh[round]!)));
  out.push('| what | median | p95 |', '|---|---:|---:|');
  out.push(
    `| createScheduler + release all (fresh graph) | ${sched.medianMs.toFixed(2)} ms | ${sched.p95Ms.toFixed(2)} ms |`,
    '',
  );

  out.push('## Simulated start: level by level (the seeds) vs as soon as ready (the scheduler)', '');
  out.push(
    'Virtual time, no clock: each service becomes healthy a fixed time after it starts. The hub uses illustrative',
    'durations; the random graph gives each service 1–60 s from a seeded PRNG. As-soon-as-ready equals the critical',
    'path, the lower bound.',
    '',
  );
  const hub = createDependencyGraph({
    postgres: {},
    mongodb: {},
    redis: {},
    opa: {},
    keycloak: { dependsOn: ['postgres'] },
    backend: { dependsOn: ['postgres', 'mongodb', 'redis', 'keycloak'] },
    frontend: { dependsOn: ['backend'] },
    kas: { dependsOn: ['mongodb', 'backend'] },
  })._unsafeUnwrap();
  const hubMs: Record<string, number> = {
    postgres: 20_000,
    mongodb: 45_000,
    redis: 5_000,
    opa: 8_000,
    keycloak: 40_000,
    backend: 15_000,
    frontend: 10_000,
    kas: 12_000,
  };
  const random = prng(99);
  const randomMs = new Map(graph.services().map((s) => [s, 1_000 + Math.floor(random() * 59_000)]));
  out.push('| graph | level by level | as soon as ready | critical path | saved |', '|---|---:|---:|---:|---:|');
  for (const [label, g, ms] of [
    ['hub (8 services)', hub, (s: string) => hubMs[s] ?? 0],
    [`random (${N.toLocaleString('en')} services)`, graph, (s: string) => randomMs.get(s) ?? 0],
  ] as const) {
    const levelwise = levelByLevelMs(g, ms);
    const ready = asSoonAsReadyMs(g, ms);
    const critical = g.criticalPath(Object.fromEntries(g.services().map((s) => [s, ms(s)]))).totalMs;
    const saved = `${(100 * (1 - ready / levelwise)).toFixed(0)} %`;
    out.push(
      `| ${label} | ${(levelwise / 1000).toFixed(0)} s | ${(ready / 1000).toFixed(0)} s | ${(critical / 1000).toFixed(0)} s | ${saved} |`,
    );
  }
  out.push('');

  const [o, dg, ts] = acyclic;
  const best = Math.min(dg!.medianNs, ts!.medianNs);
  out.push('## Targets (issue 5)', '');
  out.push('| target | measured | met |', '|---|---:|:-:|');
  out.push(`| validate + levels + order ≤ 20 ms | ${fmtNs(o!.medianNs)} | ${o!.medianNs <= 20e6 ? 'yes' : 'no'} |`);
  out.push(
    `| ≥ 2× faster than the faster peer | ${(best / o!.medianNs).toFixed(2)}× | ${best / o!.medianNs >= 2 ? 'yes' : 'no'} |`,
  );
  out.push(
    `| scheduler, all services ≤ 50 ms | ${sched.medianMs.toFixed(2)} ms | ${sched.medianMs <= 50 ? 'yes' : 'no'} |`,
  );
  console.log(out.join('\n'));
}

await main();
