import { dockerRuntime } from '../runtime/docker-runtime.js';
import { processRuntime } from '../runtime/process-runtime.js';
import type { Runtime } from '../runtime/types.js';
import type { FleetInstance } from './types.js';

/**
 * The default runtime of a fleet instance: local processes for `runtime: process` (or a topology without
 * containers and no `docker` host), else Docker on its host. @internal
 */
export function defaultInstanceRuntime(spec: FleetInstance, logDir?: string): Runtime {
  const containers = Object.values(spec.topology.services).some((s) => s.container !== undefined);
  const kind = spec.runtime ?? (containers || spec.docker !== undefined ? 'docker' : 'process');
  if (kind === 'process') return processRuntime(logDir === undefined ? {} : { logDir });
  // The runtime parses the host itself (one implementation): a bad URL or an unreadable TLS file is a
  // ConfigInvalidError (exit 2) on every call, an engine that does not answer a RuntimeUnavailableError (exit 4).
  return dockerRuntime({
    ...(spec.docker === undefined ? {} : { docker: spec.docker }),
    ...(spec.tls === undefined ? {} : { tls: spec.tls }),
  });
}
