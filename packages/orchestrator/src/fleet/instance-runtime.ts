import { readFileSync } from 'node:fs';
import type Docker from 'dockerode';
import { lazyRequire } from '../lazy-require.js';
import { dockerRuntime } from '../runtime/docker-runtime.js';
import { processRuntime } from '../runtime/process-runtime.js';
import type { Runtime } from '../runtime/types.js';
import type { FleetInstance } from './types.js';

const loadDockerode = lazyRequire('dockerode') as () => typeof Docker;

/**
 * The dockerode options of a fleet instance's `docker` host: `unix://PATH`, `tcp://HOST:PORT` (HTTPS with `tls`),
 * `ssh://USER@HOST[:PORT]`. @internal
 */
export function dockerOptionsFor(spec: Pick<FleetInstance, 'docker' | 'tls'>): Docker.DockerOptions | undefined {
  if (spec.docker === undefined) return undefined;
  const url = new URL(spec.docker);
  if (url.protocol === 'unix:' || url.protocol === 'npipe:') return { socketPath: url.pathname };
  if (url.protocol === 'ssh:') {
    return {
      protocol: 'ssh',
      host: url.hostname,
      ...(url.port === '' ? {} : { port: Number(url.port) }),
      ...(url.username === '' ? {} : { username: decodeURIComponent(url.username) }),
    };
  }
  const tls = spec.tls;
  return {
    host: url.hostname,
    port: url.port === '' ? (tls === undefined ? 2375 : 2376) : Number(url.port),
    protocol: tls === undefined ? 'http' : 'https',
    ...(tls === undefined
      ? {}
      : { ca: readFileSync(tls.ca), cert: readFileSync(tls.cert), key: readFileSync(tls.key) }),
  };
}

/**
 * The default runtime of a fleet instance: local processes for `runtime: process` (or a topology without
 * containers and no `docker` host), else Docker on its host. @internal
 */
export function defaultInstanceRuntime(spec: FleetInstance, logDir?: string): Runtime {
  const containers = Object.values(spec.topology.services).some((s) => s.container !== undefined);
  const kind = spec.runtime ?? (containers || spec.docker !== undefined ? 'docker' : 'process');
  if (kind === 'process') return processRuntime(logDir === undefined ? {} : { logDir });
  const options = dockerOptionsFor(spec);
  return options === undefined ? dockerRuntime() : dockerRuntime({ docker: new (loadDockerode())(options) });
}
