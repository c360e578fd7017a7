import { readFile, stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { ConfigInvalidError, ConfigMissingError, SecretUnavailableError } from '@dive/errors';
import { errAsync, okAsync, ResultAsync } from 'neverthrow';
import { composePathOf, composeToTopology } from './compose.js';
import { invalidTopology } from './define-topology.js';
import { interpolateDocument } from './interpolate.js';
import { parseSource } from './parse-source.js';
import { formatPath, formatProblems, sortProblems, type RawProblem, type TopologyProblem } from './problems.js';
import { findSecrets, missingSecrets } from './secrets.js';
import { lineMapper, type LineOf } from './source-lines.js';
import { resolvePathsFromFile } from './resolve-paths.js';
import { TOPOLOGY_FILE_MAX_BYTES, TOPOLOGY_MAX_NESTING, tooDeepAt } from './source-limits.js';
import type { Topology } from './types.js';
import { validateTopology } from './validate.js';

/** Options of {@link loadTopology}. */
export interface LoadTopologyOptions {
  /** Variables for `${VAR}` interpolation and `{ secret: NAME }` checks. Default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The instance code of a Compose file; overrides its `x-dive: { instance }`. Ignored for dive files. */
  readonly instance?: string;
  /** Force the format instead of detecting it from the file name and content. */
  readonly format?: 'dive' | 'compose';
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
}

/** The errors {@link loadTopology} can return. */
export type LoadTopologyError = ConfigMissingError | ConfigInvalidError | SecretUnavailableError;

/** A dive file's top-level `x-…` keys are extensions (a place for YAML anchors), dropped before validation. */
function withoutExtensions(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => !key.startsWith('x-')));
}

const COMPOSE_NAMES = new Set(['docker-compose.yml', 'docker-compose.yaml', 'compose.yml', 'compose.yaml']);

function isCompose(file: string, value: unknown, forced: LoadTopologyOptions['format']): boolean {
  if (forced !== undefined) return forced === 'compose';
  if (COMPOSE_NAMES.has(basename(file).toLowerCase())) return true;
  return typeof value === 'object' && value !== null && 'services' in value && !('instance' in value);
}

/**
 * Read a topology from a YAML or JSON dive file, or import a `docker-compose.yml`, and validate it. Every problem
 * is reported at once, each naming the file, the field path and the line. String values are interpolated from
 * `env` (`${VAR}`, `${VAR:-default}`, `$$` for a literal `$`); `{ secret: NAME }` values must be set in `env`
 * and their values are never read into the result or any message.
 *
 * A file is read as Compose when it is named `docker-compose.yml`/`.yaml` or `compose.yml`/`.yaml`, or has a
 * top-level `services` and no `instance`.
 *
 * @param path - the file (`.json` is parsed as JSON, anything else as YAML)
 * @param options - `env` (default `process.env`), `instance` for Compose files, `format` to skip detection
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
    const result = parseTopologyText(text, path, options);
    return result instanceof Error ? errAsync(result) : okAsync(result);
  });
}

/**
 * {@link loadTopology} on text already read: `file` names it in messages and decides JSON (`.json`) or YAML.
 * @internal
 */
export function parseTopologyText(
  text: string,
  file: string,
  options: LoadTopologyOptions = {},
): LoadedTopology | LoadTopologyError {
  const env = options.env ?? process.env;
  const place = (
    lineOf: LineOf | undefined,
    p: RawProblem,
    mapPath = (x: RawProblem['path']) => [...x],
  ): TopologyProblem => {
    const line = p.line ?? lineOf?.(mapPath(p.path));
    return { path: formatPath(mapPath(p.path)), message: p.message, file, ...(line === undefined ? {} : { line }) };
  };
  const deepAt = tooDeepAt(text);
  if (deepAt !== undefined) {
    const message = `nested deeper than ${TOPOLOGY_MAX_NESTING} levels`;
    return invalidTopology(`Invalid topology file ${file}`, [{ path: '', message, file, line: deepAt }], file);
  }
  try {
    return parseChecked(text, file, options, env, place);
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
  options: LoadTopologyOptions,
  env: Readonly<Record<string, string | undefined>>,
  place: (
    lineOf: LineOf | undefined,
    p: RawProblem,
    mapPath?: (x: RawProblem['path']) => RawProblem['path'][number][],
  ) => TopologyProblem,
): LoadedTopology | LoadTopologyError {
  const parsed = parseSource(text, extname(file).toLowerCase() === '.json');
  if (Array.isArray(parsed))
    return invalidTopology(
      `Invalid topology file ${file}`,
      parsed.map((p) => place(undefined, p)),
      file,
    );

  const lineOf = lineMapper(parsed.doc, parsed.counter);
  const interpolated = new Set<string>();
  const problems: RawProblem[] = interpolateDocument(parsed.doc, env, interpolated);
  let value: unknown;
  try {
    value = parsed.doc.toJS();
  } catch (cause) {
    // Too many aliases (a "billion laughs" document) or an alias to nothing.
    const message = cause instanceof Error ? cause.message : String(cause);
    return invalidTopology(
      `Invalid topology file ${file}`,
      [{ path: '', message: `invalid YAML: ${message}`, file }],
      file,
    );
  }
  const compose = isCompose(file, value, options.format);
  const imported = compose
    ? composeToTopology(value, { env, ...(options.instance === undefined ? {} : { instance: options.instance }) })
    : undefined;
  const raw = imported === undefined ? withoutExtensions(value) : imported.topology;
  const mapPath = compose ? composePathOf : (x: RawProblem['path']) => [...x];

  const validation = validateTopology(raw);
  const secretUses = findSecrets(raw);
  const missing = missingSecrets(secretUses, env);
  const placed = sortProblems([
    ...problems.map((p) => place(lineOf, p)),
    ...(imported?.problems ?? []).map((p) => place(lineOf, p)),
  ]);
  const taken = new Set(placed.map((p) => p.path));
  const schemaProblems = (validation.ok ? [] : validation.problems)
    .map((p) => place(lineOf, p, mapPath))
    .filter((p) => !taken.has(p.path));
  const all = sortProblems([...placed, ...schemaProblems]);
  if (all.length > 0) {
    return invalidTopology(
      `Invalid topology file ${file}`,
      sortProblems([...all, ...missing.map((p) => place(lineOf, p, mapPath))]),
      file,
    );
  }
  if (missing.length > 0) {
    const secretProblems = sortProblems(missing.map((p) => place(lineOf, p, mapPath)));
    const variables = [...new Set(secretUses.filter((u) => env[u.name] === undefined).map((u) => u.name))].sort();
    return new SecretUnavailableError(formatProblems(`Secrets unavailable for ${file}`, secretProblems), {
      context: { file, variables, problems: secretProblems },
    });
  }
  if (!validation.ok) return invalidTopology(`Invalid topology file ${file}`, [], file);
  return {
    topology: compose ? validation.topology : resolvePathsFromFile(validation.topology, file),
    file,
    format: compose ? 'compose' : 'dive',
    warnings: sortProblems((imported?.warnings ?? []).map((w) => place(lineOf, w))).map(
      (p) => `${file}${p.line === undefined ? '' : `:${p.line}`}: ${p.message}`,
    ),
    secrets: [...new Set(secretUses.map((s) => s.name))].sort(),
    interpolated: [...interpolated].sort(),
  };
}
