import { containerChecks } from './container-checks.js';
import type { RawProblem } from './problems.js';
import { didYouMean } from './suggest.js';

type Obj = Readonly<Record<string, unknown>>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The dependency entries of a service as `[name, condition?, required, path]`, list or map (short or long) form. */
function dependencies(deps: unknown): [string, unknown, boolean, (string | number)[]][] {
  if (Array.isArray(deps)) {
    return deps.flatMap((d: unknown, i) => (typeof d === 'string' ? [[d, undefined, true, [i]]] : []));
  }
  if (isObj(deps)) {
    return Object.entries(deps).map(([d, c]) =>
      isObj(c) ? [d, c['condition'], c['required'] !== false, [d]] : [d, c, true, [d]],
    );
  }
  return [];
}

/**
 * Service names that differ only by case (`api` and `API`) name one container, log file and lock on a
 * case-insensitive file system: refused, naming both.
 */
function caseClashes(names: readonly string[]): RawProblem[] {
  const first = new Map<string, string>();
  const problems: RawProblem[] = [];
  for (const name of names) {
    const seen = first.get(name.toLowerCase());
    if (seen === undefined) first.set(name.toLowerCase(), name);
    else
      problems.push({
        path: ['services', name],
        message: `service names '${seen}' and '${name}' differ only by case; rename one`,
      });
  }
  return problems;
}

/**
 * The rules that span fields, checked on the raw value so they are reported even when the schema fails
 * elsewhere: exactly one of `container`/`process`; dependency names exist (with a suggestion); a list names each
 * dependency once (`required: false` ones may be absent); `completed` only on jobs; `docker` and `exec` checks
 * only on containers; no two service names that differ only by case; and each container's own rules (see `containerChecks`).
 * Cycles are not checked here: @dive/dependency-graph does that when the engine builds the graph.
 * @internal
 */
export function crossChecks(raw: unknown): RawProblem[] {
  if (!isObj(raw) || !isObj(raw['services'])) return [];
  const services = raw['services'];
  const names = Object.keys(services);
  const problems: RawProblem[] = [...caseClashes(names)];
  for (const [name, spec] of Object.entries(services)) {
    if (!isObj(spec)) continue;
    const at = ['services', name];
    const hasContainer = spec['container'] !== undefined;
    const hasProcess = spec['process'] !== undefined;
    if (hasContainer === hasProcess) {
      problems.push({
        path: at,
        message: hasContainer
          ? `service '${name}' has both container and process; give exactly one`
          : `service '${name}' needs exactly one of container or process`,
      });
    }
    const seen = new Set<string>();
    for (const [dep, condition, required, sub] of dependencies(spec['dependsOn'])) {
      const path = [...at, 'dependsOn', ...sub];
      if (Array.isArray(spec['dependsOn']) && seen.has(dep)) {
        problems.push({ path, message: `service '${name}' lists dependency '${dep}' more than once` });
      }
      seen.add(dep);
      const target = services[dep];
      if (!Object.hasOwn(services, dep)) {
        if (!required) continue; // `required: false`: an absent dependency is ignored
        const hint = didYouMean(dep, names);
        problems.push({ path, message: `service '${name}' depends on '${dep}', which is not defined${hint}` });
      } else if (condition === 'completed' && !(isObj(target) && target['kind'] === 'job')) {
        problems.push({
          path,
          message: `service '${name}' waits for '${dep}' to complete, but '${dep}' is not a job (set kind: job on it, or use healthy)`,
        });
      }
    }
    if (hasContainer) problems.push(...containerChecks(raw, name, spec['container']));
    if (!hasContainer && Array.isArray(spec['health'])) {
      spec['health'].forEach((check: unknown, i) => {
        const type = isObj(check) ? check['type'] : undefined;
        if (type === 'docker' || type === 'exec') {
          problems.push({
            path: [...at, 'health', i],
            message: `a '${type}' check needs a container, but service '${name}' is not a container`,
          });
        }
      });
    }
  }
  return problems;
}
