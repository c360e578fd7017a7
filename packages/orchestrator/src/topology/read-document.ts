import type { EnvFileSecret } from '../engine/env-file-secrets.js';
import { basename, extname } from 'node:path';
import { isMap, type Document } from 'yaml';
import { isObj, type ReadText } from './compose/context.js';
import type { composeToTopology } from './compose/import.js';
import { plainNames } from './compose/instance.js';
import { projectEnv } from './compose/project-env.js';
import { interpolateDocument } from './interpolate.js';
import { parseSource } from './parse-source.js';
import type { RawProblem } from './problems.js';
import { lineMapper, type LineOf } from './source-lines.js';

type Env = Readonly<Record<string, string | undefined>>;

/** The Compose importer, loaded only for Compose files (it carries the compiled compose-spec schema). @internal */
export type Composer = typeof composeToTopology;

/** What {@link readDocument} returns for a Compose file when it was given no {@link Composer}. @internal */
export const NEEDS_COMPOSER = Symbol('needs the Compose importer');

/** What {@link readDocument} needs: the loader's options, with the environment and file reader settled. @internal */
export interface ReadOptions {
  readonly env: Env;
  readonly readText: ReadText;
  readonly format?: 'dive' | 'compose';
  readonly instance?: string;
  readonly envFiles?: readonly string[];
  readonly profiles?: readonly string[];
  /** Maps a Compose file; without it, a Compose file gives {@link NEEDS_COMPOSER}. */
  readonly composer?: Composer;
}

/** A topology file read as far as the model: the raw topology, and what was found on the way. @internal */
export interface ReadDocument {
  readonly format: 'dive' | 'compose';
  /** The raw topology (a dive file without its `x-` keys, or a Compose file mapped), not yet validated. */
  readonly raw: unknown;
  readonly lineOf: LineOf;
  /** Problems before the model (interpolation, `.env`, Compose schema and mapping), with document paths. */
  readonly problems: readonly RawProblem[];
  readonly warnings: readonly RawProblem[];
  /** Variables whose values are secrets besides `{ secret: NAME }` (a Compose file's `env_file` names). */
  readonly secretNames: readonly string[];
  /** Where a Compose file's `env_file` secrets came from, per service and file. */
  readonly envFiles: readonly EnvFileSecret[];
  /** Variables whose values interpolation may have put into the topology (sorted): their values count as secrets. */
  readonly interpolated: readonly string[];
  /** Whether model problems should be reported (not when the Compose mapping failed: there is no model yet). */
  readonly checkModel: boolean;
}

const COMPOSE_NAMES = new Set(['docker-compose.yml', 'docker-compose.yaml', 'compose.yml', 'compose.yaml']);
const TOP_LEVEL_INSTANCE = /^(?:["']?instance["']?|\s{0,2}"instance")\s*:/m;

/**
 * Whether a file may be read as Compose, from its name and text alone (so the importer is loaded only then): a
 * Compose name, or no top-level `instance` key. When unsure it says yes; a file it calls dive is never Compose.
 * @internal
 */
export function mayBeCompose(file: string, text: string, forced: ReadOptions['format']): boolean {
  if (forced !== undefined) return forced === 'compose';
  return COMPOSE_NAMES.has(basename(file).toLowerCase()) || !TOP_LEVEL_INSTANCE.test(text);
}

/** Whether a service of the document has a dive runtime key (`container` or `process`), which Compose has not. */
function hasDiveService(doc: Document): boolean {
  const services = doc.get('services');
  return (
    isMap(services) &&
    services.items.some((s) => isMap(s.value) && (s.value.has('container') || s.value.has('process')))
  );
}

function isCompose(file: string, doc: Document, forced: ReadOptions['format']): boolean {
  if (forced !== undefined) return forced === 'compose';
  if (COMPOSE_NAMES.has(basename(file).toLowerCase())) return true;
  return doc.has('services') && !doc.has('instance') && !hasDiveService(doc);
}

/**
 * A dive file's `instance`: its own, else the one the caller supplies (a fleet's code, `--instance`); a problem
 * when there is neither.
 */
function withInstance(raw: unknown, instance: string | undefined): { raw: unknown; problems: RawProblem[] } {
  if (!isObj(raw) || raw['instance'] !== undefined) return { raw, problems: [] };
  if (instance !== undefined) return { raw: { instance, ...raw }, problems: [] };
  const message =
    'is required: the three-letter code of the instance this topology deploys (e.g. `instance: USA`); ' +
    'a fleet file supplies it for the topologies it names, and --instance on the command line';
  return { raw, problems: [{ path: ['instance'], message }] };
}

/** A dive file's top-level `x-…` keys are extensions (a place for YAML anchors), dropped before validation. */
function withoutExtensions(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => !key.startsWith('x-')));
}

/**
 * Parse a topology file's text, interpolate it (a Compose file with its project's variables and Compose's rules)
 * and, for Compose, map it onto the model.
 * @returns the document read, or the problems that stop it earlier (syntax, aliases), each with its line
 * @internal
 */
export function readDocument(
  text: string,
  file: string,
  options: ReadOptions,
): ReadDocument | RawProblem[] | typeof NEEDS_COMPOSER {
  const parsed = parseSource(text, extname(file).toLowerCase() === '.json');
  if (Array.isArray(parsed)) return parsed;
  const compose = isCompose(file, parsed.doc, options.format);
  const composer = options.composer;
  if (compose && composer === undefined) return NEEDS_COMPOSER;
  const project = compose ? projectEnv(file, options.env, options.envFiles, options.readText) : undefined;
  const env = project?.env ?? options.env;
  const interpolation = interpolateDocument(parsed.doc, env, compose ? { unbraced: true, missingIsWarning: true } : {});
  let value: unknown;
  try {
    value = parsed.doc.toJS();
  } catch (cause) {
    // Too many aliases (a "billion laughs" document) or an alias to nothing.
    return [{ path: [], message: `invalid YAML: ${cause instanceof Error ? cause.message : String(cause)}` }];
  }
  const lineOf = lineMapper(parsed.doc, parsed.counter);
  // `x-dive.plain: [VAR, …]` (both formats): interpolated variables that are not secrets.
  const plain = isObj(value) ? plainNames(value) : new Set<string>();
  const interpolated = interpolation.used.filter((name) => !plain.has(name));
  const problems = [...(project?.problems ?? []), ...interpolation.problems];
  if (!compose) {
    const { raw, problems: missing } = withInstance(withoutExtensions(value), options.instance);
    return {
      format: 'dive',
      raw,
      lineOf,
      problems: [...problems, ...missing],
      warnings: interpolation.warnings,
      secretNames: [],
      envFiles: [],
      interpolated,
      checkModel: true,
    };
  }
  if (composer === undefined) return NEEDS_COMPOSER;
  const imported = composer(value, {
    env,
    file,
    readText: options.readText,
    ...(options.instance === undefined ? {} : { instance: options.instance }),
    ...(options.profiles === undefined ? {} : { profiles: options.profiles }),
  });
  return {
    format: 'compose',
    raw: imported.topology,
    lineOf,
    problems: [...problems, ...imported.problems],
    warnings: [...interpolation.warnings, ...imported.warnings],
    secretNames: imported.secretNames,
    envFiles: imported.envFiles,
    interpolated,
    checkModel: imported.problems.length === 0,
  };
}
