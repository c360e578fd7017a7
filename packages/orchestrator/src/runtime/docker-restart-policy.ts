import type Docker from 'dockerode';
import { statusCode } from './docker-errors.js';
import type { DiveLabels } from './docker-resource-names.js';

/**
 * Docker's `RestartPolicy` of a topology's `restart` value (`on-failure:3` → on-failure, at most 3 retries).
 * @internal
 */
export function restartPolicy(value: string): { Name: string; MaximumRetryCount?: number } {
  const [name = 'no', count] = value.split(':');
  return count === undefined ? { Name: name } : { Name: name, MaximumRetryCount: Number(count) };
}

/**
 * Apply the restart policy a container was created with (its `<prefix>.restart` label) now that it is healthy.
 * A container without one, or gone meanwhile, is left as it is.
 * @internal
 */
export async function applyRestartPolicy(docker: Docker, id: string, labels: DiveLabels): Promise<void> {
  const container = docker.getContainer(id);
  try {
    const info = await container.inspect();
    const value = info.Config.Labels[labels.restart];
    if (value === undefined || value === 'no') return;
    await container.update({ RestartPolicy: restartPolicy(value) });
  } catch (e) {
    if (statusCode(e) !== 404) throw e;
  }
}
