import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { createFileStateStore } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'dive-state-readme-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('the README quick example runs', async () => {
  const store = createFileStateStore({ dir: join(dir, '.dive/state') }); // or createPostgresStateStore({ connectionString })
  await store.migrate(); // PostgreSQL: creates/upgrades the schema; files: no-op
  const r = await store.transition('USA', 'INITIALIZING', { fencingToken: 1, reason: 'deploy', actor: 'ci' });
  expect(r.isOk()).toBe(true);
  expect((await store.verifyAuditLog('USA')).isOk()).toBe(true);
  const bad = await store.transition('USA', 'COMPLETE', { fencingToken: 1, reason: 'skip', actor: 'ci' });
  expect(bad._unsafeUnwrapErr()._tag).toBe('InvalidTransitionError');
});
