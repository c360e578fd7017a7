import { afterAll, describe, expect, it } from 'vitest';
import { runTestContainer } from './docker.js';
import { listLabelledContainers, removeLabelledContainers } from './docker-labels.js';
import { dockerClient, uniqueSuffix } from './env.js';

const docker = dockerClient();
const labels = { 'dive.test.labels': uniqueSuffix() };

afterAll(async () => {
  await removeLabelledContainers(docker, labels, { volumes: true });
}, 60_000);

describe('containers by label', () => {
  it('lists running and stopped ones, keeps what it is told to keep, and removes the rest', async () => {
    const running = await runTestContainer(docker, { labels, cmd: ['sleep', '60'] });
    const created = await runTestContainer(docker, { labels, start: false });
    const other = await runTestContainer(docker, { labels: { 'dive.test.labels': `${labels['dive.test.labels']}-x` } });
    try {
      expect((await listLabelledContainers(docker, labels)).map((c) => c.Id).sort()).toEqual(
        [running.id, created.id].sort(),
      );
      expect((await listLabelledContainers(docker, labels, { running: true })).map((c) => c.Id)).toEqual([running.id]);
      expect(await removeLabelledContainers(docker, labels, { keep: new Set([created.id]) })).toBe(1);
      expect((await listLabelledContainers(docker, labels)).map((c) => c.Id)).toEqual([created.id]);
      expect(await removeLabelledContainers(docker, labels)).toBe(1);
      expect(await listLabelledContainers(docker, labels)).toEqual([]);
    } finally {
      await other.remove();
    }
  }, 120_000);
});
