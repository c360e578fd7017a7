/** Deterministic random service graphs for the dependency-graph benchmarks (a seeded PRNG, no Math.random). */
import type { ServiceDependencies } from '@dive/dependency-graph';

/** mulberry32: a small, fast, seeded PRNG returning numbers in [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One graph in the three shapes the contenders take. */
export interface BenchGraph {
  readonly nodes: string[];
  /** `[dependency, dependent]`: toposort's "from start to end" direction. */
  readonly edges: [string, string][];
  /** The same graph as DIVE services. */
  readonly services: Record<string, ServiceDependencies>;
}

/**
 * A random DAG: `n` services with names in shuffled order, `m` distinct edges, each from a service to one ranked
 * before it (so no cycles). `backEdges` extra edges point the other way and make cycles.
 */
export function randomGraph(n: number, m: number, seed = 42, backEdges = 0): BenchGraph {
  const random = prng(seed);
  const nodes = Array.from({ length: n }, (_, i) => `svc-${String(i).padStart(5, '0')}`);
  const rank = [...nodes];
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [rank[i], rank[j]] = [rank[j]!, rank[i]!];
  }
  const seen = new Set<string>();
  const edges: [string, string][] = [];
  const deps = new Map<string, string[]>(nodes.map((s) => [s, []]));
  const add = (dependent: string, dependency: string) => {
    const key = `${dependent}>${dependency}`;
    if (seen.has(key)) return false;
    seen.add(key);
    edges.push([dependency, dependent]);
    deps.get(dependent)!.push(dependency);
    return true;
  };
  while (edges.length < m) {
    const a = Math.floor(random() * n);
    const b = Math.floor(random() * n);
    if (a !== b) add(rank[Math.max(a, b)]!, rank[Math.min(a, b)]!);
  }
  for (let k = 0; k < backEdges;) {
    const a = Math.floor(random() * n);
    const b = Math.floor(random() * n);
    if (a !== b && add(rank[Math.min(a, b)]!, rank[Math.max(a, b)]!)) k++;
  }
  // Services are inserted in the shuffled order, as a hand-written topology would be: no free pre-sorted input.
  const services: Record<string, ServiceDependencies> = {};
  for (const s of rank) services[s] = { dependsOn: deps.get(s)! };
  return { nodes, edges, services };
}
