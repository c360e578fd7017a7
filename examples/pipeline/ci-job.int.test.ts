import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const here = fileURLToPath(new URL('.', import.meta.url));
const bin = fileURLToPath(new URL('../../packages/orchestrator/dist/cli/bin.js', import.meta.url));
// The test's own state and report: a user's examples/pipeline/.dive and report.json are never touched.
const root = mkdtempSync(join(tmpdir(), 'dive-pipeline-test-'));
const userState = join(here, '.dive');
const userStateBefore = existsSync(userState);
const userReportBefore = existsSync(join(here, 'report.json'));
let run = 0;
/** A fresh state URL and report path for one run of the job. */
function temp(): { DIVE_STATE_URL: string; REPORT: string } {
  run += 1;
  return { DIVE_STATE_URL: `file:${join(root, `state-${run}`)}`, REPORT: join(root, `report-${run}.json`) };
}
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  expect(existsSync(userState)).toBe(userStateBefore);
  expect(existsSync(join(here, 'report.json'))).toBe(userReportBefore);
});

async function freePort(): Promise<string> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const a = s.address();
  await new Promise<void>((r) => s.close(() => r()));
  return String(typeof a === 'object' && a !== null ? a.port : 0);
}

describe('examples/pipeline', () => {
  it('the CI job deploys, keeps the JSON report, and exits 0', async () => {
    if (!existsSync(bin)) throw new Error(`${bin} missing: build first (the test command does)`);
    const t = temp();
    const r = spawnSync('bash', ['ci-job.sh'], {
      cwd: here,
      encoding: 'utf8',
      env: {
        ...process.env,
        ...t,
        DIVE: `${process.execPath} ${bin}`,
        DB_PORT: await freePort(),
        API_PORT: await freePort(),
        CI: 'true',
      },
      timeout: 60_000,
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/deployed: COMPLETE/);
    const report = JSON.parse(readFileSync(t.REPORT, 'utf8')) as {
      success: boolean;
      services: unknown[];
    };
    expect(report.success).toBe(true);
    expect(report.services).toHaveLength(2);
  }, 90_000);

  it('an invalid topology exits 2 and the job says so', () => {
    const r = spawnSync('bash', ['ci-job.sh'], {
      cwd: here,
      encoding: 'utf8',
      env: { ...process.env, ...temp(), DIVE: `${process.execPath} ${bin}` },
      timeout: 60_000,
    });
    expect(r.status).toBe(2); // DB_PORT and API_PORT are not set
    expect(r.stdout).toContain('invalid');
  }, 90_000);
});
