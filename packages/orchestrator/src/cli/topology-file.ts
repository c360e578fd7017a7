import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { ConfigMissingError, type DiveError } from '@dive/errors';
import { err, errAsync, ok, type Result, type ResultAsync } from 'neverthrow';
import type { Topology } from '../topology/types.js';
import { loadTopology, type LoadedTopology } from '../topology/load-topology.js';
import type { CliIO } from './io.js';

/** Topology files looked for when `-f` is not given, in order. */
export const DEFAULT_FILES = [
  'dive.yaml',
  'dive.yml',
  'dive.json',
  'compose.yaml',
  'compose.yml',
  'docker-compose.yaml',
  'docker-compose.yml',
] as const;

/** Find the topology file: `-f`, else the first default file in the working directory. */
export function findTopologyFile(io: CliIO, file: string | undefined): Result<string, DiveError> {
  if (file !== undefined) return ok(isAbsolute(file) ? file : resolve(io.cwd, file));
  const found = DEFAULT_FILES.map((f) => join(io.cwd, f)).find((f) => existsSync(f));
  if (found === undefined) {
    return err(
      new ConfigMissingError(`no topology file: none of ${DEFAULT_FILES.join(', ')} in ${io.cwd}`, {
        context: { cwd: io.cwd },
        remediation: 'Pass one with -f FILE, or run the command in the directory that holds dive.yaml.',
      }),
    );
  }
  return ok(found);
}

/** Process services run in the topology file's directory (or their `cwd`, relative to it). */
export function anchorProcesses(topology: Topology, dir: string): Topology {
  const services = Object.fromEntries(
    Object.entries(topology.services).map(([name, spec]) => [
      name,
      spec.process === undefined
        ? spec
        : { ...spec, process: { ...spec.process, cwd: resolve(dir, spec.process.cwd ?? '.') } },
    ]),
  );
  return { ...topology, services };
}

/** The flags of a command that reads a topology, for a compose file: `--instance`, `--env-file`, `--profile`. */
export interface TopologyFlags {
  readonly instance?: string;
  readonly envFile?: readonly string[];
  readonly profile?: readonly string[];
}

/** Load the topology the command is about; process services are anchored to the file's directory. */
export function loadFor(
  io: CliIO,
  file: string | undefined,
  topologyFlags: TopologyFlags = {},
): ResultAsync<LoadedTopology, DiveError> {
  const path = findTopologyFile(io, file);
  if (path.isErr()) return errAsync(path.error);
  const { instance, envFile = [], profile = [] } = topologyFlags;
  const options = {
    env: io.env,
    ...(instance === undefined ? {} : { instance }),
    ...(envFile.length === 0 ? {} : { envFiles: envFile.map((f) => resolve(io.cwd, f)) }),
    ...(profile.length === 0 ? {} : { profiles: profile }),
  };
  return loadTopology(path.value, options).map((loaded) => ({
    ...loaded,
    topology: anchorProcesses(loaded.topology, dirname(path.value)),
  }));
}
