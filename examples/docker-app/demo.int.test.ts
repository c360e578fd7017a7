import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import Docker from 'dockerode';
import { afterAll, describe, expect, it } from 'vitest';
import {
  freePort,
  instanceCode,
  instanceLabels,
  labelFilter,
  listLabelledContainers,
  removeInstances,
} from '@dive/test-utils';
import { dockerApp } from './demo.js';

// The example runs from a copy in the test's own directory, under its own instance code and a free port: a user's
// deployment of the example (instance APP, its state in examples/docker-app/.dive, the volume dive_app_dbdata with
// their data, port 18080) is never touched, and the test can run beside another run of itself.
const here = fileURLToPath(new URL('.', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'dive-docker-app-test-'));
const userState = join(here, '.dive');
const userStateBefore = existsSync(userState);
const docker = new Docker();
const used: string[] = [];

/** A copy of the example with `instance` and `port` in place of APP and 18080. */
function copyExample(instance: string, port: number): string {
  for (const f of ['dive.yaml', 'motd.txt', 'web']) cpSync(join(here, f), join(root, f), { recursive: true });
  const original = readFileSync(join(here, 'dive.yaml'), 'utf8');
  const text = original
    .replace(/^instance: APP$/m, `instance: ${instance}`)
    .replace('published: 18080', `published: ${port}`);
  expect(text).toContain(`instance: ${instance}`);
  expect(text).toContain(`published: ${port}`);
  writeFileSync(join(root, 'dive.yaml'), text);
  return root;
}

afterAll(async () => {
  // Whatever a failed run left of this test's instance: containers, built images, its networks and volumes.
  await removeInstances(docker, used, {
    images: true,
    volumes: true,
    removeResources: async (instance) => {
      const filters = labelFilter(instanceLabels(instance));
      for (const n of await docker.listNetworks({ filters }))
        await docker
          .getNetwork(n.Id)
          .remove()
          .catch(() => undefined);
      const { Volumes } = await docker.listVolumes({ filters });
      for (const v of Volumes ?? [])
        await docker
          .getVolume(v.Name)
          .remove()
          .catch(() => undefined);
    },
  });
  rmSync(root, { recursive: true, force: true });
  expect(existsSync(userState)).toBe(userStateBefore);
}, 120_000);

describe('examples/docker-app', () => {
  it('deploys a built web image and a database with a volume on their own networks, and takes them down', async () => {
    const instance = instanceCode(used);
    const prefix = `dive_${instance.toLowerCase()}`;
    const dir = copyExample(instance, await freePort());
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const text: string[] = [];
    stdout.on('data', (c: Buffer) => text.push(c.toString()));
    stderr.resume();
    const code = await dockerApp(['--down', '--volumes'], { stdout, stderr }, { dir, instance });
    expect(code, text.join('')).toBe(0);
    expect(text.join('')).toContain(`${instance}: deployed — state COMPLETE`);
    expect(text.join('')).toMatch(new RegExp(`removed networks .*${prefix}_default`));
    expect(text.join('')).toMatch(new RegExp(`volumes .*${prefix}_dbdata`));
    expect(await listLabelledContainers(docker, instanceLabels(instance))).toHaveLength(0);
    const { Volumes } = await docker.listVolumes({ filters: labelFilter(instanceLabels(instance)) });
    expect(Volumes ?? []).toHaveLength(0);
  }, 180_000);
});
