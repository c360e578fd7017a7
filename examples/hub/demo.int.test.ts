import { PassThrough } from 'node:stream';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { demo } from './demo.js';

const stateDir = join(fileURLToPath(new URL('.', import.meta.url)), '.dive');

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
  afterAll(() => rmSync(stateDir, { recursive: true, force: true }));

  it('deploys the nine hub services as local processes, shows the summary and what to try next, then tears down', async () => {
    rmSync(stateDir, { recursive: true, force: true });
    const c = capture();
    const code = await demo(['--down'], c.out);
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
    rmSync(stateDir, { recursive: true, force: true });
    const c = capture();
    const code = await demo(['--fail', 'keycloak', '--down'], c.out);
    const { stdout, stderr } = c.text();
    expect(code).toBe(1);
    expect(stdout).toMatch(/FAILED — state UNKNOWN/);
    expect(stdout).toMatch(/keycloak\s+1\s+failed/);
    expect(stderr).toMatch(/keycloak: attempt 1 failed/);
  }, 90_000);
});
