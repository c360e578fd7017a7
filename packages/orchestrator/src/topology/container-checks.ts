import type { RawProblem } from './problems.js';
import { didYouMean } from './suggest.js';

type Obj = Readonly<Record<string, unknown>>;
type Path = readonly (string | number)[];
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const keysOf = (v: unknown): string[] => (isObj(v) ? Object.keys(v) : []);

/** The names a topology declares at its top level, for the references containers make. */
interface Declared {
  readonly services: Obj;
  readonly networks: readonly string[];
  readonly volumes: readonly string[];
  readonly secrets: readonly string[];
  readonly configs: readonly string[];
}

function unknownName(what: string, name: string, known: readonly string[], path: Path): RawProblem {
  const where = known.length === 0 ? `there are no top-level ${what}s` : `not a top-level ${what}`;
  return { path, message: `${what} '${name}' is not declared (${where})${didYouMean(name, known)}` };
}

function networkProblems(name: string, spec: Obj, declared: Declared, at: Path): RawProblem[] {
  const problems: RawProblem[] = [];
  const mode = spec['networkMode'];
  if (spec['network'] !== undefined && mode !== undefined) {
    problems.push({ path: [...at, 'network'], message: 'give networkMode or the older network, not both' });
  }
  if ((mode !== undefined || spec['network'] !== undefined) && spec['networks'] !== undefined) {
    problems.push({
      path: [...at, 'networks'],
      message: 'a container with a networkMode shares that network stack and cannot also join networks',
    });
  }
  if (typeof mode === 'string' && mode.startsWith('service:')) {
    const target = mode.slice('service:'.length);
    const other = declared.services[target];
    if (target === name) {
      problems.push({ path: [...at, 'networkMode'], message: `service '${name}' cannot share its own network stack` });
    } else if (!(isObj(other) && other['container'] !== undefined)) {
      const containers = Object.keys(declared.services).filter((s) => isObj(declared.services[s]));
      problems.push({
        path: [...at, 'networkMode'],
        message: `networkMode names service '${target}', which is not a container service of this topology${didYouMean(target, containers)}`,
      });
    }
  }
  for (const net of keysOf(spec['networks'])) {
    if (net !== 'default' && !declared.networks.includes(net)) {
      problems.push(unknownName('network', net, [...declared.networks, 'default'], [...at, 'networks', net]));
    }
  }
  return problems;
}

function mountProblems(spec: Obj, declared: Declared, at: Path): RawProblem[] {
  const problems: RawProblem[] = [];
  const mounts = Array.isArray(spec['volumes']) ? (spec['volumes'] as unknown[]) : [];
  mounts.forEach((mount, i) => {
    if (!isObj(mount)) return;
    const path = [...at, 'volumes', i];
    const source = mount['source'];
    if (mount['type'] === 'volume' && typeof source === 'string' && !declared.volumes.includes(source)) {
      problems.push(unknownName('volume', source, declared.volumes, [...path, 'source']));
    }
    if (mount['type'] === 'bind' && source === undefined) {
      problems.push({ path: [...path, 'source'], message: 'a bind mount needs a source (the host path)' });
    }
    if (mount['type'] === 'tmpfs' && source !== undefined) {
      problems.push({ path: [...path, 'source'], message: 'a tmpfs mount has no source' });
    }
    if (mount['type'] !== 'tmpfs' && mount['tmpfsSizeBytes'] !== undefined) {
      problems.push({ path: [...path, 'tmpfsSizeBytes'], message: 'only a tmpfs mount has a size' });
    }
  });
  return problems;
}

function fileReferenceProblems(spec: Obj, declared: Declared, at: Path): RawProblem[] {
  const problems: RawProblem[] = [];
  for (const what of ['secret', 'config'] as const) {
    const list = spec[`${what}s`];
    if (!Array.isArray(list)) continue;
    const known = what === 'secret' ? declared.secrets : declared.configs;
    list.forEach((ref: unknown, i) => {
      const source = isObj(ref) ? ref['source'] : undefined;
      if (typeof source === 'string' && !known.includes(source)) {
        problems.push(unknownName(what, source, known, [...at, `${what}s`, i, 'source']));
      }
    });
  }
  return problems;
}

/**
 * The cross-field rules of one container spec: an image or a build; `networkMode` or `networks`, not both;
 * `service:<x>` names another container service; joined networks, mounted volumes, secrets and configs are
 * declared at the top level; bind mounts have a source, tmpfs mounts none.
 * @internal
 */
export function containerChecks(raw: Obj, name: string, spec: unknown): RawProblem[] {
  if (!isObj(spec)) return [];
  const at = ['services', name, 'container'];
  const declared: Declared = {
    services: isObj(raw['services']) ? raw['services'] : {},
    networks: keysOf(raw['networks']),
    volumes: keysOf(raw['volumes']),
    secrets: keysOf(raw['secrets']),
    configs: keysOf(raw['configs']),
  };
  const problems: RawProblem[] = [];
  if (spec['image'] === undefined && spec['build'] === undefined) {
    problems.push({ path: at, message: `service '${name}' needs an image or a build` });
  }
  return [
    ...problems,
    ...networkProblems(name, spec, declared, at),
    ...mountProblems(spec, declared, at),
    ...fileReferenceProblems(spec, declared, at),
  ];
}
