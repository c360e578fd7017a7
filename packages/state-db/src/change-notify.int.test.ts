import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, waitFor, type TestDatabase } from '@dive/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFileStateStore } from './file-store.js';
import { createPostgresStateStore } from './postgres-store.js';
import type { StateChange, StateStore } from './types.js';

const opts = { fencingToken: 1, reason: 'test', actor: 'test' };
const step = { deploymentId: 'dep-1', instance: 'USA', step: 'api', status: 'running', startedAt: 1 } as const;

/** Two stores on the same storage, as two processes would have: writes through `a` reach listeners of `b`. */
async function crossStore(a: StateStore, b: StateStore): Promise<StateChange[]> {
  const seen: StateChange[] = [];
  const watch = b.onChange?.((c) => seen.push(c), { pollMs: 100 });
  expect(watch).toBeDefined();
  await watch?.ready;
  try {
    (await a.transition('USA', 'INITIALIZING', opts))._unsafeUnwrap();
    await waitFor('a transition change', () => seen.some((c) => c.kind === 'transition' && c.instance === 'USA'));
    (await a.recordStep(step))._unsafeUnwrap();
    await waitFor('a step change', () => seen.some((c) => c.kind === 'step' && c.deploymentId === 'dep-1'));
    return seen;
  } finally {
    await watch?.close();
  }
}

describe('changes seen across processes', () => {
  let dir: string;
  let db: TestDatabase;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dive-state-watch-'));
    db = await createTestDatabase('statewatch');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    await db?.drop();
  });

  it('file store: a write by another store on the directory is seen', async () => {
    const a = createFileStateStore({ dir, auditKey: 'k'.repeat(64) });
    const b = createFileStateStore({ dir, auditKey: 'k'.repeat(64) });
    const seen = await crossStore(a, b);
    expect(seen.length).toBeGreaterThanOrEqual(2);
  });

  it('PostgreSQL: transitions and steps notify through LISTEN/NOTIFY; a refused transition does not', async () => {
    const a = createPostgresStateStore({ connectionString: db.url, schema: 'dive_watch', onWarning: () => undefined });
    const b = createPostgresStateStore({ connectionString: db.url, schema: 'dive_watch', onWarning: () => undefined });
    try {
      (await a.migrate())._unsafeUnwrap();
      const seen = await crossStore(a, b);
      expect(seen.filter((c) => c.kind === 'transition')).toEqual([{ kind: 'transition', instance: 'USA' }]);
      const after: StateChange[] = [];
      const watch = b.onChange?.((c) => after.push(c));
      await watch?.ready;
      expect((await a.transition('USA', 'COMPLETE', opts)).isErr()).toBe(true); // INITIALIZING → COMPLETE is illegal
      (await a.transition('USA', 'DEPLOYING', opts))._unsafeUnwrap();
      await waitFor('the legal transition', () => after.length > 0);
      expect(after).toEqual([{ kind: 'transition', instance: 'USA' }]);
      await watch?.close();
    } finally {
      await a.close();
      await b.close();
    }
  });
});
