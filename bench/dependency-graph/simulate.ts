/**
 * Simulated deployments: how long starting a graph takes when each service takes a known time to become healthy,
 * level by level (the seeds' algorithm: a level starts when the whole previous level is healthy) versus as soon as
 * ready (the scheduler). Pure arithmetic on virtual time; no clock involved.
 */
import type { DependencyGraph } from '@dive/dependency-graph';

/** Level by level: the sum over levels of the slowest service of each level. */
export function levelByLevelMs(graph: DependencyGraph, durationMs: (name: string) => number): number {
  return graph.levels().reduce((total, level) => total + Math.max(...level.map(durationMs)), 0);
}

/**
 * As soon as ready, driven by the real scheduler: every released service starts at once and reports healthy after
 * its duration; events are processed in time order.
 */
export function asSoonAsReadyMs(graph: DependencyGraph, durationMs: (name: string) => number): number {
  const scheduler = graph.createScheduler();
  const events: { at: number; name: string }[] = [];
  let now = 0;
  const release = () => {
    for (const name of scheduler.ready()) {
      scheduler.started(name);
      events.push({ at: now + durationMs(name), name });
    }
    events.sort((a, b) => b.at - a.at || (a.name < b.name ? 1 : -1)); // latest first: pop() takes the earliest
  };
  release();
  while (events.length > 0) {
    const next = events.pop()!;
    now = next.at;
    scheduler.healthy(next.name);
    release();
  }
  if (!scheduler.isDone()) throw new Error('simulation ended with services pending');
  return now;
}
