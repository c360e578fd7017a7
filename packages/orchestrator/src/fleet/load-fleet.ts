import { readFile } from 'node:fs/promises';
import { dirname, extname, isAbsolute, resolve } from 'node:path';
import { ConfigInvalidError, ConfigMissingError, DiveError } from '@dive/errors';
import { err, ok, type Result } from 'neverthrow';
import type { z } from 'zod';
import { anchorProcesses } from '../cli/topology-file.js';
import { invalidTopology } from '../topology/define-topology.js';
import { loadTopology, type LoadedTopology } from '../topology/load-topology.js';
import { parseSource } from '../topology/parse-source.js';
import { formatPath, sortProblems, type RawProblem, type TopologyProblem } from '../topology/problems.js';
import { TOPOLOGY_FILE_MAX_BYTES } from '../topology/source-limits.js';
import { lineMapper } from '../topology/source-lines.js';
import { fleetCrossChecks, fleetFileSchema, waveObject, type FleetFile } from './schema.js';
import type { FleetGate, FleetInstance, FleetWave, LoadedFleet } from './types.js';

/** Options of {@link loadFleet}. */
export interface LoadFleetOptions {
  /** Variables for the topologies' `${VAR}` interpolation and `{ secret: NAME }` checks. Default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** The errors {@link loadFleet} can return. */
export type LoadFleetError = ConfigMissingError | ConfigInvalidError;

function issueProblems(issue: z.core.$ZodIssue): RawProblem[] {
  const path = issue.path.filter((s): s is string | number => typeof s !== 'symbol');
  if (issue.code === 'unrecognized_keys')
    return issue.keys.map((key) => ({ path: [...path, key], message: `unknown key '${key}'` }));
  if (issue.code === 'invalid_type' && issue.message.endsWith('received undefined'))
    return [{ path, message: `is required (${issue.expected})` }];
  if (issue.code === 'invalid_key') return [{ path, message: `key ${issue.issues[0]?.message ?? 'is not allowed'}` }];
  return [{ path, message: issue.message.replace(/^Invalid input: /, '') }];
}

const absolute = (base: string, p: string): string => (isAbsolute(p) ? p : resolve(base, p));

/** The problems of a topology that failed to load, placed at the instance's `topology` field when they have no file. */
function topologyProblems(e: DiveError, at: TopologyProblem): TopologyProblem[] {
  const listed = (e.context as { problems?: unknown }).problems;
  if (Array.isArray(listed) && listed.length > 0) return listed as TopologyProblem[];
  return [{ ...at, message: e.message }];
}

/**
 * Read and validate the fleet document itself (not its topologies): every problem with the file and line.
 * @internal
 */
export async function readFleetFile(file: string): Promise<Result<FleetFile, LoadFleetError>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    const why = (cause as NodeJS.ErrnoException).code ?? String(cause);
    return err(new ConfigMissingError(`cannot read fleet file ${file}: ${why}`, { context: { file }, cause }));
  }
  const invalid = (problems: TopologyProblem[]) => err(invalidTopology(`Invalid fleet file ${file}`, problems, file));
  if (text.length > TOPOLOGY_FILE_MAX_BYTES) {
    return invalid([{ path: '', file, message: `file is above the ${TOPOLOGY_FILE_MAX_BYTES}-byte limit` }]);
  }
  const parsed = parseSource(text, extname(file).toLowerCase() === '.json');
  if (Array.isArray(parsed))
    return invalid(
      parsed.map((p) => ({ path: '', message: p.message, file, ...(p.line === undefined ? {} : { line: p.line }) })),
    );
  const lineOf = lineMapper(parsed.doc, parsed.counter);
  const raw: unknown = parsed.doc.toJS();
  const result = fleetFileSchema.safeParse(raw);
  const problems = result.success ? fleetCrossChecks(result.data) : result.error.issues.flatMap(issueProblems);
  if (problems.length > 0) {
    return invalid(
      sortProblems(
        problems.map((p) => {
          const line = lineOf(p.path);
          return { path: formatPath(p.path), message: p.message, file, ...(line === undefined ? {} : { line }) };
        }),
      ),
    );
  }
  return ok(result.data as FleetFile);
}

