import type { ServiceHandle } from '../runtime/types.js';
import type { Topology } from '../topology/types.js';

/**
 * The order to stop an instance's services in: dependents before what they depend on, so that no running service
 * loses a dependency while it still runs. With the topology that was deployed (the latest generation checkpoint's),
 * its `dependsOn` decides; services it does not name (leftovers) go first. Without one, or among services the
 * topology does not order, the most recently started goes first (a dependent is only started once its dependencies
 * are up), and otherwise the reverse of the listing.
 */
export function stopOrder(handles: readonly ServiceHandle[], topology?: Topology): ServiceHandle[] {
  const rank = topology === undefined ? new Map<string, number>() : dependencyDepth(topology);
  const listed = new Map(handles.map((h, i) => [h, i]));
  const started = (h: ServiceHandle): number => Date.parse(h.startedAt) || 0;
  return [...handles].sort(
    (a, b) =>
      // deeper (more dependencies beneath it) first; unknown services (-1 → Infinity) before every known one
      depthKey(rank.get(b.service)) - depthKey(rank.get(a.service)) ||
      started(b) - started(a) ||
      (listed.get(b) ?? 0) - (listed.get(a) ?? 0),
  );
}

const depthKey = (depth: number | undefined): number => (depth === undefined ? Number.MAX_SAFE_INTEGER : depth);

/**
 * {@link stopOrder} in waves that can be stopped at once: services the topology places at the same depth depend on
 * nothing in the same wave. Leftovers it does not name form the first wave. Without a topology nothing is known
 * about dependencies, so every wave holds one service.
 */
export function stopWaves(handles: readonly ServiceHandle[], topology?: Topology): ServiceHandle[][] {
  const ordered = stopOrder(handles, topology);
  if (topology === undefined) return ordered.map((h) => [h]);
  const rank = dependencyDepth(topology);
  const waves: ServiceHandle[][] = [];
  let current: number | undefined;
  for (const h of ordered) {
    const key = depthKey(rank.get(h.service));
    if (waves.length === 0 || key !== current) waves.push([]);
    waves.at(-1)?.push(h);
    current = key;
  }
  return waves;
}

/** For each service, the length of its longest chain of dependencies (0 for none). Cycles are cut, not followed. */
function dependencyDepth(topology: Topology): Map<string, number> {
  const depth = new Map<string, number>();
  const visiting = new Set<string>();
  const dependencies = (name: string): readonly string[] => {
    const d = topology.services[name]?.dependsOn;
    if (d === undefined) return [];
    return isList(d) ? d : Object.keys(d);
  };
  const visit = (name: string): number => {
    const known = depth.get(name);
    if (known !== undefined) return known;
    if (visiting.has(name) || topology.services[name] === undefined) return -1;
    visiting.add(name);
    let d = 0;
    for (const dep of dependencies(name)) d = Math.max(d, visit(dep) + 1);
    visiting.delete(name);
    depth.set(name, d);
    return d;
  };
  for (const name of Object.keys(topology.services)) visit(name);
  return depth;
}

const isList = (d: readonly string[] | Readonly<Record<string, unknown>>): d is readonly string[] => Array.isArray(d);
