// The CLI on the real Docker engine, in-process (runCli): deploy, then status, rollback and down WITHOUT
// --runtime (the recorded runtime is used), a mismatching --runtime refused, down --volumes. Unique instance code;
// containers, networks and volumes removed afterwards.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { instanceLabels, listLabelledContainers } from '@dive/test-utils';
import { describe, expect, it } from 'vitest';
import { useDockerTestBed } from '../runtime/docker-test-bed.test-helpers.js';
import { inProcessDive } from './run-cli.test-helpers.js';

const bed = useDockerTestBed('dive-cli-docker-', { state: false });
const { docker, dir } = bed;
const instance = bed.code();
const dive = inProcessDive(dir, { args: ['--progress', 'quiet'] });

const topology = (generation: string): string => `instance: ${instance}
volumes:
  data: {}
services:
  db:
    container:
      image: ${bed.image}
      environment: { HEALTH_MODE: pass }
      volumes: [{ type: volume, source: data, target: /data }]
    retry: { policy: none, attempts: 1 }
  api:
    container:
      image: ${bed.image}
      environment: { HEALTH_MODE: pass, GENERATION: '${generation}' }
    dependsOn: [db]
    retry: { policy: none, attempts: 1 }
`;

const running = async (): Promise<Record<string, string>> => {
  const found = await listLabelledContainers(docker, instanceLabels(instance), { running: true });
  return Object.fromEntries(found.map((c) => [c.Labels['dive.service'] ?? '', c.Labels['dive.config-hash'] ?? '']));
};

describe('dive on Docker: the recorded runtime', () => {
  it('status, rollback and down use the runtime the instance was deployed with; another one is refused', async () => {
    writeFileSync(join(dir, 'dive.yaml'), topology('one'));
    expect((await dive('deploy', '-f', 'dive.yaml')).code).toBe(0);
    const first = await running();
    expect(Object.keys(first).sort()).toEqual(['api', 'db']);

    const status = await dive('--json', 'status', instance);
    expect(status.code).toBe(0);
    const [shown] = JSON.parse(status.stdout) as { services: { service: string; status: { state: string } }[] }[];
    expect(shown?.services.map((s) => [s.service, s.status.state]).sort()).toEqual([
      ['api', 'running'],
      ['db', 'running'],
    ]);

    const wrong = await dive('down', instance, '--runtime', 'process');
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/deployed with the docker runtime, not process/);
    expect(Object.keys(await running()).sort()).toEqual(['api', 'db']);

    writeFileSync(join(dir, 'dive.yaml'), topology('two'));
    expect((await dive('deploy', '-f', 'dive.yaml')).code).toBe(0);
    expect((await running())['api']).not.toBe(first['api']);
    const back = await dive('rollback', instance);
    expect(back.code, back.stderr).toBe(0);
    expect((await running())['api']).toBe(first['api']);

    const network = `dive_${instance.toLowerCase()}_default`;
    const volume = `dive_${instance.toLowerCase()}_data`;
    const down = await dive('down', instance);
    expect(down.code, down.stderr).toBe(0);
    expect(down.stdout).toMatch(/stopped (api, db|db, api); removed networks dive_/);
    expect(await running()).toEqual({});
    await expect(docker.getNetwork(network).inspect()).rejects.toMatchObject({ statusCode: 404 });
    await expect(docker.getVolume(volume).inspect()).resolves.toBeDefined();

    expect((await dive('down', instance, '--volumes')).code).toBe(0);
    await expect(docker.getVolume(volume).inspect()).rejects.toMatchObject({ statusCode: 404 });
  }, 180_000);
});
