import { createTestDatabase, type TestDatabase } from '@dive/test-utils';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProxy } from './test-support/tcp-proxy.js';
import { createPostgresBreakerStore } from './postgres-breaker-store.js';
import { createPostgresStateStore } from './postgres-store.js';
import { breakerCases } from './test-support/breaker-cases.js';
import type { StateStore } from './types.js';
import { stateStoreContract } from './testing/index.js';

let db: TestDatabase;
let store: StateStore;
let admin: pg.Pool;
const opts = { fencingToken: 1, reason: 'test', actor: 'test' };

beforeAll(async () => {
  db = await createTestDatabase('statedb');
  admin = new pg.Pool({ connectionString: db.url, max: 2 });
  store = createPostgresStateStore({ connectionString: db.url, schema: 'dive_test' });
  expect((await store.migrate())._unsafeUnwrap().applied).toEqual([1, 2, 3, 4, 5, 6]);
});
afterAll(async () => {
  await store?.close();
  await admin?.end();
  await db?.drop();
});

describe('PostgreSQL state store contract', () => {
  let n = 0;
  const cases = stateStoreContract({
    get store() {
      return store;
    },
    instance: () => `pg-${n++}`,
  });
  for (const c of cases) it(c.name, c.run);
});

describe('PostgreSQL state store', () => {
  it('migrations are idempotent and safe from many processes at once', async () => {
    const stores = Array.from({ length: 4 }, () =>
      createPostgresStateStore({ connectionString: db.url, schema: 'dive_race' }),
    );
    const results = await Promise.all(stores.map((s) => s.migrate()));
    const applied = results.map((r) => r._unsafeUnwrap().applied);
    expect(applied.filter((a) => a.length === 6)).toHaveLength(1);
    expect(applied.filter((a) => a.length === 0)).toHaveLength(3);
    expect((await stores[0]!.migrate())._unsafeUnwrap().applied).toEqual([]);
    const rows = await admin.query('SELECT version FROM dive_race.schema_migrations ORDER BY version');
    expect(rows.rows.map((r: { version: number }) => r.version)).toEqual([1, 2, 3, 4, 5, 6]);
    await Promise.all(stores.map((s) => s.close()));
  });

  it('the audit log refuses UPDATE, DELETE and TRUNCATE, and illegal transitions from ad-hoc SQL', async () => {
    await store.transition('adhoc', 'INITIALIZING', opts);
    await expect(admin.query(`UPDATE dive_test.audit_log SET reason = 'x' WHERE instance = 'adhoc'`)).rejects.toThrow(
      /append-only/,
    );
    await expect(admin.query(`DELETE FROM dive_test.audit_log WHERE instance = 'adhoc'`)).rejects.toThrow(
      /append-only/,
    );
    await expect(admin.query(`TRUNCATE dive_test.audit_log`)).rejects.toThrow(/append-only/);
    await expect(
      admin.query(`UPDATE dive_test.current_state SET state = 'COMPLETE' WHERE instance = 'adhoc'`),
    ).rejects.toThrow(/illegal transition/);
    await expect(
      admin.query(
        `INSERT INTO dive_test.audit_log VALUES ('adhoc', 2, 'INITIALIZING', 'COMPLETE', 1, 'r', 'a', NULL, '{}', 0, 'h')`,
      ),
    ).rejects.toThrow(/illegal transition/);
  });

  it('a forged or deleted audit row (triggers disabled by the owner) is AuditLogTamperedError', async () => {
    for (const s of ['INITIALIZING', 'DEPLOYING', 'CONFIGURING'] as const) await store.transition('forged', s, opts);
    expect((await store.verifyAuditLog('forged'))._unsafeUnwrap().rows).toBe(3);
    await admin.query('ALTER TABLE dive_test.audit_log DISABLE TRIGGER USER');
    try {
      await admin.query(`UPDATE dive_test.audit_log SET actor = 'mallory' WHERE instance = 'forged' AND version = 2`);
      const e = (await store.verifyAuditLog('forged'))._unsafeUnwrapErr();
      expect(e).toMatchObject({ _tag: 'AuditLogTamperedError', code: 6005 });
      expect(e.context['version']).toBe(2);
      await admin.query(`UPDATE dive_test.audit_log SET actor = 'test' WHERE instance = 'forged' AND version = 2`);
      expect((await store.verifyAuditLog('forged')).isOk()).toBe(true);
      await admin.query(`DELETE FROM dive_test.audit_log WHERE instance = 'forged' AND version = 3`);
      expect((await store.verifyAuditLog('forged'))._unsafeUnwrapErr()._tag).toBe('AuditLogTamperedError');
    } finally {
      await admin.query('ALTER TABLE dive_test.audit_log ENABLE TRIGGER USER');
    }
  });

  it('a database that goes away gives StateStoreUnavailableError quickly, and works again when back, nothing lost', async () => {
    const target = new URL(db.url);
    const proxy = await startProxy(target.hostname, Number(target.port || 5432));
    const via = new URL(db.url);
    via.hostname = '127.0.0.1';
    via.port = String(proxy.port);
    const flaky = createPostgresStateStore({
      connectionString: via.toString(),
      schema: 'dive_test',
      connectionTimeoutMillis: 1_000,
    });
    try {
      await flaky.transition('outage', 'INITIALIZING', opts);
      proxy.cut();
      const r = await flaky.transition('outage', 'DEPLOYING', opts);
      expect(r._unsafeUnwrapErr()).toMatchObject({ _tag: 'StateStoreUnavailableError', code: 6001 });
      const again = await flaky.getState('outage');
      expect(again._unsafeUnwrapErr().code).toBe(6001); // ended by the connection timeout, not the test's
      proxy.restore();
      const s = (await flaky.getState('outage'))._unsafeUnwrap();
      expect(s).toMatchObject({ state: 'INITIALIZING', version: 1 });
      (await flaky.transition('outage', 'DEPLOYING', opts))._unsafeUnwrap();
      expect((await flaky.verifyAuditLog('outage'))._unsafeUnwrap().rows).toBe(2);
    } finally {
      await flaky.close();
      await proxy.close();
    }
  });

  it('checkpoints: encrypted at rest, an edited body is CheckpointCorruptError, never used', async () => {
    const key = Buffer.alloc(32, 3).toString('hex');
    const enc = createPostgresStateStore({ connectionString: db.url, schema: 'dive_test', checkpointKey: key });
    try {
      const info = (await enc.createCheckpoint('cp', { password: 'hunter2' }))._unsafeUnwrap();
      const stored = await admin.query('SELECT body FROM dive_test.checkpoints WHERE id = $1', [info.id]);
      expect((stored.rows[0] as { body: string }).body).not.toContain('hunter2');
      expect((await enc.getCheckpoint(info.id))._unsafeUnwrap().payload).toEqual({ password: 'hunter2' });
      expect((await store.getCheckpoint(info.id))._unsafeUnwrapErr()).toMatchObject({
        _tag: 'CheckpointKeyError',
        code: 7004,
      });
      await admin.query(
        `UPDATE dive_test.checkpoints SET body = replace(body, '"checksum":"', '"checksum":"0') WHERE id = $1`,
        [info.id],
      );
      expect((await enc.getCheckpoint(info.id))._unsafeUnwrapErr()).toMatchObject({
        _tag: 'CheckpointCorruptError',
        code: 7002,
      });
    } finally {
      await enc.close();
    }
  });

  it('a statement blocked by another session ends at statementTimeoutMillis with a typed error, pool still usable', async () => {
    const quick = createPostgresStateStore({
      connectionString: db.url,
      schema: 'dive_test',
      statementTimeoutMillis: 200,
    });
    const blocker = await admin.connect();
    try {
      (await quick.transition('blocked', 'INITIALIZING', opts))._unsafeUnwrap();
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE dive_test.current_state IN ACCESS EXCLUSIVE MODE');
      const r = await quick.transition('blocked', 'DEPLOYING', opts);
      expect(r._unsafeUnwrapErr()).toMatchObject({ _tag: 'StateStoreUnavailableError', code: 6001 });
      expect(r._unsafeUnwrapErr().context['pgCode']).toBe('57014');
      expect((await quick.getState('blocked'))._unsafeUnwrapErr().context['pgCode']).toBe('57014');
      await blocker.query('ROLLBACK');
      expect((await quick.getState('blocked'))._unsafeUnwrap()).toMatchObject({ state: 'INITIALIZING', version: 1 });
    } finally {
      await blocker.query('ROLLBACK').catch(() => undefined);
      blocker.release();
      await quick.close();
    }
  });

  it('a store used before migrate() reports StateStoreUnavailableError naming the schema', async () => {
    const bare = createPostgresStateStore({ connectionString: db.url, schema: 'not_migrated' });
    const e = (await bare.getState('x'))._unsafeUnwrapErr();
    expect(e._tag).toBe('StateStoreUnavailableError');
    expect(e.context['schema']).toBe('not_migrated');
    await bare.close();
  });

  it('rejects nonsense options', () => {
    expect(() => createPostgresStateStore({ connectionString: db.url, schema: 'Bad-Name' })).toThrow(TypeError);
    expect(() => createPostgresStateStore({})).toThrow(TypeError);
    expect(() => createPostgresStateStore({ connectionString: db.url, statementTimeoutMillis: 0 })).toThrow(RangeError);
    expect(() => createPostgresStateStore({ connectionString: db.url, queryTimeoutMillis: -1 })).toThrow(RangeError);
  });
});

describe('PostgreSQL breaker store', () => {
  let breakers: ReturnType<typeof createPostgresBreakerStore> | undefined;
  const get = () =>
    (breakers ??= createPostgresBreakerStore({ connectionString: db.url, schema: 'dive_test', leaseClock: 'caller' }));
  afterAll(() => breakers?.close());
  for (const c of breakerCases(get, 'pg')) it(c.name, c.run);

  it('migrates its schema on first use', async () => {
    const fresh = createPostgresBreakerStore({ connectionString: db.url, schema: 'dive_breakers_only' });
    try {
      expect(await fresh.list()).toEqual([]);
    } finally {
      await fresh.close();
    }
  });
});
