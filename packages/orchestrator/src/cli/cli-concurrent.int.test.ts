// Fault suite (issue 15): two BUILT `dive deploy` processes of one instance at once, on file state and on
// PostgreSQL: one deploys (exit 0), the other does not get the instance lock and exits 3.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@dive/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dive, freePort, requireBuiltBin, service, spawnDive, tempDir } from './faults.test-helpers.js';

let dir: string;
let db: TestDatabase;
const cleanups: (() => void)[] = [];

beforeAll(async () => {
  requireBuiltBin();
  dir = tempDir('cli-concurrent');
  db = await createTestDatabase('cli-concurrent');
}, 60_000);

afterAll(async () => {
  for (const c of cleanups) c();
  await db.drop();
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

async function race(instance: string, state: string): Promise<void> {
  const file = join(dir, `${instance}.yaml`);
  // `web` listens after 4 s: the winner holds the lock far longer than the loser's 1 s lock timeout.
  writeFileSync(file, `instance: ${instance}\nservices:\n${service('web', await freePort(), { listenAfterMs: 4000 })}`);
  cleanups.push(() => dive(dir, ['--state', state, 'down', instance]));
  const args = ['--state', state, '--lock-timeout', '1s', '--json', 'deploy', '-f', file];
  const runs = [spawnDive(dir, args), spawnDive(dir, args)];
  const codes = await Promise.all(runs.map((r) => r.exited));
  expect([...codes].sort(), runs.map((r) => r.stderr()).join('\n---\n')).toEqual([0, 3]);
  const loser = runs[codes.indexOf(3)];
  expect(JSON.parse(loser?.stdout() ?? '')).toMatchObject({ ok: false, error: { _tag: 'LockTimeoutError' } });
  const st = JSON.parse(dive(dir, ['--state', state, '--json', 'status', instance]).stdout) as { state: string }[];
  expect(st[0]?.state).toBe('COMPLETE');
}

describe('two dive deploy of one instance at once', () => {
  it('on file state: one deploys, the other exits 3', async () => {
    await race('TWF', `file:${join(dir, 'state')}`);
  }, 120_000);

  it('on PostgreSQL: one deploys, the other exits 3', async () => {
    expect(dive(dir, ['--state', db.url, 'db', 'migrate']).code).toBe(0);
    await race('TWP', db.url);
  }, 120_000);
});
