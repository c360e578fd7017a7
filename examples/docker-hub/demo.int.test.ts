import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { PassThrough } from 'node:stream';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instanceLabels, listLabelledContainers, removeLabelledContainers } from '@dive/test-utils';
import { dockerHub } from './demo.js';

// The test's own state directory: a user's examples/docker-hub/.dive (and the containers it records) is never touched.
const root = mkdtempSync(join(tmpdir(), 'dive-docker-hub-test-'));
const userState = join(fileURLToPath(new URL('.', import.meta.url)), '.dive');
const userStateBefore = existsSync(userState);
const docker = new Docker();
const hub = instanceLabels('HUB');
let before = new Set<string>();

beforeAll(async () => {
  before = new Set((await listLabelledContainers(docker, hub)).map((c) => c.Id));
});

afterAll(async () => {
  // Only the containers this test started (a user's own HUB containers, present before, are left alone).
  await removeLabelledContainers(docker, hub, { keep: before });
  rmSync(root, { recursive: true, force: true });
  expect(existsSync(userState)).toBe(userStateBefore);
});

describe('examples/docker-hub', () => {
  it('deploys the nine hub services as busybox containers and removes them again', async () => {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const text: string[] = [];
    stdout.on('data', (c: Buffer) => text.push(c.toString()));
    stderr.resume();
    const code = await dockerHub(['--down'], { stdout, stderr }, join(root, 'state'));
    expect(code, text.join('')).toBe(0);
    expect(text.join('')).toMatch(/HUB: deployed — state COMPLETE/);
    const left = (await listLabelledContainers(docker, hub)).filter((c) => !before.has(c.Id));
    expect(left).toHaveLength(0);
  }, 120_000);
});
