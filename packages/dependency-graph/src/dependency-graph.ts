import type { Result } from 'neverthrow';
import type { UsageError } from '@dive/errors';
import type { Scheduler } from './scheduler.js';
import type { CriticalPath, DependencyCondition, RelationOptions } from './types.js';

/**
 * A valid (acyclic, closed) dependency graph of services, made by {@link createDependencyGraph}. Immutable.
 *
 * Every list it returns is deterministic: services in topological order — level by level (see
 * {@link DependencyGraph.levels}), by name inside a level — unless said otherwise. Methods that take one service name throw a `RangeError` for a name that is not in the
 * graph (check with {@link DependencyGraph.has}); that is a programmer error, not an expected failure.
 */
export interface DependencyGraph {
  /** Number of services. */
  readonly size: number;
  /** Number of dependency edges (after de-duplication). */
  readonly edgeCount: number;
  /** Whether `name` is a service of the graph. */
  has(name: string): boolean;
  /** Every service name, sorted by name. */
  services(): readonly string[];
  /**
   * The condition under which `service` may start with respect to `dependency`.
   * @returns the condition, or `undefined` when `service` does not depend on `dependency` directly
   */
  conditionOf(service: string, dependency: string): DependencyCondition | undefined;
  /**
   * The services in longest-path layers: level 0 has no dependencies, and a service's level is one more than the
   * highest level among its dependencies. Each layer is sorted by name.
   */
  levels(): readonly (readonly string[])[];
  /** The level of one service (see {@link DependencyGraph.levels}). */
  levelOf(name: string): number;
  /**
   * Every service, each after all of its dependencies: `levels()` flattened, so level 0 first and, inside a level,
   * by name. The same input always gives the same order, whatever the order of its keys.
   */
  topologicalOrder(): readonly string[];
  /** Exactly `topologicalOrder()` reversed: each service before its dependencies, for teardown. */
  reverseOrder(): readonly string[];
  /**
   * What `name` depends on: directly, or with `{ transitive: true }` everything it needs. Topological order.
   * @param name - a service of the graph
   * @param options - `transitive` (default `false`)
   */
  dependenciesOf(name: string, options?: RelationOptions): readonly string[];
  /**
   * What depends on `name`: directly, or with `{ transitive: true }` everything that needs it. Topological order.
   * @param name - a service of the graph
   * @param options - `transitive` (default `false`)
   */
  dependentsOf(name: string, options?: RelationOptions): readonly string[];
  /**
   * The graph of `targets` plus everything they need, transitively, with the same conditions.
   * @param targets - service names, e.g. from a `--only` flag
   * @returns Ok with the subgraph; Err `UsageError` (1007) naming every target that is not a service
   */
  subgraph(targets: Iterable<string>): Result<DependencyGraph, UsageError>;
  /**
   * The longest chain of services by total duration: the lower bound of an as-soon-as-ready deployment.
   * @param durationsMs - expected (or measured) duration of each service in ms; a missing service counts 0, a
   *   name not in the graph is ignored; a negative or non-finite duration throws `RangeError`
   * @returns `{ path, totalMs }`: the chain, dependencies first, without zero-duration services at its ends
   *   (empty when every duration is 0); ties are broken by name
   */
  criticalPath(durationsMs: Readonly<Record<string, number>> | ReadonlyMap<string, number>): CriticalPath;
  /**
   * A Mermaid `flowchart` of the graph: arrows go from a dependency to its dependent (start order), labelled with
   * the condition when it is not the default (`healthy`). Names are quoted and escaped; output is deterministic.
   */
  toMermaid(): string;
  /** The same drawing in Graphviz DOT (`digraph`), with quoted, escaped names. */
  toDot(): string;
  /**
   * A fresh, single-use {@link Scheduler} of this graph: feed it the services' progress and it releases each
   * service as soon as its own dependencies meet their conditions.
   */
  createScheduler(): Scheduler;
}
