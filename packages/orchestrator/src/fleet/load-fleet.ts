import { readFile } from 'node:fs/promises';
import { dirname, extname, resolve } from 'node:path';
import { ConfigInvalidError, ConfigMissingError } from '@dive/errors';
import { err, ok, type Result } from 'neverthrow';
import type { z } from 'zod';
import { anchorProcesses } from '../cli/topology-file.js';
import { invalidTopology } from '../topology/define-topology.js';
import type { LoadedTopology } from '../topology/load-topology.js';
import { parseSource } from '../topology/parse-source.js';
import { formatPath, sortProblems, type RawProblem, type TopologyProblem } from '../topology/problems.js';
import { TOPOLOGY_FILE_MAX_BYTES } from '../topology/source-limits.js';
import { lineMapper, type LineOf } from '../topology/source-lines.js';
import { absolute, loadFleetTopologies } from './load-topologies.js';
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

/**
 * Read and validate the fleet document itself (not its topologies): every problem with the file and line.
 * @internal
 */
export async function readFleetFile(file: string): Promise<Result<FleetFile, LoadFleetError>> {
  return (await readFleetDocument(file)).map((read) => read.spec);
}

/** {@link readFleetFile}, with the lines of the document's fields. */
async function readFleetDocument(file: string): Promise<Result<{ spec: FleetFile; lineOf: LineOf }, LoadFleetError>> {
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
  return ok({ spec: result.data as FleetFile, lineOf });
}

/**
 * Read a fleet file (YAML or JSON) and every topology it names. Every problem is reported at once with its file and
 * line: the fleet file's (schema, waves naming undefined instances, an instance in no wave or in two) and its
 * topologies', each topology file's once however many instances use it. Topology paths (and TLS files) are relative to
 * the fleet file. The fleet gives each instance its code: a topology needs no `instance` of its own (one it has is
 * replaced), so one `spoke.yaml` serves many spokes.
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
  const read = await readFleetDocument(file);
  if (read.isErr()) return err(read.error);
  const { spec, lineOf } = read.value;
  const { topologies, problems } = await loadFleetTopologies(spec, { file, dir: dirname(file), lineOf }, options.env);
  if (problems.length > 0) return err(invalidTopology(`Invalid fleet ${file}`, [...problems], file));
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
  const all = [...new Set(topologies.values())]; // one per topology file
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
