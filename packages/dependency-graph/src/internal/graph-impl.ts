/* eslint-disable @typescript-eslint/no-non-null-assertion -- reads of typed arrays and of `names` at indexes that
   are in bounds by construction (CSR rows over 0..n-1); a check per read would only cost in the hot loops. */
import { UsageError } from '@dive/errors';
import { err, ok, type Result } from 'neverthrow';
import type { DependencyGraph } from '../dependency-graph.js';
import type { Scheduler } from '../scheduler.js';
import type { CriticalPath, DependencyCondition, RelationOptions, ServiceDependencies } from '../types.js';
import { RANK_CONDITION, type Compiled } from './compiled.js';
import { criticalPathOf } from './critical-path.js';
import { toDot, toMermaid } from './render.js';
import { createSchedulerImpl } from './scheduler-impl.js';

/** How a valid graph is rebuilt from a subset of its services (given by `createDependencyGraph`). */
export type Rebuild = (services: Map<string, ServiceDependencies>) => DependencyGraph;

/** The one implementation of {@link DependencyGraph}, over compiled rows and a finished topological sort. */
export class CompiledGraph implements DependencyGraph {
  /** Each service's place in `order`. */
  private readonly position: Int32Array;
  private levelsCache: readonly (readonly string[])[] | undefined;
  private orderCache: readonly string[] | undefined;

  constructor(
    private readonly g: Compiled,
    private readonly order: Int32Array,
    private readonly level: Int32Array,
    private readonly rebuild: Rebuild,
  ) {
    this.position = new Int32Array(order.length);
    order.forEach((v, i) => (this.position[v] = i));
  }

  get size(): number {
    return this.g.names.length;
  }

  get edgeCount(): number {
    return this.g.depList.length;
  }

  has(name: string): boolean {
    return this.g.index[name] !== undefined;
  }

  services(): readonly string[] {
    return this.g.names;
  }

  conditionOf(service: string, dependency: string): DependencyCondition | undefined {
    const v = this.id(service);
    const u = this.id(dependency);
    for (let e = this.g.depStart[v]!; e < this.g.depStart[v + 1]!; e++) {
      if (this.g.depList[e] === u) return RANK_CONDITION[this.g.depCond[e]!];
    }
    return undefined;
  }

  levels(): readonly (readonly string[])[] {
    if (this.levelsCache === undefined) {
      // The order is level-major and sorted by name inside a level: each layer is one slice of it.
      const order = this.topologicalOrder();
      const layers: (readonly string[])[] = [];
      let from = 0;
      for (let i = 1; i <= order.length; i++) {
        if (i === order.length || this.level[this.order[i]!] !== this.level[this.order[from]!]) {
          layers.push(Object.freeze(order.slice(from, i)));
          from = i;
        }
      }
      this.levelsCache = Object.freeze(layers);
    }
    return this.levelsCache;
  }

  levelOf(name: string): number {
    return this.level[this.id(name)]!;
  }

  topologicalOrder(): readonly string[] {
    if (this.orderCache === undefined) {
      const names: string[] = [];
      for (let i = 0; i < this.order.length; i++) names.push(this.g.names[this.order[i]!]!);
      this.orderCache = Object.freeze(names);
    }
    return this.orderCache;
  }

  reverseOrder(): readonly string[] {
    return [...this.topologicalOrder()].reverse();
  }

  dependenciesOf(name: string, options: RelationOptions = {}): readonly string[] {
    return this.relation(this.id(name), this.g.depStart, this.g.depList, options.transitive === true);
  }

  dependentsOf(name: string, options: RelationOptions = {}): readonly string[] {
    const { revStart, revList } = this.g.reverse();
    return this.relation(this.id(name), revStart, revList, options.transitive === true);
  }

  subgraph(targets: Iterable<string>): Result<DependencyGraph, UsageError> {
    const seeds: number[] = [];
    const unknown: string[] = [];
    for (const t of targets) {
      const v = this.g.index[t];
      if (v === undefined) unknown.push(t);
      else seeds.push(v);
    }
    if (unknown.length > 0) {
      const list = [...new Set(unknown)].sort();
      return err(
        new UsageError(`subgraph: not services of this graph: ${list.map((t) => `'${t}'`).join(', ')}`, {
          context: { unknown: list },
        }),
      );
    }
    const keep = this.closure(seeds, this.g.depStart, this.g.depList);
    const services = new Map<string, ServiceDependencies>();
    for (const v of keep) {
      const dependsOn: Record<string, DependencyCondition> = {};
      for (let e = this.g.depStart[v]!; e < this.g.depStart[v + 1]!; e++) {
        dependsOn[this.g.names[this.g.depList[e]!]!] = RANK_CONDITION[this.g.depCond[e]!]!;
      }
      services.set(this.g.names[v]!, { dependsOn });
    }
    return ok(this.rebuild(services));
  }

  criticalPath(durationsMs: Readonly<Record<string, number>> | ReadonlyMap<string, number>): CriticalPath {
    return criticalPathOf(this.g, this.order, durationsMs);
  }

  toMermaid(): string {
    return toMermaid(this.g);
  }

  toDot(): string {
    return toDot(this.g);
  }

  createScheduler(): Scheduler {
    return createSchedulerImpl(this.g, this.position);
  }

  private id(name: string): number {
    const v = this.g.index[name];
    if (v === undefined) throw new RangeError(`dependency graph: '${name}' is not a service of this graph`);
    return v;
  }

  private relation(v: number, start: Int32Array, list: Int32Array, transitive: boolean): string[] {
    const found = transitive
      ? this.closure([v], start, list).filter((u) => u !== v)
      : Array.from(list.subarray(start[v], start[v + 1]));
    return found.sort((a, b) => this.position[a]! - this.position[b]!).map((u) => this.g.names[u]!);
  }

  /** Every service reachable from `seeds` along the rows (seeds included), iteratively. */
  private closure(seeds: readonly number[], start: Int32Array, list: Int32Array): number[] {
    const seen = new Uint8Array(this.g.names.length);
    const out: number[] = [];
    const stack: number[] = [];
    for (const s of seeds) {
      if (seen[s] === 1) continue;
      seen[s] = 1;
      stack.push(s);
      while (stack.length > 0) {
        const u = stack.pop()!;
        out.push(u);
        for (let e = start[u]!; e < start[u + 1]!; e++) {
          const w = list[e]!;
          if (seen[w] === 0) {
            seen[w] = 1;
            stack.push(w);
          }
        }
      }
    }
    return out;
  }
}
