import { ConfigInvalidError, type DiveError } from '@dive/errors';
import type Docker from 'dockerode';
import type { ContainerSpec } from '../topology/types.js';
import type { ImageBuilder } from './docker-build.js';
import { statusCode } from './docker-errors.js';
import { planMounts, type MountPlan } from './docker-mounts.js';
import { planNetworks, type NetworkPlan } from './docker-network-plan.js';
import { ensureNetwork } from './docker-networks.js';
import { ownedBy, storeLabel, type DiveLabels } from './docker-resource-names.js';
import { ensureVolume } from './docker-volumes.js';
import { ContainerStartFailedError } from './errors.js';
import type { StartRequest } from './types.js';

/** What a runtime shares across its starts. @internal */
export interface PrepareDeps {
  readonly docker: Docker;
  readonly labels: DiveLabels;
  readonly builder: ImageBuilder;
  /** Network creations in flight or done, by Docker name. */
  readonly networks: Map<string, Promise<void>>;
  /** The error for an image that is not on the engine. */
  readonly imageMissing: (image: string, r: StartRequest) => DiveError;
}

/** A container ready to be created: its image, mounts and networking, with what they need made sure of. @internal */
export interface PreparedContainer {
  readonly image: string;
  readonly mounts: MountPlan;
  readonly network: NetworkPlan;
  /** `service:<x>` resolved to `container:<id of x's running container>`. */
  readonly networkMode?: string;
}

async function imageVolumes(deps: PrepareDeps, image: string, r: StartRequest): Promise<string[]> {
  try {
    const info = await deps.docker.getImage(image).inspect();
    return Object.keys(info.Config.Volumes ?? {});
  } catch (e) {
    if (statusCode(e) === 404) throw deps.imageMissing(image, r);
    throw e;
  }
}

async function serviceContainer(deps: PrepareDeps, r: StartRequest, target: string): Promise<string> {
  const found = await deps.docker.listContainers({
    filters: {
      label: [
        `${deps.labels.managed}=true`,
        `${deps.labels.instance}=${r.instance}`,
        `${deps.labels.service}=${target}`,
      ],
      status: ['running'],
    },
  });
  const newest = found
    .filter((c) => ownedBy(deps.labels, r.storeId)(c.Labels))
    .sort((a, b) => b.Created - a.Created)[0];
  if (newest === undefined) {
    throw new ContainerStartFailedError(
      `${r.instance}/${r.service} shares the network of service '${target}', which has no running container`,
      {
        context: { instance: r.instance, service: r.service, networkMode: `service:${target}` },
        remediation: `Add '${target}' to the dependsOn of '${r.service}' so it starts first.`,
      },
    );
  }
  return `container:${newest.Id}`;
}

/**
 * Prepare one container: its image (built first when the spec has a `build`), the image's `VOLUME`s, its networks
 * (created the first time) or shared network stack, and its volumes (created the first time).
 *
 * @param deps - the runtime's shared parts
 * @param r - the start request (with a container spec)
 * @param spec - `r.container`
 * @returns the prepared container
 * @throws ConfigInvalidError (no image nor build; a missing external network or volume), ImageMissingError,
 *   ImageBuildFailedError, ContainerStartFailedError (`service:<x>` without a running container), dockerode errors
 * @internal
 */
export async function prepareContainer(
  deps: PrepareDeps,
  r: StartRequest,
  spec: ContainerSpec,
): Promise<PreparedContainer> {
  let image = spec.image;
  if (spec.build !== undefined) {
    const built = await deps.builder.ensure({
      instance: r.instance,
      service: r.service,
      build: spec.build,
      ...(spec.image === undefined ? {} : { image: spec.image }),
    });
    image = built.tag;
  }
  if (image === undefined) {
    throw new ConfigInvalidError(`${r.instance}/${r.service} has neither an image nor a build`, {
      context: { instance: r.instance, service: r.service },
    });
  }
  const mounts = planMounts(r.instance, r.service, spec, r.resources, await imageVolumes(deps, image, r));
  const network = planNetworks(r.instance, r.service, spec, r.resources);
  let networkMode: string | undefined;
  if (network.kind === 'networks') {
    await Promise.all(
      network.endpoints.map((e) =>
        ensureNetwork(
          deps.docker,
          e.placed,
          r.instance,
          deps.labels,
          deps.networks,
          storeLabel(deps.labels, r.storeId),
        ),
      ),
    );
  } else if (network.mode.startsWith('service:')) {
    networkMode = await serviceContainer(deps, r, network.mode.slice('service:'.length));
  }
  await Promise.all(
    mounts.volumes.map((v) =>
      ensureVolume(deps.docker, v.placed, r.instance, deps.labels, {
        ...storeLabel(deps.labels, r.storeId),
        ...(v.service === undefined ? {} : { [deps.labels.service]: v.service }),
      }),
    ),
  );
  return { image, mounts, network, ...(networkMode === undefined ? {} : { networkMode }) };
}
