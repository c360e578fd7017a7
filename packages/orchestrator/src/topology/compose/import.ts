import { dirname } from 'node:path';
import type { EnvFileSecret } from '../../engine/env-file-secrets.js';
import type { RawProblem } from '../problems.js';
import { isObj, refuse, warn, type ComposeContext, type ReadText } from './context.js';
import { checkDependencyCycles } from './cycles.js';
import { resolveExtends } from './extends.js';
import { checkFileSourceRefs, topLevelFileSources } from './file-sources.js';
import { applyInclude } from './include.js';
import { plainNames, resolveInstance } from './instance.js';
import { TOP_LEVEL_KEYS } from './key-table.js';
import { checkNetworkRefs, topLevelNetworks } from './networks.js';
import { activeProfiles, selectByProfile } from './profiles.js';
import { mapService } from './service.js';
import { checkComposeSpec } from './spec-check.js';
import { checkVolumeRefs, topLevelVolumes } from './volumes.js';

/** Options of a Compose import. @internal */
export interface ComposeImportOptions {
  /** The instance code (`--instance`); wins over `DIVE_INSTANCE` and `x-dive.instance`. */
  readonly instance?: string;
  /** The project's variables: the process environment over `.env` / `--env-file`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The Compose file (absolute or relative to the cwd): relative paths in it are resolved against its directory. */
  readonly file?: string;
  /** Reads other files (env_file, extends, include); default reads nothing. */
  readonly readText?: ReadText;
  /** Active profiles (`--profile`), besides `COMPOSE_PROFILES`. */
  readonly profiles?: readonly string[];
}

/** What a Compose import gives: a raw topology to validate, warnings and problems with Compose paths. @internal */
export interface ComposeImport {
  readonly topology: Record<string, unknown>;
  readonly warnings: RawProblem[];
  readonly problems: RawProblem[];
  /** Names of variables whose values came from an `env_file` and are not declared plain. */
  readonly secretNames: string[];
  /** Where those values came from, per service and file (the file that won for each name). */
  readonly envFiles: EnvFileSecret[];
}

const X_DIVE_KEYS = new Set(['instance', 'plain']);

function topLevelKeys(doc: Readonly<Record<string, unknown>>, c: ComposeContext): void {
  for (const [key, value] of Object.entries(doc)) {
    const rule = TOP_LEVEL_KEYS[key];
    if (key === 'x-dive' && isObj(value)) {
      for (const k of Object.keys(value).filter((k) => !X_DIVE_KEYS.has(k)))
        warn(c, [key, k], `x-dive key '${k}' is ignored (instance, plain)`);
    } else if (rule?.handling === 'warned') warn(c, [key], `top-level '${key}' is ignored (${rule.note})`);
    else if (rule?.handling === 'refused' && isObj(value) && Object.keys(value).length > 0)
      refuse(c, [key], `top-level '${key}' is not supported: ${rule.note}`);
  }
}

/**
 * Turn a parsed (and interpolated) `docker-compose.yml` into a raw topology, validated afterwards like any other.
 * The file is first checked against the compose-spec schema (its problems alone are returned when it fails);
 * then `include`, `profiles` and `extends` are applied and every key is mapped, warned or refused per the key
 * table (docs/topology-format.md).
 * @internal
 */
export function composeToTopology(raw: unknown, options: ComposeImportOptions = {}): ComposeImport {
  const doc = isObj(raw) ? raw : {};
  const file = options.file ?? 'docker-compose.yml';
  const c: ComposeContext = {
    env: options.env ?? {},
    dir: dirname(file),
    readText: options.readText ?? (() => undefined),
    warnings: [],
    problems: [],
    jobs: new Set(),
    secretNames: new Set(),
    envFiles: [],
    plain: plainNames(doc),
  };
  const instance = resolveInstance(options.instance, doc, c);
  const specProblems = checkComposeSpec(raw);
  if (specProblems.length > 0 || !isObj(raw)) {
    const problems = [...c.problems, ...specProblems];
    return { topology: {}, warnings: [], problems, secretNames: [], envFiles: [] };
  }
  topLevelKeys(doc, c);
  const full = applyInclude(doc, file, c);
  const all = isObj(full['services']) ? full['services'] : {};
  const selected = selectByProfile(all, activeProfiles(options.profiles, c.env), c);
  const services: Record<string, Record<string, unknown>> = {};
  for (const name of Object.keys(selected)) {
    const spec = resolveExtends(name, { file, services: all }, c, ['services', name]);
    services[name] = mapService(name, spec, c);
  }
  for (const job of c.jobs) if (services[job] !== undefined) services[job] = { kind: 'job', ...services[job] };
  const networks = topLevelNetworks(full['networks'], c);
  const volumes = topLevelVolumes(full['volumes'], c);
  const secrets = topLevelFileSources('secrets', full['secrets'], c);
  const configs = topLevelFileSources('configs', full['configs'], c);
  checkDependencyCycles(services, c);
  checkNetworkRefs(services, networks, c);
  checkVolumeRefs(services, volumes, c);
  checkFileSourceRefs(services, { secrets: full['secrets'], configs: full['configs'] }, c);
  const topology = {
    instance,
    services,
    ...(networks === undefined ? {} : { networks }),
    ...(volumes === undefined ? {} : { volumes }),
    ...(secrets === undefined ? {} : { secrets }),
    ...(configs === undefined ? {} : { configs }),
  };
  const envFiles = c.envFiles
    .filter((e) => e.names.length > 0 && services[e.service] !== undefined)
    .map((e): EnvFileSecret => ({ service: e.service, file: e.file, ...(e.raw ? { raw: true } : {}), names: e.names }));
  return {
    topology,
    warnings: c.warnings,
    problems: c.problems,
    secretNames: [...c.secretNames].sort(),
    envFiles,
  };
}
