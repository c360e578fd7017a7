// Shared by the Docker rollback int tests: what an instance has on the engine, retired containers included (their
// set-up and clean-up are the Docker test bed's: runtime/docker-test-bed.test-helpers.ts).
import type Docker from 'dockerode';
import { instanceLabels, listLabelledContainers } from '@dive/test-utils';

/** Every container of an instance (running or not, retired ones too): name, id, state. */
export async function containersOf(
  docker: Docker,
  instance: string,
): Promise<{ name: string; id: string; state: string; service: string }[]> {
  const list = await listLabelledContainers(docker, instanceLabels(instance));
  return list.map((c) => ({
    name: (c.Names[0] ?? '').replace(/^\//, ''),
    id: c.Id,
    state: c.State,
    service: c.Labels['dive.service'] ?? '',
  }));
}
