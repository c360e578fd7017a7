import { ConfigInvalidError } from '@dive/errors';
import type Docker from 'dockerode';
import type { NetworkSpec } from '../topology/types.js';
import { statusCode } from './docker-errors.js';
import { ownedBy, type DiveLabels, type PlacedResource } from './docker-resource-names.js';

/**
 * Make sure a network exists: an external one must (ConfigInvalidError otherwise); DIVE's own is created,
 * labelled, the first time and reused after. Concurrent starts of one runtime share one creation through `pending`.
 * @internal
 */
export function ensureNetwork(
  docker: Docker,
  placed: PlacedResource<NetworkSpec>,
  instance: string,
  labels: DiveLabels,
  pending: Map<string, Promise<void>>,
  owner: Readonly<Record<string, string>> = {},
): Promise<void> {
  const known = pending.get(placed.name);
  if (known !== undefined) return known;
  const work = (async () => {
    try {
      await docker.getNetwork(placed.name).inspect();
      return;
    } catch (e) {
      if (statusCode(e) !== 404) throw e;
    }
    if (placed.external) {
      throw new ConfigInvalidError(`external network '${placed.name}' does not exist on the Docker engine`, {
        context: { instance, network: placed.logical, name: placed.name },
        remediation: `Create it first (\`docker network create ${placed.name}\`) or drop \`external: true\`.`,
      });
    }
    const s = placed.spec;
    await docker.createNetwork({
      Name: placed.name,
      CheckDuplicate: true,
      Driver: s.driver ?? 'bridge',
      ...(s.internal === undefined ? {} : { Internal: s.internal }),
      ...(s.attachable === undefined ? {} : { Attachable: s.attachable }),
      ...(s.enableIpv6 === undefined ? {} : { EnableIPv6: s.enableIpv6 }),
      ...(s.driverOpts === undefined ? {} : { Options: { ...s.driverOpts } }),
      Labels: {
        ...s.labels,
        ...owner,
        [labels.managed]: 'true',
        [labels.instance]: instance,
        [labels.network]: placed.logical,
      },
    });
  })();
  pending.set(placed.name, work);
  // A failure is not remembered: the next start tries again.
  work.catch(() => pending.delete(placed.name));
  return work;
}

/**
 * Remove the networks DIVE created for an instance that no container uses any more (never an external one: those
 * carry no DIVE labels). A network still in use, or gone meanwhile, is left alone.
 * @returns the names of the networks removed
 * @internal
 */
export async function removeUnusedNetworks(
  docker: Docker,
  instance: string,
  labels: DiveLabels,
  storeId?: string,
): Promise<string[]> {
  const found = (
    await docker.listNetworks({
      filters: { label: [`${labels.managed}=true`, `${labels.instance}=${instance}`] },
    })
  ).filter((n) => ownedBy(labels, storeId)(n.Labels));
  const removed: string[] = [];
  for (const n of found) {
    try {
      const info = (await docker.getNetwork(n.Id).inspect()) as { Containers?: Record<string, unknown> };
      if (Object.keys(info.Containers ?? {}).length > 0) continue;
      await docker.getNetwork(n.Id).remove();
      removed.push(n.Name);
    } catch (e) {
      const code = statusCode(e);
      if (code !== 404 && code !== 403 && code !== 409) throw e;
    }
  }
  return removed;
}
