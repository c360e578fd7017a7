/**
 * Where one service stands in a {@link Scheduler}:
 * `waiting` (a dependency does not meet its condition yet) · `ready` (released by {@link Scheduler.ready}, not
 * started yet) · `started` · `healthy` · `completed` · `failed` · `blocked` (a dependency failed or was blocked
 * before meeting its condition, so this service can never start).
 */
export type ServiceState = 'waiting' | 'ready' | 'started' | 'healthy' | 'completed' | 'failed' | 'blocked';

/**
 * The ready-set scheduler of one deployment: the orchestrator reports each service's progress and asks which
 * services may start now. A service is released as soon as every one of its own dependencies meets its condition
 * — it never waits for an unrelated slow service of the same level.
 *
 * Progress is monotonic: `completed` implies `healthy`, which implies `started`; a report that does not move a
 * service forward is ignored, and so is any report about a `failed` or `blocked` service. A report about a service
 * that was not released yet is accepted (the orchestrator may start things itself); that service is then never
 * released. Each report costs
 * O(out-degree) of the service (blocking is O(size of what it blocks)), so a whole deployment is O(n + m).
 * Single use: make a new one with {@link DependencyGraph.createScheduler} for the next deployment. Every method
 * that takes a name throws `RangeError` for a name that is not in the graph.
 */
export interface Scheduler {
  /**
   * The services released since the previous call: each service is released exactly once, when all its
   * dependencies meet their conditions. The first call returns every service without dependencies.
   * @returns names in topological order (by level, then by name); empty when nothing new is ready
   */
  ready(): readonly string[];
  /** Report that `name` is running (a `started` condition on it is now met). */
  started(name: string): void;
  /** Report that `name` passed its health checks (also meets `started`). */
  healthy(name: string): void;
  /** Report that `name` exited successfully (meets every condition). */
  completed(name: string): void;
  /**
   * Report that `name` failed. Every service that was waiting on it — directly, or through services that can now
   * never start — becomes `blocked`.
   * @returns the newly blocked services, in topological order
   */
  failed(name: string): readonly string[];
  /** The state of one service. */
  state(name: string): ServiceState;
  /** Services not settled yet (neither `healthy`, `completed`, `failed` nor `blocked`), in topological order. */
  pending(): readonly string[];
  /** Whether every service is settled: nothing more can be released. O(1). */
  isDone(): boolean;
}
