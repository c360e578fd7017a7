import type { EnvFileSecret } from '../engine/env-file-secrets.js';
import { readFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { ConfigInvalidError, ConfigMissingError, SecretUnavailableError } from '@dive/errors';
import { errAsync, okAsync, ResultAsync } from 'neverthrow';
import { composePathOf } from './compose/paths.js';
import { invalidTopology } from './define-topology.js';
import { formatPath, formatProblems, sortProblems, type RawProblem, type TopologyProblem } from './problems.js';
import { findSecrets, missingSecrets } from './secrets.js';
import { mayBeCompose, NEEDS_COMPOSER, readDocument, type Composer } from './read-document.js';
import type { LineOf } from './source-lines.js';
import { resolvePathsFromFile } from './resolve-paths.js';
import { TOPOLOGY_FILE_MAX_BYTES, TOPOLOGY_MAX_NESTING, tooDeepAt } from './source-limits.js';
import type { Topology } from './types.js';
import { validateTopology } from './validate.js';

/** Options of {@link loadTopology}. */
export interface LoadTopologyOptions {
  /** Variables for `${VAR}` interpolation and `{ secret: NAME }` checks. Default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * The instance code of a Compose file; wins over `DIVE_INSTANCE` (in `env` or `.env`) and `x-dive.instance`.
   * For a dive file, the code when the file has no `instance` of its own (a fleet supplies its instance's code);
   * a dive file's own `instance` wins.
   */
  readonly instance?: string;
  /** Force the format instead of detecting it from the file name and content. */
  readonly format?: 'dive' | 'compose';
  /** Compose: files of variables read instead of the `.env` beside the file (`--env-file`), later ones winning. */
  readonly envFiles?: readonly string[];
  /** Compose: the active profiles (`--profile`), besides `COMPOSE_PROFILES`. */
  readonly profiles?: readonly string[];
  /** Reads the other files a Compose file names (`.env`, `env_file`, `extends`, `include`). Default: the disk. */
  readonly readText?: (absolutePath: string) => string | undefined;
}

/** A topology read from a file. */
export interface LoadedTopology {
  /** The validated topology. */
  readonly topology: Topology;
  /** The path it was read from, as given. */
  readonly file: string;
  /** `dive` for a dive YAML/JSON file, `compose` for an imported Compose file. */
  readonly format: 'dive' | 'compose';
  /** One line per thing ignored (each ignored Compose key), as `file:line: message`. Never contains a secret value. */
  readonly warnings: readonly string[];
  /** Names of the environment variables that hold secrets, for redaction. Sorted, unique. */
  readonly secrets: readonly string[];
  /**
   * Names of the variables whose values `${VAR}` interpolation put into the topology (defaults excluded). Sorted,
   * unique. Their values count as secrets: pass them to `orchestrate` as `secretVariables`.
   */
  readonly interpolated: readonly string[];
  /**
   * A Compose file's `env_file` values that are secrets (not `x-dive.plain`), by service and file: pass them to
   * `orchestrate` as `secretEnvFiles`, so that checkpoints keep the file as a reference instead of the values.
   */
  readonly envFiles: readonly EnvFileSecret[];
}

/** The errors {@link loadTopology} can return. */
export type LoadTopologyError = ConfigMissingError | ConfigInvalidError | SecretUnavailableError;

/** Read a file from the disk, `undefined` when it cannot be read. @internal */
export const readTextFromDisk = (path: string): string | undefined => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};

/**
 * Read a topology from a YAML or JSON dive file, or import a `docker-compose.yml`, and validate it. Every problem
 * is reported at once, each naming the file, the field path and the line. String values are interpolated from
 * `env` (`${VAR}`, `${VAR:-default}`, `$$` for a literal `$`); `{ secret: NAME }` values must be set in `env`
 * and their values are never read into the result or any message.
 *
 * A file is read as Compose when it is named `docker-compose.yml`/`.yaml` or `compose.yml`/`.yaml`, or has a
 * top-level `services`, no `instance` and no service with a `container` or `process` key. A dive file without
 * `instance` takes the `instance` option, and is refused (naming the field) without one.
 *
 * @param path - the file (`.json` is parsed as JSON, anything else as YAML)
 * @param options - `env` (default `process.env`), `instance` for files without their own, `format` to skip detection
 * @returns `Ok` with a {@link LoadedTopology}; `Err` with `ConfigMissingError` (1001: the file cannot be read),
 *   `ConfigInvalidError` (1002: syntax, schema, interpolation or Compose problems, all in `context.problems`) or
 *   `SecretUnavailableError` (1003: secrets whose variables are unset, named in `context.variables`)
 * @example
 * ```ts
 * const loaded = await loadTopology('dive.yaml');
 * if (loaded.isErr()) {
 *   console.error(loaded.error.message); // dive.yaml:12: services.api.dependsOn[0]: …
 * } else {
 *   for (const warning of loaded.value.warnings) console.warn(warning);
 * }
 * ```
 */
