import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../cli/main.js';

const dir = mkdtempSync(join(tmpdir(), 'dive-compose-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
// The CLI imports a command's module and the Compose importer on first use; load them here, where compiling
// them on a busy machine is not counted against the first test's time.
beforeAll(() => Promise.all([import('../../cli/commands/plan.js'), import('./import.js')]), 60_000);
writeFileSync(
  join(dir, 'compose.yaml'),
  'services:\n  web: { image: "${WEB_IMAGE:-nginx}" }\n  tool: { image: busybox, profiles: [tools] }\n',
);
writeFileSync(join(dir, 'prod.env'), 'WEB_IMAGE=nginx:prod\n');

async function dive(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const chunks = { out: '', err: '' };
  stdout.on('data', (c: Buffer) => (chunks.out += c.toString()));
  stderr.on('data', (c: Buffer) => (chunks.err += c.toString()));
  const code = await runCli(args, { stdout, stderr, env: { NO_COLOR: '1', ...env }, cwd: dir });
  return { code, ...chunks };
}

describe('the CLI flags of a compose file', () => {
  it('refuses a compose file without an instance code, naming the three ways (exit 2)', async () => {
    const r = await dive(['plan', '--format', 'json', '--state', `file:${join(dir, 'state')}`]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--instance.*DIVE_INSTANCE.*x-dive/);
  });

  it('takes --instance, --env-file and --profile on plan', async () => {
    const r = await dive([
      'plan',
      '--format',
      'json',
      '--state',
      `file:${join(dir, 'state')}`,
      '--instance',
      'NZL',
      '--env-file',
      'prod.env',
      '--profile',
      'tools',
    ]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.out) as { instance: string; order: string[] };
    expect(plan.instance).toBe('NZL');
    expect([...plan.order].sort()).toEqual(['tool', 'web']);
  });

  it('takes DIVE_INSTANCE from the environment', async () => {
    const r = await dive(['plan', '--format', 'json', '--state', `file:${join(dir, 'state')}`], {
      DIVE_INSTANCE: 'EST',
    });
    expect(r.code).toBe(0);
    expect((JSON.parse(r.out) as { instance: string }).instance).toBe('EST');
  });

  it('refuses an --env-file that cannot be read (exit 2), naming it', async () => {
    const r = await dive([
      'plan',
      '--instance',
      'USA',
      '--env-file',
      'nope.env',
      '--state',
      `file:${join(dir, 'state')}`,
    ]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(join(dir, 'nope.env'));
  });
});
