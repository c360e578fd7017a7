import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import Docker from 'dockerode';
import { afterAll, describe, expect, it } from 'vitest';
import { instanceLabels, listLabelledContainers, removeLabelledContainers } from '@dive/test-utils';
import { dockerApp } from './demo.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const docker = new Docker();

afterAll(async () => {
  await removeLabelledContainers(docker, instanceLabels('APP'));
  for (const n of ['dive_app_default', 'dive_app_back'])
    await docker
      .getNetwork(n)
      .remove()
      .catch(() => undefined);
  await docker
    .getVolume('dive_app_dbdata')
    .remove()
    .catch(() => undefined);
  rmSync(join(here, '.dive'), { recursive: true, force: true });
});

describe('examples/docker-app', () => {
  it('deploys a built web image and a database with a volume on their own networks, and takes them down', async () => {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const text: string[] = [];
    stdout.on('data', (c: Buffer) => text.push(c.toString()));
    stderr.resume();
    const code = await dockerApp(['--down', '--volumes'], { stdout, stderr });
    expect(code, text.join('')).toBe(0);
    expect(text.join('')).toMatch(/APP: deployed — state COMPLETE/);
    expect(text.join('')).toMatch(/removed networks .*dive_app_default/);
    expect(text.join('')).toMatch(/volumes .*dive_app_dbdata/);
    const left = await listLabelledContainers(docker, instanceLabels('APP'));
    expect(left).toHaveLength(0);
  }, 180_000);
});
