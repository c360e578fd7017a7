import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { ConfigMissingError, UsageError, type DiveError } from '@dive/errors';
import { err, errAsync, ok, type Result, type ResultAsync } from 'neverthrow';
import { jsonLogger, silentLogger, type Logger } from '../logger.js';
import { dockerRuntime } from '../runtime/docker-runtime.js';
import { processRuntime } from '../runtime/process-runtime.js';
import type { Runtime } from '../runtime/types.js';
import type { Topology } from '../topology/types.js';
import { fileState, postgresState, type StateBackend } from '../state.js';
import { loadTopology, type LoadedTopology } from '../topology/load-topology.js';
import type { CliIO, GlobalFlags } from './io.js';
import { parseStateUrl } from './state-url.js';

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

/** Load the topology the command is about; process services are anchored to the file's directory. */
export function loadFor(
  io: CliIO,
  file: string | undefined,
  instance?: string,
): ResultAsync<LoadedTopology, DiveError> {
  const path = findTopologyFile(io, file);
  if (path.isErr()) return errAsync(path.error);
  return loadTopology(path.value, { env: io.env, ...(instance === undefined ? {} : { instance }) }).map((loaded) => ({
    ...loaded,
    topology: anchorProcesses(loaded.topology, dirname(path.value)),
  }));
}

/** The state backend named by `--state` / `DIVE_STATE_URL` (default `file:.dive`, relative to the cwd). */
export function stateFor(io: CliIO, flags: GlobalFlags): Result<StateBackend, DiveError> {
  const location = parseStateUrl(flags.state ?? io.env['DIVE_STATE_URL']);
  if (location.isErr()) return err(location.error);
  const l = location.value;
  return ok(
    l.kind === 'postgres'
      ? postgresState(l.url, { applicationName: 'dive-cli' })
      : fileState(isAbsolute(l.dir) ? l.dir : resolve(io.cwd, l.dir)),
  );
}

/** The runtime: `--runtime docker|process`, or by the topology (containers → Docker). */
export function runtimeFor(
  kind: string | undefined,
  loaded: LoadedTopology | undefined,
  stateDir: string | undefined,
): Result<Runtime | undefined, DiveError> {
  const logDir = stateDir === undefined ? undefined : join(stateDir, 'logs');
  const proc = (): Runtime => processRuntime(logDir === undefined ? {} : { logDir });
  if (kind === undefined || kind === 'auto') {
    if (loaded === undefined) return ok(undefined);
    return ok(
      Object.values(loaded.topology.services).some((s) => s.container !== undefined) ? dockerRuntime() : proc(),
    );
  }
  if (kind === 'docker') return ok(dockerRuntime());
  if (kind === 'process') return ok(proc());
  return err(
    new UsageError(`--runtime must be docker, process or auto, got ${kind}`, { context: { flag: '--runtime' } }),
  );
}

/** `--lock-timeout` in ms (accepts `30s`, `500ms`, `2m`, or a plain number of ms). */
export function parseDuration(value: string | undefined, flag: string): Result<number | undefined, DiveError> {
  if (value === undefined) return ok(undefined);
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(value.trim());
  if (m === null)
    return err(
      new UsageError(`${flag} must be a duration like 30s, 500ms or 2m, got '${value}'`, { context: { flag } }),
    );
  const n = Number(m[1]);
  const unit = m[2] ?? 'ms';
  return ok(Math.round(unit === 'ms' ? n : unit === 's' ? n * 1000 : n * 60_000));
}

/** The logger: JSON lines on stderr with `--verbose`, silent otherwise (progress covers people). */
export function loggerFor(io: CliIO, flags: GlobalFlags, secrets: readonly string[] = []): Logger {
  return flags.verbose === true
    ? jsonLogger({ stream: io.stderr, level: 'debug', bindings: { module: 'dive' }, secretKeys: new Set(secrets) })
    : silentLogger;
}
