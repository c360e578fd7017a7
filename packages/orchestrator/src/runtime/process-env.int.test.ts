import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { uniqueSuffix, waitFor } from '@dive/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processRuntime, type ProcessRuntimeOptions } from './process-runtime.js';
import type { ServiceHandle } from './types.js';

const dir = mkdtempSync(join(tmpdir(), 'dive-process-env-'));
const instance = `E${uniqueSuffix()}`.toUpperCase();
const planted: Record<string, string> = {
  DIVE_CHECKPOINT_KEY: 'ck-secret-value',
  DIVE_AUDIT_KEY: 'audit-secret-value',
  DIVE_STATE_URL: 'postgres://dive:pw@127.0.0.1/dive',
  DATABASE_URL: 'postgres://dive:pw@127.0.0.1/dive',
  ENV_TEST_UNLISTED: 'unlisted',
  LC_DIVE_TEST: 'lc',
};
const saved = new Map<string, string | undefined>();
const runtimes: ReturnType<typeof processRuntime>[] = [];
const handles: [ReturnType<typeof processRuntime>, ServiceHandle][] = [];

beforeAll(() => {
  for (const [k, v] of Object.entries(planted)) {
    saved.set(k, process.env[k]);
    process.env[k] = v;
  }
});
afterAll(async () => {
  for (const k of saved.keys()) Reflect.deleteProperty(process.env, k);
  for (const [k, v] of saved) if (v !== undefined) process.env[k] = v;
  for (const [rt, h] of handles) await rt.stop(h, { graceMs: 100 });
  for (const rt of runtimes) await rt[Symbol.asyncDispose]();
  rmSync(dir, { recursive: true, force: true });
});

/** Start a real child that writes its environment to a file, and return what it saw. */
async function envSeenByChild(options: ProcessRuntimeOptions, service: string): Promise<Record<string, string>> {
  const runtime = processRuntime({ logDir: join(dir, 'logs'), pollMs: 50, ...options });
  runtimes.push(runtime);
  const out = join(dir, `${service}.json`);
  const script = `require('fs').writeFileSync(${JSON.stringify(out)}, JSON.stringify(process.env)); setInterval(() => {}, 1000);`;
  const handle = (
    await runtime.start({
      instance,
      service,
      deploymentId: `dep-${uniqueSuffix()}`,
      configHash: 'h',
      kind: 'service',
      env: { OWN_SECRET: 'resolved-for-this-service' },
      process: { command: process.execPath, args: ['-e', script] },
    })
  )._unsafeUnwrap();
  handles.push([runtime, handle]);
  const text = await waitFor(`${service} to write its environment`, () => {
    try {
      return readFileSync(out, 'utf8');
    } catch {
      return undefined;
    }
  });
  return JSON.parse(text) as Record<string, string>;
}

describe('processRuntime: a child gets what it needs, never DIVE_* or the state URL', () => {
  it('by default: its own environment and the allowlist (PATH, LC_*), not other variables', async () => {
    const env = await envSeenByChild({}, 'default');
    expect(env['OWN_SECRET']).toBe('resolved-for-this-service');
    expect(env['PATH']).toBe(process.env['PATH']);
    expect(env['LC_DIVE_TEST']).toBe('lc');
    expect(env['ENV_TEST_UNLISTED']).toBeUndefined();
    for (const k of ['DIVE_CHECKPOINT_KEY', 'DIVE_AUDIT_KEY', 'DIVE_STATE_URL', 'DATABASE_URL'])
      expect(env[k]).toBeUndefined();
  });

  it('with inheritEnv: everything else, still not DIVE_* nor DATABASE_URL', async () => {
    const env = await envSeenByChild({ inheritEnv: true }, 'inherit');
    expect(env['ENV_TEST_UNLISTED']).toBe('unlisted');
    expect(env['OWN_SECRET']).toBe('resolved-for-this-service');
    expect(Object.keys(env).filter((k) => k.startsWith('DIVE_') || k === 'DATABASE_URL')).toEqual([]);
  });

  it('a configured allowlist', async () => {
    const env = await envSeenByChild({ envAllowlist: ['PATH', 'ENV_TEST_UNLISTED'] }, 'custom');
    expect(env['ENV_TEST_UNLISTED']).toBe('unlisted');
    expect(env['LC_DIVE_TEST']).toBeUndefined();
  });
});
