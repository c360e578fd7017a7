import { rmSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Docker from 'dockerode';
import { afterAll, describe, expect, it } from 'vitest';
import { dockerHub } from './demo.js';

const here = fileURLToPath(new URL('.', import.meta.url));
afterAll(async () => {
  const docker = new Docker();
  for (const c of await docker.listContainers({ all: true, filters: { label: ['dive.instance=HUB'] } })) {
    await docker
      .getContainer(c.Id)
      .remove({ force: true })
      .catch(() => undefined);
  }
  rmSync(join(here, '.dive'), { recursive: true, force: true });
});

describe('examples/docker-hub', () => {
  it('deploys the nine hub services as busybox containers and removes them again', async () => {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const text: string[] = [];
    stdout.on('data', (c: Buffer) => text.push(c.toString()));
    stderr.resume();
    const code = await dockerHub(['--down'], { stdout, stderr });
    expect(code, text.join('')).toBe(0);
    expect(text.join('')).toMatch(/HUB: deployed — state COMPLETE/);
    const left = await new Docker().listContainers({ all: true, filters: { label: ['dive.instance=HUB'] } });
    expect(left).toHaveLength(0);
  }, 120_000);
});