export function loadTopology(
  path: string,
  options: LoadTopologyOptions = {},
): ResultAsync<LoadedTopology, LoadTopologyError> {
  const read = async (): Promise<string | ConfigInvalidError> => {
    const { size } = await stat(path);
    if (size <= TOPOLOGY_FILE_MAX_BYTES) return readFile(path, 'utf8');
    const message = `file is ${size} bytes, above the ${TOPOLOGY_FILE_MAX_BYTES}-byte limit; it was not read`;
    return invalidTopology(`Invalid topology file ${path}`, [{ path: '', message, file: path }], path);
  };
  return ResultAsync.fromPromise(
    read(),
    (cause) =>
      new ConfigMissingError(
        `cannot read topology file ${path}: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`,
        {
          context: { file: path },
          cause,
        },
      ),
  ).andThen((text) => {
    if (text instanceof ConfigInvalidError) return errAsync(text);
    return ResultAsync.fromSafePromise(loadComposer(mayBeCompose(path, text, options.format))).andThen((composer) => {
      const result = parseTopologyText(text, path, { ...options, ...(composer === undefined ? {} : { composer }) });
      return result instanceof Error ? errAsync(result) : okAsync(result);
    });
  });
}

/** The Compose importer, imported on first use: dive files never load the compiled compose-spec schema. */
async function loadComposer(needed: boolean): Promise<Composer | undefined> {
  return needed ? (await import('./compose/import.js')).composeToTopology : undefined;
}

/**
 * {@link loadTopology} on text already read: `file` names it in messages and decides JSON (`.json`) or YAML.
 * A Compose file needs `composer` (loadTopology imports it only for files that may be Compose).
 * @internal
 */
export function parseTopologyText(
  text: string,
  file: string,
  options: LoadTopologyOptions & { readonly composer?: Composer } = {},
): LoadedTopology | LoadTopologyError {
  const env = options.env ?? process.env;
  const deepAt = tooDeepAt(text);
  if (deepAt !== undefined) {
    const message = `nested deeper than ${TOPOLOGY_MAX_NESTING} levels`;
    return invalidTopology(`Invalid topology file ${file}`, [{ path: '', message, file, line: deepAt }], file);
  }
  try {
    return parseChecked(text, file, options, env);
  } catch (cause) {
    // block nesting deep enough to exhaust the parser's stack (flow and JSON nesting is refused above)
    if (!(cause instanceof RangeError)) throw cause;
    const message = `nested too deeply to parse (${cause.message})`;
    return invalidTopology(`Invalid topology file ${file}`, [{ path: '', message, file }], file);
  }
}

function parseChecked(
  text: string,
  file: string,
  options: LoadTopologyOptions & { readonly composer?: Composer },
  env: Readonly<Record<string, string | undefined>>,
): LoadedTopology | LoadTopologyError {
  const invalid = (problems: TopologyProblem[]): LoadTopologyError =>
    invalidTopology(`Invalid topology file ${file}`, problems, file);
  const read = readDocument(text, file, { ...options, env, readText: options.readText ?? readTextFromDisk });
  if (read === NEEDS_COMPOSER) {
    const problem = { path: '', message: 'a Compose file needs the Compose importer: load it with loadTopology', file };
    return invalid([problem]);
  }
  if (Array.isArray(read)) return invalid(read.map((p) => placeProblem(file, undefined, p)));
  const mapPath = read.format === 'compose' ? composePathOf : undefined;
  const place = (p: RawProblem, map?: typeof mapPath): TopologyProblem => placeProblem(file, read.lineOf, p, map);

  const validation = validateTopology(read.raw);
  const secretUses = findSecrets(read.raw);
  const missing = missingSecrets(secretUses, env).map((p) => place(p, mapPath));
  const placed = sortProblems(read.problems.map((p) => place(p)));
  const taken = new Set(placed.map((p) => p.path));
  const modelProblems = validation.ok || !read.checkModel ? [] : validation.problems;
  const all = sortProblems([
    ...placed,
    ...modelProblems.map((p) => place(p, mapPath)).filter((p) => !taken.has(p.path)),
  ]);
  if (all.length > 0) return invalid(sortProblems([...all, ...missing]));
  if (missing.length > 0) {
    const variables = [...new Set(secretUses.filter((u) => env[u.name] === undefined).map((u) => u.name))].sort();
    return new SecretUnavailableError(formatProblems(`Secrets unavailable for ${file}`, sortProblems(missing)), {
      context: { file, variables, problems: sortProblems(missing) },
    });
  }
  if (!validation.ok) return invalid([]);
  return {
    topology: read.format === 'compose' ? validation.topology : resolvePathsFromFile(validation.topology, file),
    file,
    format: read.format,
    warnings: sortProblems(read.warnings.map((w) => place(w))).map(
      (p) => `${file}${p.line === undefined ? '' : `:${p.line}`}: ${p.message}`,
    ),
    secrets: [...new Set([...secretUses.map((s) => s.name), ...read.secretNames])].sort(),
    interpolated: read.interpolated,
    envFiles: read.envFiles,
  };
}

/** A problem with its path rendered and its line found (through `mapPath` for a Compose file's model paths). */
function placeProblem(
  file: string,
  lineOf: LineOf | undefined,
  p: RawProblem,
  mapPath: (path: RawProblem['path']) => (string | number)[] = (x) => [...x],
): TopologyProblem {
  const path = mapPath(p.path);
  const line = p.line ?? lineOf?.(path);
  return { path: formatPath(path), message: p.message, file, ...(line === undefined ? {} : { line }) };
}
