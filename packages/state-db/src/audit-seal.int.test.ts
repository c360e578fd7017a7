import { createTestDatabase, type TestDatabase } from '@dive/test-utils';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresStateStore } from './postgres-store.js';
import type { StoreWarning } from './store-warnings.js';
import type { StateStore } from './types.js';

let db: TestDatabase;
let admin: pg.Pool;
let keyed: StateStore;
let unkeyed: StateStore;
const warnings: StoreWarning[] = [];
const KEY = Buffer.alloc(32, 4).toString('base64');
const opts = { fencingToken: 1, reason: 'test', actor: 'test' };
const PATH = ['INITIALIZING', 'DEPLOYING', 'CONFIGURING', 'VERIFYING', 'COMPLETE'] as const;

beforeAll(async () => {
  db = await createTestDatabase('auditseal');
  admin = new pg.Pool({ connectionString: db.url, max: 2 });
  keyed = createPostgresStateStore({ connectionString: db.url, auditKey: KEY, max: 2 });
  unkeyed = createPostgresStateStore({
    connectionString: db.url,
    auditKey: '',
    max: 2,
    onWarning: (w) => warnings.push(w),
  });
  (await keyed.migrate())._unsafeUnwrap();
});
afterAll(async () => {
  await keyed?.close();
  await unkeyed?.close();
  await admin?.end();
  await db?.drop();
});

async function deployed(store: StateStore, instance: string): Promise<void> {
  for (const s of PATH) (await store.transition(instance, s, opts))._unsafeUnwrap();
}
const reason = async (store: StateStore, i: string): Promise<unknown> => {
  const e = (await store.verifyAuditLog(i))._unsafeUnwrapErr();
  expect(e).toMatchObject({ _tag: 'AuditLogTamperedError', code: 6005 });
  return e.context['reason'];
};
/** Run SQL as the owner with the append-only triggers off, as an attacker owning the tables could. */
async function asOwner(sql: string, values: unknown[]): Promise<void> {
  const client = await admin.connect();
  try {
    await client.query('BEGIN');
    await client.query('ALTER TABLE dive.audit_log DISABLE TRIGGER USER');
    await client.query('ALTER TABLE dive.current_state DISABLE TRIGGER USER');
    await client.query(sql, values);
    await client.query('ALTER TABLE dive.audit_log ENABLE TRIGGER USER');
    await client.query('ALTER TABLE dive.current_state ENABLE TRIGGER USER');
    await client.query('COMMIT');
  } finally {
    client.release();
  }
}

describe('keyed audit chain (PostgreSQL)', () => {
  it('the head is sealed in the same transaction and verifies; the head hash is reported', async () => {
    await deployed(keyed, 'ok');
    const v = (await keyed.verifyAuditLog('ok'))._unsafeUnwrap();
    const newest = (await keyed.history('ok', { limit: 1 }))._unsafeUnwrap()[0];
    expect(v).toEqual({ instance: 'ok', rows: 5, head: newest?.hash, keyed: true, sealedVersion: 5 });
  });

  it('a deleted middle row is detected', async () => {
    await deployed(keyed, 'mid');
    await asOwner(`DELETE FROM dive.audit_log WHERE instance = $1 AND version = 3`, ['mid']);
    expect(await reason(keyed, 'mid')).toBe('link');
  });

  it('a deleted tail row is detected, also when the current state is set back to match', async () => {
    await deployed(keyed, 'tail');
    await asOwner(`DELETE FROM dive.audit_log WHERE instance = $1 AND version = 5`, ['tail']);
    expect(await reason(keyed, 'tail')).toBe('truncated');
    await asOwner(
      `UPDATE dive.current_state c SET version = 4, state = a.to_state, hash = a.hash FROM dive.audit_log a
       WHERE c.instance = $1 AND a.instance = $1 AND a.version = 4`,
      ['tail'],
    );
    expect(await reason(keyed, 'tail')).toBe('seal-mismatch');
  });

  it('without a key: an unkeyed SHA-256 seal, a warning, and a keyed reader refuses it', async () => {
    expect(warnings.map((w) => w.code)).toEqual(['unkeyed-audit']);
    await deployed(unkeyed, 'plain');
    expect((await unkeyed.verifyAuditLog('plain'))._unsafeUnwrap()).toMatchObject({ keyed: false, rows: 5 });
    expect(await reason(keyed, 'plain')).toBe('seal-mismatch');
  });
});
