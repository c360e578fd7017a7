import { ConfigInvalidError } from '@dive/errors';
import type Docker from 'dockerode';
import type { VolumeSpec } from '../topology/types.js';
import { statusCode } from './docker-errors.js';
import { ownedBy, type DiveLabels, type PlacedResource } from './docker-resource-names.js';

/**
 * Make sure a named volume exists: an external one must (ConfigInvalidError otherwise); DIVE's own is created,
 * labelled, the first time and kept from then on (creating an existing volume is a no-op on Docker).
 * @internal
 */
export function ensureVolume(
  docker: Docker,
  placed: PlacedResource<VolumeSpec>,
  instance: string,
  labels: DiveLabels,
  owner: Readonly<Record<string, string>> = {},
): Promise<void> {
  return (async () => {
    if (placed.external) {
      try {
        await docker.getVolume(placed.name).inspect();
      } catch (e) {
        if (statusCode(e) !== 404) throw e;
        throw new ConfigInvalidError(`external volume '${placed.name}' does not exist on the Docker engine`, {
          context: { instance, volume: placed.logical, name: placed.name },
          remediation: `Create it first (\`docker volume create ${placed.name}\`) or drop \`external: true\`.`,
        });
      }
      return;
    }
    const s = placed.spec;
    await docker.createVolume({
      Name: placed.name,
      Driver: s.driver ?? 'local',
      ...(s.driverOpts === undefined ? {} : { DriverOpts: { ...s.driverOpts } }),
      Labels: {
        ...s.labels,
        ...owner,
        [labels.managed]: 'true',
        [labels.instance]: instance,
        [labels.volume]: placed.logical,
      },
    });
  })();
}

/**
 * Remove every volume DIVE created for an instance (named, and the per-service ones that stand for anonymous
 * volumes); never an external one. A volume still in use by a container is an error the caller sees.
 * @returns the names of the volumes removed
 * @internal
 */
export async function removeInstanceVolumes(
  docker: Docker,
  instance: string,
  labels: DiveLabels,
  storeId?: string,
): Promise<string[]> {
  const found = await docker.listVolumes({
    filters: { label: [`${labels.managed}=true`, `${labels.instance}=${instance}`] },
  });
  const removed: string[] = [];
  for (const v of (found.Volumes ?? []).filter((x) => ownedBy(labels, storeId)(x.Labels))) {
    try {
      await docker.getVolume(v.Name).remove();
      removed.push(v.Name);
    } catch (e) {
      if (statusCode(e) !== 404) throw e;
    }
  }
  return removed;
}
