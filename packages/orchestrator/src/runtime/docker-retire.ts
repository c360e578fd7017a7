import type Docker from 'dockerode';
import type { ContainerInfo } from 'dockerode';
import { statusCode } from './docker-errors.js';
import { ownedBy, type DiveLabels } from './docker-resource-names.js';
import type { ServiceHandle } from './types.js';

/** What a retired container's name ends with (Docker cannot relabel a container, so the name marks it). */
export const RETIRED_SUFFIX = '.retired';

/**
 * Whether a container name (with or without Docker's leading `/`) is a retired one.
 * @internal
 */
export const isRetiredName = (name: string): boolean => name.endsWith(RETIRED_SUFFIX);

/** `<name>.retired`, and back. */
const retiredName = (name: string): string => (isRetiredName(name) ? name : `${name}${RETIRED_SUFFIX}`);
const liveName = (name: string): string => (isRetiredName(name) ? name.slice(0, -RETIRED_SUFFIX.length) : name);

/** Rename a container; a stopped container already holding the name is removed first (a running one is not). */
async function renameOver(docker: Docker, id: string, name: string, remove: (id: string) => Promise<void>) {
  const container = docker.getContainer(id);
  try {
    await container.rename({ name });
  } catch (e) {
    if (statusCode(e) !== 409) throw e;
    const holder = await docker.getContainer(name).inspect();
    if (holder.Id === id) return;
    if (holder.State.Running) throw e;
    await remove(holder.Id);
    await container.rename({ name });
  }
}

/**
 * Retire a container: its restart policy to `no` (a daemon restart must not bring it back), stop it within
 * `graceMs`, rename it `<name>.retired`. A container already gone stays gone: its handle is returned unchanged
 * (a later `restore` of it fails, and the engine starts a fresh one).
 * @returns the retired handle
 * @internal
 */
export async function retireContainer(
  docker: Docker,
  h: ServiceHandle,
  graceMs: number,
  remove: (id: string) => Promise<void>,
): Promise<ServiceHandle> {
  const container = docker.getContainer(h.id);
  try {
    await container.update({ RestartPolicy: { Name: 'no' } });
    await container.stop({ t: Math.ceil(graceMs / 1000) });
  } catch (e) {
    const code = statusCode(e);
    if (code === 404) return h;
    if (code !== 304) throw e; // 304: already stopped
  }
  const name = retiredName(h.name);
  await renameOver(docker, h.id, name, remove);
  return { ...h, name };
}

/**
 * Restore a retired container: rename it back, start it.
 * @returns the live handle
 * @throws the engine's error when the container is gone (404) or its name is held by a running container
 * @internal
 */
export async function restoreContainer(
  docker: Docker,
  h: ServiceHandle,
  remove: (id: string) => Promise<void>,
): Promise<ServiceHandle> {
  const name = liveName(h.name);
  await renameOver(docker, h.id, name, remove);
  try {
    await docker.getContainer(h.id).start();
  } catch (e) {
    if (statusCode(e) !== 304) throw e; // 304: already started
  }
  return { ...h, name, startedAt: new Date().toISOString() };
}

/**
 * A listed container as a service handle of `instance`.
 * @internal
 */
export const handleOf = (labels: DiveLabels, instance: string, c: ContainerInfo): ServiceHandle => ({
  runtime: 'docker',
  instance,
  service: c.Labels[labels.service] ?? '',
  id: c.Id,
  name: (c.Names[0] ?? c.Id).replace(/^\//, ''),
  deploymentId: c.Labels[labels.deployment] ?? '',
  configHash: c.Labels[labels.configHash] ?? '',
  startedAt: new Date(c.Created * 1000).toISOString(),
});

/**
 * An instance's retired containers, only those of `storeId`'s store when given (containers of another store are
 * never touched), newest first.
 * @returns their handles (names end with `.retired`)
 * @internal
 */
export async function listRetired(
  docker: Docker,
  instance: string,
  labels: DiveLabels,
  storeId?: string,
  abortSignal?: AbortSignal,
): Promise<ServiceHandle[]> {
  const found = await docker.listContainers({
    ...(abortSignal === undefined ? {} : { abortSignal }),
    all: true,
    filters: { label: [`${labels.instance}=${instance}`, `${labels.managed}=true`] },
  });
  return found
    .filter((c) => isRetiredName(c.Names[0] ?? '') && ownedBy(labels, storeId)(c.Labels))
    .sort((a, b) => b.Created - a.Created)
    .map((c) => handleOf(labels, instance, c));
}

/**
 * Remove an instance's retired containers (`down`: nothing of the instance is left behind), only those of
 * `storeId`'s store when given.
 * @returns their names
 * @internal
 */
export async function removeRetired(
  docker: Docker,
  instance: string,
  labels: DiveLabels,
  remove: (id: string) => Promise<void>,
  storeId?: string,
): Promise<string[]> {
  const removed: string[] = [];
  for (const h of await listRetired(docker, instance, labels, storeId)) {
    await remove(h.id);
    removed.push(h.name);
  }
  return removed;
}
