import { CancelledError, ConfigInvalidError } from '@dive/errors';
import type Docker from 'dockerode';
import { containerName } from './container-name.js';
import { containerCreateOptions } from './docker-create-options.js';
import { engineMessage, statusCode } from './docker-errors.js';
import { endpointConfig } from './docker-network-plan.js';
import { prepareContainer, type PrepareDeps } from './docker-prepare.js';
import { storeLabel } from './docker-resource-names.js';
import { ContainerStartFailedError } from './errors.js';
import type { ServiceHandle, StartRequest } from './types.js';

/** What starting a container needs from its runtime. @internal */
export interface StartDeps extends PrepareDeps {
  /** The grace period of containers whose spec gives none, in ms. */
  readonly defaultGraceMs: number;
  /** Remove a container, forced; a missing one is success. Its volumes are kept. */
  readonly removeQuietly: (id: string) => Promise<void>;
}

async function create(
  deps: StartDeps,
  name: string,
  options: Docker.ContainerCreateOptions,
  failed: (message: string, cause: unknown) => ContainerStartFailedError,
): Promise<Docker.Container> {
  try {
    return await deps.docker.createContainer(options);
  } catch (e) {
    const code = statusCode(e);
    if (code === undefined) throw e; // connection: RuntimeUnavailableError
    if (code !== 409) throw failed(engineMessage(e), e);
    // A stopped leftover of an earlier attempt (or a fixed containerName's last container) is replaced; a
    // running one is not.
    const existing = await deps.docker.getContainer(name).inspect();
    if (existing.State.Running) throw failed(`a container named ${name} is already running`, e);
    await deps.removeQuietly(name);
    try {
      return await deps.docker.createContainer(options);
    } catch (again) {
      if (statusCode(again) === undefined) throw again;
      throw failed(engineMessage(again), again);
    }
  }
}

/**
 * Create and start one service's container: prepare its image, networks and volumes, create it on its first
 * network, connect it to the others, start it. A container that fails to start is removed (its volumes kept).
 *
 * @param deps - the runtime's shared parts
 * @param r - the start request
 * @returns the handle (id = container id)
 * @throws ContainerStartFailedError (3001, with the engine's message), ImageMissingError, ImageBuildFailedError,
 *   ConfigInvalidError, CancelledError, dockerode connection errors
 * @internal
 */
export async function createAndStart(deps: StartDeps, r: StartRequest): Promise<ServiceHandle> {
  const spec = r.container;
  if (spec === undefined) throw new ConfigInvalidError(`${r.instance}/${r.service} has no container spec`);
  const prepared = await prepareContainer(deps, r, spec);
  const name = spec.containerName ?? containerName(r.instance, r.service, r.deploymentId);
  const failed = (message: string, cause: unknown): ContainerStartFailedError =>
    new ContainerStartFailedError(
      `container ${name} (${prepared.image}) of ${r.instance}/${r.service} failed to start: ${message}`,
      {
        cause,
        context: {
          instance: r.instance,
          service: r.service,
          container: name,
          image: prepared.image,
          runtime: 'docker',
        },
      },
    );
  const l = deps.labels;
  const options = containerCreateOptions({
    name,
    image: prepared.image,
    spec,
    env: r.env,
    labels: {
      ...spec.labels,
      [l.instance]: r.instance,
      [l.service]: r.service,
      [l.deployment]: r.deploymentId,
      [l.configHash]: r.configHash,
      [l.managed]: 'true',
      ...storeLabel(l, r.storeId),
      ...(spec.restart === undefined ? {} : { [l.restart]: spec.restart }),
    },
    mounts: prepared.mounts,
    network: prepared.network,
    ...(prepared.networkMode === undefined ? {} : { networkMode: prepared.networkMode }),
    defaultGraceMs: deps.defaultGraceMs,
  });
  const container = await create(deps, name, options, failed);
  try {
    if (prepared.network.kind === 'networks') {
      for (const e of prepared.network.endpoints.slice(1)) {
        await deps.docker
          .getNetwork(e.placed.name)
          .connect({ Container: container.id, EndpointConfig: endpointConfig(e) });
      }
    }
    if (r.signal?.aborted === true) throw new CancelledError(`start of ${r.instance}/${r.service} cancelled`);
    await container.start();
    // No inspect here: it would be one more round trip on every start's path, and the health wait inspects next.
    return {
      runtime: 'docker',
      instance: r.instance,
      service: r.service,
      id: container.id,
      name,
      deploymentId: r.deploymentId,
      configHash: r.configHash,
      startedAt: new Date().toISOString(),
    };
  } catch (e) {
    await deps.removeQuietly(container.id).catch(() => undefined);
    if (e instanceof CancelledError || statusCode(e) === undefined) throw e;
    throw failed(engineMessage(e), e);
  }
}
