import type { ServiceHandle } from '../runtime/types.js';
import type { Topology } from '../topology/types.js';
import { topologyGraph } from './resolve.js';

/**
 * The order to stop an instance's services in: dependents before what they depend on, so that no running service
 * loses a dependency while it still runs. With the topology that was deployed (the latest generation checkpoint's),
 * its dependency levels decide (highest first); services it does not name (leftovers) go first. Without one, or
 * within a level, the most recently started goes first (a dependent is only started once its dependencies are
 * up), and otherwise the reverse of the listing.
 */
export function stopOrder(handles: readonly ServiceHandle[], topology?: Topology): ServiceHandle[] {
  return sorted(handles, levelsOf(topology));
}

/**
 * {@link stopOrder} in waves that can be stopped at once: services of one dependency level depend on nothing in
 * the same wave. Leftovers the topology does not name form the first wave. Without a topology nothing is known
 * about dependencies, so every wave holds one service.
 */
export function stopWaves(handles: readonly ServiceHandle[], topology?: Topology): ServiceHandle[][] {
  const levels = levelsOf(topology);
  const ordered = sorted(handles, levels);
  if (levels === undefined) return ordered.map((h) => [h]);
  const waves: ServiceHandle[][] = [];
  let current: number | undefined;
  for (const h of ordered) {
    const key = rank(levels, h);
    if (waves.length === 0 || key !== current) waves.push([]);
    waves.at(-1)?.push(h);
    current = key;
  }
  return waves;
}

/** Each service's dependency level, or undefined without a topology (or with one that no longer forms a graph). */
function levelsOf(topology: Topology | undefined): ReadonlyMap<string, number> | undefined {
  const graph = topology === undefined ? undefined : topologyGraph(topology);
  if (graph === undefined || graph.isErr()) return undefined;
  return new Map(graph.value.levels().flatMap((names, level) => names.map((n) => [n, level] as const)));
}

/** Higher stops first; a service the topology does not name ranks above all. */
const rank = (levels: ReadonlyMap<string, number> | undefined, h: ServiceHandle): number =>
  levels?.get(h.service) ?? Number.MAX_SAFE_INTEGER;

function sorted(handles: readonly ServiceHandle[], levels: ReadonlyMap<string, number> | undefined): ServiceHandle[] {
  const listed = new Map(handles.map((h, i) => [h, i]));
  const started = (h: ServiceHandle): number => Date.parse(h.startedAt) || 0;
  return [...handles].sort(
    (a, b) =>
      rank(levels, b) - rank(levels, a) || started(b) - started(a) || (listed.get(b) ?? 0) - (listed.get(a) ?? 0),
  );
}