/**
 * Read a fleet file (YAML or JSON) and every topology it names. Every problem is reported at once with its file and
 * line: the fleet file's (schema, waves naming undefined instances, an instance in no wave or in two) and its
 * topologies'. Topology paths (and TLS files) are relative to the fleet file; each topology's `instance` becomes the
 * fleet's code for it, so one `spoke.yaml` serves many spokes.
 *
 * @param path - the fleet file
 * @param options - `env` for the topologies
 * @returns Ok the {@link LoadedFleet}; Err `ConfigMissingError` (1001: the fleet file cannot be read) or
 *   `ConfigInvalidError` (1002: every problem in `context.problems`, topologies' included)
 * @example
 * ```ts
 * const fleet = await loadFleet('fleet.yaml');
 * if (fleet.isErr()) console.error(fleet.error.message); // fleet.yaml:9: waves[1].instances[0]: instance GBR is not defined …
 * ```
 */
export async function loadFleet(
  path: string,
  options: LoadFleetOptions = {},
): Promise<Result<LoadedFleet, LoadFleetError>> {
  const file = resolve(path);
  const read = await readFleetFile(file);
  if (read.isErr()) return err(read.error);
  const spec = read.value;
  const dir = dirname(file);
  const codes = Object.keys(spec.instances).sort();
  const loaded = await Promise.all(
    codes.map((c) =>
      loadTopology(absolute(dir, spec.instances[c]?.topology ?? ''), {
        instance: c,
        ...(options.env === undefined ? {} : { env: options.env }),
      }),
    ),
  );
  const problems: TopologyProblem[] = [];
  const topologies = new Map<string, LoadedTopology>();
  loaded.forEach((r, i) => {
    const c = codes[i] as string;
    if (r.isOk()) topologies.set(c, r.value);
    else problems.push(...topologyProblems(r.error, { path: `instances.${c}.topology`, message: '', file }));
  });
  if (problems.length > 0) return err(invalidTopology(`Invalid fleet ${file}`, problems, file));
  return ok(toLoadedFleet(spec, file, topologies));
}

function toLoadedFleet(spec: FleetFile, file: string, topologies: ReadonlyMap<string, LoadedTopology>): LoadedFleet {
  const dir = dirname(file);
  const instances: Record<string, FleetInstance> = {};
  const topologyFiles: Record<string, string> = {};
  for (const [c, s] of Object.entries(spec.instances)) {
    const t = topologies.get(c) as LoadedTopology;
    topologyFiles[c] = t.file;
    instances[c] = {
      topology: anchorProcesses({ ...t.topology, instance: c }, dirname(t.file)),
      ...(s.docker === undefined ? {} : { docker: s.docker }),
      ...(s.tls === undefined
        ? {}
        : { tls: { ca: absolute(dir, s.tls.ca), cert: absolute(dir, s.tls.cert), key: absolute(dir, s.tls.key) } }),
      ...(s.runtime === undefined ? {} : { runtime: s.runtime }),
      ...(t.interpolated.length === 0 ? {} : { secretVariables: t.interpolated }),
      ...(t.envFiles.length === 0 ? {} : { secretEnvFiles: t.envFiles }),
    };
  }
  const all = [...topologies.values()];
  return {
    name: spec.fleet,
    instances,
    // zod leaves absent optional keys out, as exactOptionalPropertyTypes wants
    waves: spec.waves.map(waveObject) as readonly FleetWave[],
    ...(spec.gate === undefined ? {} : { gate: spec.gate as FleetGate }),
    ...(spec.onGateFailure === undefined ? {} : { onGateFailure: spec.onGateFailure }),
    file,
    topologyFiles,
    warnings: all.flatMap((t) => t.warnings),
    secrets: [...new Set(all.flatMap((t) => t.secrets))].sort(),
  };
}
