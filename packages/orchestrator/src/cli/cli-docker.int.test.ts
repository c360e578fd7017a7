// The CLI on the real Docker engine, in-process (runCli): deploy, then status, rollback and down WITHOUT
// --runtime (the recorded runtime is used), a mismatching --runtime refused, down --volumes. Unique instance code;
// containers, networks and volumes removed afterwards.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import {
  dockerClient,
  ensureBusyboxImage,
  instanceLabels,
  listLabelledContainers,
  removeLabelledContainers,
  uniqueSuffix,
} from '@dive/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerRuntime } from '../runtime/docker-runtime.js';
import { runCli } from './main.js';

const docker = dockerClient();
const dir = mkdtempSync(join(tmpdir(), 'dive-cli-docker-'));
const instance = uniqueSuffix()
  .replace(/[^a-z]/g, '')
  .toUpperCase()
  .padEnd(3, 'W')
  .slice(-3);
let image = '';

async function dive(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let errText = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (errText += c.toString()));
  const code = await runCli(['--state', `file:${join(dir, 'state')}`, '--progress', 'quiet', ...args], {
    stdout,
    stderr,
    env: { ...process.env, NO_COLOR: '1' },
    cwd: dir,
  });
  return { code, stdout: out, stderr: errText };
}

const topology = (generation: string): string => `instance: ${instance}
volumes:
  data: {}
services:
  db:
    container:
      image: ${image}
      environment: { HEALTH_MODE: pass }
      volumes: [{ type: volume, source: data, target: /data }]
    retry: { policy: none, attempts: 1 }
  api:
    container:
      image: ${image}
      environment: { HEALTH_MODE: pass, GENERATION: '${generation}' }
    dependsOn: [db]
    retry: { policy: none, attempts: 1 }
`;

const running = async (): Promise<Record<string, string>> => {
  const found = await listLabelledContainers(docker, instanceLabels(instance), { running: true });
  return Object.fromEntries(found.map((c) => [c.Labels['dive.service'] ?? '', c.Labels['dive.config-hash'] ?? '']));
};

beforeAll(async () => {
  image = await ensureBusyboxImage(docker);
}, 120_000);

afterAll(async () => {
  await removeLabelledContainers(docker, instanceLabels(instance));
  const runtime = dockerRuntime({ docker });
  await runtime.removeResources?.(instance, { volumes: true });
  await runtime[Symbol.asyncDispose]();
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

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
