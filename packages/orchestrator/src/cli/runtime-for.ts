import { join } from 'node:path';
import { UsageError, type DiveError } from '@dive/errors';
import { err, ok, type Result } from 'neverthrow';
import { dockerRuntime } from '../runtime/docker-runtime.js';
import { processRuntime } from '../runtime/process-runtime.js';
import type { Runtime } from '../runtime/types.js';
import type { LoadedTopology } from '../topology/load-topology.js';

/** The runtime: `--runtime docker|process`, or by the topology (containers → Docker). */
export function runtimeFor(
  kind: string | undefined,
  loaded: LoadedTopology | undefined,
  stateDir: string | undefined,
): Result<Runtime | undefined, DiveError> {
  const logDir = stateDir === undefined ? undefined : join(stateDir, 'logs');
  const proc = (): Runtime => processRuntime(logDir === undefined ? {} : { logDir });
  if (kind === undefined || kind === 'auto') {
    if (loaded === undefined) return ok(undefined);
    return ok(
      Object.values(loaded.topology.services).some((s) => s.container !== undefined) ? dockerRuntime() : proc(),
    );
  }
  if (kind === 'docker') return ok(dockerRuntime());
  if (kind === 'process') return ok(proc());
  return err(
    new UsageError(`--runtime must be docker, process or auto, got ${kind}`, { context: { flag: '--runtime' } }),
  );
}
