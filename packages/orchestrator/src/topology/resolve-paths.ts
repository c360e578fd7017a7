import { dirname, isAbsolute, resolve } from 'node:path';
import type { ContainerSpec, FileSourceSpec, Topology } from './types.js';

const at = (base: string, path: string): string => (isAbsolute(path) ? path : resolve(base, path));

function container(spec: ContainerSpec, base: string): ContainerSpec {
  return {
    ...spec,
    ...(spec.build === undefined ? {} : { build: { ...spec.build, context: at(base, spec.build.context) } }),
    ...(spec.volumes === undefined
      ? {}
      : {
          volumes: spec.volumes.map((m) =>
            m.type === 'bind' && m.source !== undefined ? { ...m, source: at(base, m.source) } : m,
          ),
        }),
  };
}

function files(
  map: Readonly<Record<string, FileSourceSpec>> | undefined,
  base: string,
): Readonly<Record<string, FileSourceSpec>> | undefined {
  return map === undefined
    ? undefined
    : Object.fromEntries(Object.entries(map).map(([k, v]) => [k, { ...v, file: at(base, v.file) }]));
}

/**
 * Make a topology's host paths absolute, relative to `base` (a topology file's directory): build contexts, bind
 * mount sources, and the files of secrets and configs. Absolute paths are kept.
 *
 * @param topology - a validated topology
 * @param base - the directory relative paths start from
 * @returns the same topology with absolute paths
 * @internal
 */
export function resolveTopologyPaths(topology: Topology, base: string): Topology {
  const secrets = files(topology.secrets, base);
  const configs = files(topology.configs, base);
  return {
    ...topology,
    services: Object.fromEntries(
      Object.entries(topology.services).map(([name, s]) => [
        name,
        s.container === undefined ? s : { ...s, container: container(s.container, base) },
      ]),
    ),
    ...(secrets === undefined ? {} : { secrets }),
    ...(configs === undefined ? {} : { configs }),
  };
}

/**
 * {@link resolveTopologyPaths} from the directory of the topology file `file`.
 * @internal
 */
export function resolvePathsFromFile(topology: Topology, file: string): Topology {
  return resolveTopologyPaths(topology, dirname(resolve(file)));
}
