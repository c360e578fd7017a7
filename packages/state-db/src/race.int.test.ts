import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@dive/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFixture } from './test-support/spawn.js';
import { createFileStateStore } from './file-store.js';
import { createPostgresStateStore } from './postgres-store.js';
import type { StateStore } from './types.js';

const PROCESSES = 10;
const ATTEMPTS = 15;

let db: TestDatabase;
const dir = mkdtempSync(join(tmpdir(), 'dive-state-race-'));
beforeAll(async () => {
  db = await createTestDatabase('staterace');
  const store = createPostgresStateStore({ connectionString: db.url, schema: 'dive' });
  (await store.migrate())._unsafeUnwrap();
  await store.close();
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await db?.drop();
});

async function race(kind: 'pg' | 'file', store: StateStore): Promise<void> {
  const target = kind === 'pg' ? db.url : dir;
  const outs = await Promise.all(
    Array.from({ length: PROCESSES }, () => runFixture('racer.ts', [kind, target, 'dive', 'RACE', String(ATTEMPTS)])),
  );
  const tallies = outs.map((o) => JSON.parse(o) as Record<string, number>);
  const applied = tallies.reduce((a, t) => a + (t['ok'] ?? 0), 0);
  for (const t of tallies) {
    const total = Object.values(t).reduce((a, b) => a + b, 0);
    expect(total).toBe(ATTEMPTS); // every attempt either applied or rejected
    expect(
      Object.keys(t).filter((k) => !['ok', 'ConcurrentModificationError', 'InvalidTransitionError'].includes(k)),
    ).toEqual([]);
  }
  const state = (await store.getState('RACE'))._unsafeUnwrap();
  expect(applied).toBeGreaterThan(0);
  expect(state.version).toBe(applied); // each applied exactly once
  const history = (await store.history('RACE', { limit: 1000 }))._unsafeUnwrap();
  expect(history.map((r) => r.version)).toEqual(Array.from({ length: applied }, (_, i) => applied - i)); // gap-free
  expect((await store.verifyAuditLog('RACE'))._unsafeUnwrap().rows).toBe(applied);
}

describe('ten processes racing transitions on one instance', () => {
  it('PostgreSQL: each applied once or rejected, versions gap-free, audit log verifies', async () => {
    const store = createPostgresStateStore({ connectionString: db.url, schema: 'dive' });
    try {
      await race('pg', store);
    } finally {
      await store.close();
    }
  }, 240_000); // ten `node --import tsx` children: generous for a machine whose cores are busy

  it('files: each applied once or rejected, versions gap-free, audit log verifies', async () => {
    await race('file', createFileStateStore({ dir }));
  }, 240_000); // ten `node --import tsx` children: generous for a machine whose cores are busy
});
