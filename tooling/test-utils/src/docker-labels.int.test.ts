import { afterAll, describe, expect, it } from 'vitest';
import { runTestContainer } from './docker.js';
import { execInContainer } from './docker-exec.js';
import { instanceLabels, listLabelledContainers, removeInstances, removeLabelledContainers } from './docker-labels.js';
import { dockerClient, instanceCode, uniqueSuffix } from './env.js';

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

describe('instances', () => {
  it('execInContainer returns the output and exit code; removeInstances removes every container, then the rest', async () => {
    const used: string[] = [];
    const instance = `${instanceCode(used)}${uniqueSuffix()}`;
    expect(used).toHaveLength(1);
    expect(used[0]).toMatch(/^[A-Z]{3}$/);
    const live = await runTestContainer(docker, {
      labels: { ...labels, ...instanceLabels(instance) },
      cmd: ['sleep', '60'],
    });
    const stopped = await runTestContainer(docker, {
      labels: { ...labels, ...instanceLabels(instance) },
      start: false,
    });
    const ok = await execInContainer(docker, live.id, ['/bin/sh', '-c', 'echo out; echo err >&2']);
    expect(ok.exitCode).toBe(0);
    expect(ok.output.split('\n').sort()).toEqual(['', 'err', 'out']);
    expect((await execInContainer(docker, live.id, ['/bin/sh', '-c', 'exit 3'])).exitCode).toBe(3);
    const resources: string[] = [];
    await removeInstances(docker, [instance], {
      removeResources: async (i) => {
        resources.push(`${i}:${(await listLabelledContainers(docker, instanceLabels(i))).length}`);
      },
    });
    expect(resources).toEqual([`${instance}:0`]);
    await expect(stopped.container.inspect()).rejects.toMatchObject({ statusCode: 404 });
  }, 120_000);
});
