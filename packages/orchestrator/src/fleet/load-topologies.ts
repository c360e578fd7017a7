import { isAbsolute, resolve } from 'node:path';
import type { DiveError } from '@dive/errors';
import { loadTopology, type LoadedTopology } from '../topology/load-topology.js';
import { formatPath, type TopologyProblem } from '../topology/problems.js';
import type { LineOf } from '../topology/source-lines.js';
import type { FleetFile } from './schema.js';

/** A path of the fleet file, absolute. @internal */
export const absolute = (base: string, p: string): string => (isAbsolute(p) ? p : resolve(base, p));

/** What {@link loadFleetTopologies} read: each instance's topology, or every problem of every topology file. */
export interface FleetTopologies {
  readonly topologies: ReadonlyMap<string, LoadedTopology>;
  readonly problems: readonly TopologyProblem[];
}

/** Each distinct topology file (absolute) with the instances that use it (sorted), in the order of their codes. */
function filesOf(spec: FleetFile, dir: string): Map<string, string[]> {
  const users = new Map<string, string[]>();
  for (const code of Object.keys(spec.instances).sort()) {
    const path = absolute(dir, spec.instances[code]?.topology ?? '');
    users.set(path, [...(users.get(path) ?? []), code]);
  }
  return users;
}

/**
 * The problems of one topology file that failed to load, reported once however many instances use it: a line at
 * the fleet file's `instances.<code>.topology` naming the file and its users, then the file's own problems (each with
 * its file and line); a file that cannot be read is that one line.
 */
function fileProblems(e: DiveError, written: string, codes: readonly string[], fleet: string, lineOf: LineOf) {
  const field = ['instances', codes[0] ?? '', 'topology'];
  const line = lineOf(field);
  const at = { path: formatPath(field), file: fleet, ...(line === undefined ? {} : { line }) };
  const usedBy = `used by ${codes.join(', ')}`;
  const listed = (e.context as { problems?: unknown }).problems;
  if (!Array.isArray(listed) || listed.length === 0) return [{ ...at, message: `${e.message} (${usedBy})` }];
  const count = listed.length === 1 ? '1 problem' : `${listed.length} problems`;
  return [{ ...at, message: `topology ${written} (${usedBy}) has ${count}` }, ...(listed as TopologyProblem[])];
}

/**
 * Load every topology a fleet names, each distinct file once (a `spoke.yaml` used by five spokes is read and
 * validated once, and its problems are listed once). A file without its own `instance` gets the first of its
 * instances' codes; the fleet gives each instance its own code afterwards.
 * @internal
 */
export async function loadFleetTopologies(
  spec: FleetFile,
  fleet: { readonly file: string; readonly dir: string; readonly lineOf: LineOf },
  env: Readonly<Record<string, string | undefined>> | undefined,
): Promise<FleetTopologies> {
  const files = [...filesOf(spec, fleet.dir)];
  const loaded = await Promise.all(
    files.map(([path, codes]) =>
      loadTopology(path, {
        ...(codes[0] === undefined ? {} : { instance: codes[0] }),
        ...(env === undefined ? {} : { env }),
      }),
    ),
  );
  const topologies = new Map<string, LoadedTopology>();
  const problems: TopologyProblem[] = [];
  loaded.forEach((r, i) => {
    const [path, codes] = files[i] as [string, string[]];
    const written = spec.instances[codes[0] ?? '']?.topology ?? path;
    if (r.isOk()) for (const code of codes) topologies.set(code, r.value);
    else problems.push(...fileProblems(r.error, written, codes, fleet.file, fleet.lineOf));
  });
  return { topologies, problems };
}
