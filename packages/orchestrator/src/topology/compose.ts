import { parseComposeDuration } from './compose-duration.js';
import type { RawProblem } from './problems.js';
import { splitShellWords } from './shell-words.js';

/** Options of a Compose import. */
export interface ComposeImportOptions {
  /** The instance code; overrides `x-dive: { instance }` in the file. */
  readonly instance?: string;
  /** Where `environment` entries without a value are read from (Compose's pass-through). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** What a Compose import gives: a raw topology to validate, warnings and problems with Compose paths. @internal */
export interface ComposeImport {
  readonly topology: Record<string, unknown>;
  readonly warnings: RawProblem[];
  readonly problems: RawProblem[];
}

type Obj = Readonly<Record<string, unknown>>;
type Path = (string | number)[];
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isScalarValue = (v: unknown): v is string | number | boolean =>
  typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

const SUPPORTED = new Set([
  'image',
  'command',
  'entrypoint',
  'environment',
  'depends_on',
  'healthcheck',
  'network_mode',
  'labels',
]);
const WHY: Readonly<Record<string, string>> = {
  ports: 'services use network none or host, so there is nothing to publish',
  networks: 'only network_mode none or host is supported',
  build: 'images must be built beforehand',
  volumes: 'volumes are not managed by dive',
  restart: 'dive restarts per its retry policy',
};
const TOP_LEVEL_IGNORED = new Set(['version', 'name', 'networks', 'volumes', 'secrets', 'configs', 'include']);
const CONDITIONS: Readonly<Record<string, string>> = {
  service_started: 'started',
  service_healthy: 'healthy',
  service_completed_successfully: 'completed',
};

/** A Compose `command`/`entrypoint`: a list, or a string split into words like Compose does. */
function words(value: unknown, path: Path, problems: RawProblem[]): string[] | undefined {
  if (typeof value === 'string') {
    const split = splitShellWords(value);
    if (split === undefined) problems.push({ path, message: 'has a quote that is not closed' });
    return split;
  }
  if (Array.isArray(value) && value.every(isScalarValue)) return value.map(String);
  problems.push({ path, message: 'must be a string or a list of strings' });
  return undefined;
}

/** `KEY=VALUE` lists or maps (used by `environment` and `labels`); a bare key or null value reads `env`. */
function keyValues(value: unknown, path: Path, c: Ctx, service: string, fromEnv: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  const put = (key: string, v: unknown, at: Path): void => {
    if (v === null || v === undefined) {
      const found = fromEnv ? c.env[key] : '';
      if (found === undefined)
        c.warnings.push({ path: at, message: `service '${service}': ${key} is not set in the environment; left out` });
      else out[key] = found;
    } else if (isScalarValue(v)) out[key] = String(v);
    else c.problems.push({ path: at, message: 'must be a string, number or boolean' });
  };
  if (Array.isArray(value)) {
    value.forEach((item: unknown, i) => {
      if (typeof item !== 'string') {
        c.problems.push({ path: [...path, i], message: 'must be a KEY=VALUE string' });
        return;
      }
      const eq = item.indexOf('=');
      put(eq < 0 ? item : item.slice(0, eq), eq < 0 ? null : item.slice(eq + 1), [...path, i]);
    });
  } else if (isObj(value)) {
    for (const [key, v] of Object.entries(value)) put(key, v, [...path, key]);
  } else c.problems.push({ path, message: 'must be a list of KEY=VALUE or a map' });
  return out;
}

function duration(value: unknown, path: Path, problems: RawProblem[]): number | undefined {
  const ms = typeof value === 'string' ? parseComposeDuration(value) : undefined;
  if (ms === undefined) problems.push({ path, message: `must be a duration like 30s, 1m30s or 500ms` });
  return ms;
}

interface Ctx {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly warnings: RawProblem[];
  readonly problems: RawProblem[];
  readonly jobs: Set<string>;
}

function healthcheck(value: unknown, path: Path, c: Ctx): Record<string, unknown> | undefined {
  if (!isObj(value)) {
    c.problems.push({ path, message: 'must be a map' });
    return undefined;
  }
  if (value['disable'] === true) return { test: ['NONE'] };
  const out: Record<string, unknown> = {};
  const test = value['test'];
  if (typeof test === 'string') out['test'] = ['CMD-SHELL', test];
  else if (Array.isArray(test) && test.every((t) => typeof t === 'string')) out['test'] = test;
  else c.problems.push({ path: [...path, 'test'], message: 'must be a string or a list like [CMD, …]' });
  const durations = { interval: 'intervalMs', timeout: 'timeoutMs', start_period: 'startPeriodMs' } as const;
  for (const [key, v] of Object.entries(value)) {
    if (key === 'test' || key === 'disable') continue;
    if (key in durations) out[durations[key as keyof typeof durations]] = duration(v, [...path, key], c.problems);
    else if (key === 'retries') out['retries'] = v;
    else c.warnings.push({ path: [...path, key], message: `healthcheck key '${key}' is ignored` });
  }
  return out;
}

function dependsOn(value: unknown, path: Path, c: Ctx, service: string): Record<string, string> | undefined {
  if (Array.isArray(value)) return Object.fromEntries(value.map((d: unknown) => [String(d), 'started']));
  if (!isObj(value)) {
    c.problems.push({ path, message: 'must be a list or a map of conditions' });
    return undefined;
  }
  const out: Record<string, string> = {};
  for (const [dep, spec] of Object.entries(value)) {
    const raw = isObj(spec) ? (spec['condition'] ?? 'service_started') : spec;
    const condition = typeof raw === 'string' ? CONDITIONS[raw] : undefined;
    if (condition === undefined) {
      c.problems.push({ path: [...path, dep], message: `condition must be ${Object.keys(CONDITIONS).join(', ')}` });
      continue;
    }
    out[dep] = condition;
    if (condition === 'completed') c.jobs.add(dep);
    if (isObj(spec))
      for (const key of Object.keys(spec).filter((k) => k !== 'condition')) {
        c.warnings.push({
          path: [...path, dep, key],
          message: `service '${service}': depends_on key '${key}' is ignored`,
        });
      }
  }
  return out;
}

function convertService(name: string, spec: unknown, c: Ctx): Record<string, unknown> {
  const at: Path = ['services', name];
  if (!isObj(spec)) {
    c.problems.push({ path: at, message: 'must be a map' });
    return {};
  }
  const container: Record<string, unknown> = { image: spec['image'] };
  const service: Record<string, unknown> = { container };
  if (typeof spec['image'] !== 'string')
    c.problems.push({ path: [...at, 'image'], message: 'must name an image (build is not supported)' });
  for (const [key, value] of Object.entries(spec)) {
    const path = [...at, key];
    if (!SUPPORTED.has(key)) {
      if (!key.startsWith('x-'))
        c.warnings.push({ path, message: `service '${name}': '${key}' is ignored${WHY[key] ? ` (${WHY[key]})` : ''}` });
    } else if (key === 'command' || key === 'entrypoint') container[key] = words(value, path, c.problems);
    else if (key === 'environment') container['environment'] = keyValues(value, path, c, name, true);
    else if (key === 'labels') container['labels'] = keyValues(value, path, c, name, false);
    else if (key === 'depends_on') service['dependsOn'] = dependsOn(value, path, c, name);
    else if (key === 'healthcheck') {
      const check = healthcheck(value, path, c);
      container['healthcheck'] = check;
      if (check !== undefined && (check['test'] as string[] | undefined)?.[0] !== 'NONE')
        service['health'] = [{ type: 'docker' }];
    } else if (key === 'network_mode') {
      if (value === 'none' || value === 'host') container['network'] = value;
      else c.problems.push({ path, message: 'must be none or host (bridge networks are not allowed)' });
    }
  }
  return service;
}

/**
 * Turn a parsed `docker-compose.yml` into a raw topology (validated afterwards like any other): each service
 * becomes a container service; `depends_on` lists mean `started` (Compose's default) and services waited on with
 * `service_completed_successfully` become jobs; a `healthcheck` adds a `docker` health check. Each ignored key
 * gives one warning.
 * @internal
 */
export function composeToTopology(raw: unknown, options: ComposeImportOptions = {}): ComposeImport {
  const c: Ctx = { env: options.env ?? {}, warnings: [], problems: [], jobs: new Set() };
  const doc = isObj(raw) ? raw : {};
  const xDive = doc['x-dive'];
  const instance = options.instance ?? (isObj(xDive) ? xDive['instance'] : undefined);
  if (instance === undefined) {
    c.problems.push({
      path: ['instance'],
      message: 'no instance code: pass { instance } or add `x-dive: { instance: USA }` at the top level',
    });
  }
  for (const key of Object.keys(doc)) {
    if (TOP_LEVEL_IGNORED.has(key)) c.warnings.push({ path: [key], message: `top-level '${key}' is ignored` });
    else if (key !== 'services' && !key.startsWith('x-'))
      c.problems.push({ path: [key], message: `unknown top-level key '${key}'` });
  }
  const services: Record<string, unknown> = {};
  if (!isObj(doc['services'])) c.problems.push({ path: ['services'], message: 'must be a map of services' });
  else for (const [name, spec] of Object.entries(doc['services'])) services[name] = convertService(name, spec, c);
  for (const job of c.jobs) if (isObj(services[job])) services[job] = { kind: 'job', ...services[job] };
  return { topology: { instance, services }, warnings: c.warnings, problems: c.problems };
}

const RENAMED: Readonly<Record<string, string>> = {
  network: 'network_mode',
  dependsOn: 'depends_on',
  health: 'healthcheck',
};

/**
 * The Compose path of a field of the converted topology, so its problems point into the Compose file:
 * `services.web.container.network` → `services.web.network_mode`.
 * @internal
 */
export function composePathOf(path: readonly (string | number)[]): (string | number)[] {
  if (path[0] !== 'services' || path.length < 3) return [...path];
  const rest = path.slice(2);
  if (rest[0] === 'container') rest.shift();
  if (typeof rest[0] === 'string') rest[0] = RENAMED[rest[0]] ?? rest[0];
  if (rest[0] === 'healthcheck') rest.splice(1);
  return ['services', path[1] ?? '', ...rest];
}
