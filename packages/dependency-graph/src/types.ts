/**
 * When a dependency counts as ready for its dependent, in increasing order of strictness:
 * `'started'` (its process or container is running), `'healthy'` (its health checks pass) and
 * `'completed'` (it ran to a successful exit, like a migration job).
 */
export type DependencyCondition = 'started' | 'healthy' | 'completed';

/** Every {@link DependencyCondition}, from the weakest to the strictest. */
export const DEPENDENCY_CONDITIONS: readonly DependencyCondition[] = Object.freeze([
  'started',
  'healthy',
  'completed',
] as const);

/**
 * The condition a dependency gets when `dependsOn` is a list: `'healthy'`. Docker Compose defaults a list to
 * `service_started`, which lets a service start against a database that does not accept connections yet; the
 * orchestrator this graph drives waits on health checks, so a dependency named without a condition must be healthy.
 */
export const DEFAULT_CONDITION: DependencyCondition = 'healthy';

/**
 * What the graph reads from one service: its dependencies, as a list of names (each with
 * {@link DEFAULT_CONDITION}) or a map of name to condition. Any other field (image, command…) is ignored, so a
 * topology's service objects can be passed as they are.
 */
export interface ServiceDependencies {
  readonly dependsOn?: readonly string[] | Readonly<Record<string, DependencyCondition>>;
}

/** The services of a topology by name: a plain object or a `Map`. */
export type ServiceMap = Readonly<Record<string, ServiceDependencies>> | ReadonlyMap<string, ServiceDependencies>;

/** Options of {@link DependencyGraph.dependenciesOf} and {@link DependencyGraph.dependentsOf}. */
export interface RelationOptions {
  /** Follow the relation to the end instead of one step (default `false`). */
  readonly transitive?: boolean;
}

/** The result of {@link DependencyGraph.criticalPath}. */
export interface CriticalPath {
  /** The chain of services that bounds the deployment time, dependencies first; empty for an empty graph. */
  readonly path: readonly string[];
  /** The sum of the durations along `path`, in milliseconds. */
  readonly totalMs: number;
}
