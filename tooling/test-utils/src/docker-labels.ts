import type Docker from 'dockerode';

/** Labels a container or image must all carry, e.g. `{ 'dive.instance': 'ABC' }`. */
export type LabelSelector = Readonly<Record<string, string>>;

/** The labels of every container and image DIVE makes for one instance. */
export const instanceLabels = (instance: string): LabelSelector => ({ 'dive.instance': instance });

/** Docker's `label` filter for `labels` (every label must match). */
export const labelFilter = (labels: LabelSelector): { label: string[] } => ({
  label: Object.entries(labels).map(([k, v]) => `${k}=${v}`),
});

/** Which containers {@link listLabelledContainers} lists. */
export interface ListLabelledOptions {
  /** Only running containers (default: all, stopped ones too). */
  readonly running?: boolean;
}

/** The containers carrying every label of `labels` (all of them, or only the running ones). */
export async function listLabelledContainers(
  docker: Docker,
  labels: LabelSelector,
  options: ListLabelledOptions = {},
): Promise<Docker.ContainerInfo[]> {
  const running = options.running ?? false;
  return docker.listContainers({
    all: !running,
    filters: { ...labelFilter(labels), ...(running ? { status: ['running'] } : {}) },
  });
}

/** How {@link removeLabelledContainers} removes. */
export interface RemoveLabelledOptions {
  /** Also remove the containers' anonymous volumes (default false: named volumes are the runtime's to remove). */
  readonly volumes?: boolean;
  /** Container ids to leave alone (e.g. a user's own containers that were there before the test). */
  readonly keep?: ReadonlySet<string>;
}

/**
 * Force-remove every container carrying `labels` (a test's clean-up: a container already gone is not an error,
 * nor is one Docker refuses). Returns how many it tried to remove.
 */
export async function removeLabelledContainers(
  docker: Docker,
  labels: LabelSelector,
  options: RemoveLabelledOptions = {},
): Promise<number> {
  const list = (await listLabelledContainers(docker, labels)).filter((c) => options.keep?.has(c.Id) !== true);
  await Promise.all(
    list.map((c) =>
      docker
        .getContainer(c.Id)
        .remove({ force: true, ...(options.volumes === true ? { v: true } : {}) })
        .catch(() => undefined),
    ),
  );
  return list.length;
}

/** Force-remove every image carrying `labels` (e.g. images built for an instance). Returns how many. */
export async function removeLabelledImages(docker: Docker, labels: LabelSelector): Promise<number> {
  const list = await docker.listImages({ filters: labelFilter(labels) });
  for (const image of list)
    await docker
      .getImage(image.Id)
      .remove({ force: true })
      .catch(() => undefined);
  return list.length;
}

/** How {@link removeInstances} cleans up. */
export interface RemoveInstancesOptions {
  /** Called for each instance once its containers are gone, e.g. the runtime's `removeResources` (networks, volumes). */
  readonly removeResources?: (instance: string) => Promise<unknown>;
  /** Also remove the images built for the instances (default false). */
  readonly images?: boolean;
  /** Also remove the containers' anonymous volumes (default false). */
  readonly volumes?: boolean;
}

/**
 * A test's clean-up of DIVE instances: every container of each instance (stopped and retired ones too) is
 * force-removed, then `removeResources` runs for it, then (with `images`) its built images are removed.
 */
export async function removeInstances(
  docker: Docker,
  instances: readonly string[],
  options: RemoveInstancesOptions = {},
): Promise<void> {
  for (const instance of instances) {
    await removeLabelledContainers(docker, instanceLabels(instance), { volumes: options.volumes === true });
    await options.removeResources?.(instance);
    if (options.images === true) await removeLabelledImages(docker, instanceLabels(instance));
  }
}
