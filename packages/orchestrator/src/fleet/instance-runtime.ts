import type { DiveError } from '@dive/errors';
import { err, ok, type Result } from 'neverthrow';
import { recordedRuntime, RuntimeMismatchError } from '../operations/recorded-runtime.js';
import { dockerRuntime } from '../runtime/docker-runtime.js';
import { processRuntime } from '../runtime/process-runtime.js';
import type { Runtime } from '../runtime/types.js';
import type { StateBackend } from '../state.js';
import type { FleetInstance } from './types.js';

/** The runtimes a fleet instance can name. @internal */
export type InstanceRuntimeKind = NonNullable<FleetInstance['runtime']>;

/**
 * The runtime a fleet file gives an instance: its `runtime`, else `docker` when its topology has a container or it
 * names a `docker` host, else `process`. @internal
 */
export function instanceRuntimeKind(spec: FleetInstance): InstanceRuntimeKind {
  const containers = Object.values(spec.topology.services).some((s) => s.container !== undefined);
  return spec.runtime ?? (containers || spec.docker !== undefined ? 'docker' : 'process');
}

/**
 * The default runtime of a fleet instance: local processes for `runtime: process` (or a topology without
 * containers and no `docker` host), else Docker on its host. @internal
 */
export function defaultInstanceRuntime(spec: FleetInstance, logDir?: string): Runtime {
  if (instanceRuntimeKind(spec) === 'process') return processRuntime(logDir === undefined ? {} : { logDir });
  // The runtime parses the host itself (one implementation): a bad URL or an unreadable TLS file is a
  // ConfigInvalidError (exit 2) on every call, an engine that does not answer a RuntimeUnavailableError (exit 4).
  return dockerRuntime({
    ...(spec.docker === undefined ? {} : { docker: spec.docker }),
    ...(spec.tls === undefined ? {} : { tls: spec.tls }),
  });
}

/**
 * The runtime that acts on a deployed instance of a fleet (`dive fleet down`), as `dive down` chooses it: the one
 * recorded in the instance's state (on the fleet file's Docker host), so an instance deployed on processes is taken
 * down there even when the fleet file now says Docker; the fleet file's when nothing is recorded. @internal
 * @returns Ok the runtime and the kind it is (`recorded` when the state named it); Err `RuntimeMismatchError` (1008:
 *   the instance was deployed with a runtime the CLI cannot make, e.g. one of the SDK's caller), or the state's
 *   read error
 */
export async function deployedInstanceRuntime(
  state: StateBackend,
  instance: string,
  spec: FleetInstance,
  logDir?: string,
): Promise<Result<{ runtime: Runtime; kind: InstanceRuntimeKind; recorded: boolean }, DiveError>> {
  const recorded = await recordedRuntime(state, instance);
  if (recorded.isErr()) return err(recorded.error);
  const name = recorded.value;
  if (name === undefined) {
    return ok({ runtime: defaultInstanceRuntime(spec, logDir), kind: instanceRuntimeKind(spec), recorded: false });
  }
  if (name !== 'docker' && name !== 'process') {
    return err(
      new RuntimeMismatchError(
        `${instance} was deployed with the ${name} runtime, which the CLI cannot use; act on it through the SDK with that runtime`,
        { context: { instance, recorded: name } },
      ),
    );
  }
  return ok({ runtime: defaultInstanceRuntime({ ...spec, runtime: name }, logDir), kind: name, recorded: true });
}
