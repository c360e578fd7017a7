import { PassThrough } from 'node:stream';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../packages/orchestrator/src/cli/main.js';
import { demo } from './demo.js';

// The test's own state directory: a user's examples/hub/.dive (and the services it runs) is never touched.
const root = mkdtempSync(join(tmpdir(), 'dive-demo-test-'));
const userState = join(fileURLToPath(new URL('.', import.meta.url)), '.dive');
const userStateBefore = existsSync(userState);
let run = 0;
const freshState = (): string => join(root, `state-${++run}`);

/** Stop whatever a run left (a failed assertion can end a test before its `--down`), then remove the directory. */
async function stopAndRemove(): Promise<void> {
  for (let i = 1; i <= run; i++) {
    const dir = join(root, `state-${i}`);
    const sink = { write: () => true } as unknown as NodeJS.WritableStream;
    const io = { stdout: sink, stderr: sink, env: process.env, cwd: root };
    if (existsSync(dir)) await runCli(['--state', `file:${dir}`, '--quiet', 'down', 'USA'], io);
  }
  rmSync(root, { recursive: true, force: true });
}

function capture(): {
  out: { stdout: PassThrough; stderr: PassThrough };
  text: () => { stdout: string; stderr: string };
} {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const o: string[] = [];
  const e: string[] = [];
  stdout.on('data', (c: Buffer) => o.push(c.toString()));
  stderr.on('data', (c: Buffer) => e.push(c.toString()));
  return { out: { stdout, stderr }, text: () => ({ stdout: o.join(''), stderr: e.join('') }) };
}

describe('examples/hub (the README demo)', () => {
  afterAll(async () => {
    await stopAndRemove();
    expect(existsSync(userState)).toBe(userStateBefore);
  }, 60_000);

  it('deploys the nine hub services as local processes, shows the summary and what to try next, then tears down', async () => {
    const c = capture();
    const code = await demo(['--down'], c.out, freshState());
    const { stdout, stderr } = c.text();
    expect(code).toBe(0);
    expect(stdout).toMatch(/USA: deployed — state COMPLETE/);
    for (const s of ['postgres', 'mongodb', 'redis', 'opa', 'keycloak', 'backend', 'frontend', 'kas', 'opal-client'])
      expect(stdout).toContain(s);
    expect(stdout).toMatch(/critical path: .*→/);
    expect(stdout).toMatch(/checkpoint: /);
    expect(stderr).toContain('dive status USA');
    expect(stderr).not.toContain('demo-only-secret');
  }, 60_000);

  it('with --fail keycloak on a first deployment: retries, then everything is removed and the instance is torn down', async () => {
    const c = capture();
    const code = await demo(['--fail', 'keycloak', '--down'], c.out, freshState());
    const { stdout, stderr } = c.text();
    expect(code).toBe(1);
    expect(stdout).toMatch(/FAILED — state UNKNOWN/);
    expect(stdout).toMatch(/keycloak\s+1\s+failed/);
    expect(stderr).toMatch(/keycloak: attempt 1 failed/);
  }, 90_000);
});
