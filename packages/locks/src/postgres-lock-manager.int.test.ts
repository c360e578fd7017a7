import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '@dive/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresLockManager } from './postgres-lock-manager.js';
import { lockKey } from './key.js';
import { lockManagerContract } from './testing/contract.js';
import type { LockManager } from './types.js';

let db: TestDatabase;
let pool: pg.Pool;
let locks: LockManager;

beforeAll(async () => {
  db = await createTestDatabase('locks');
  pool = new pg.Pool({ connectionString: db.url, max: 1 }); // size 1: locks must never use pooled connections
  locks = createPostgresLockManager({ pool });
});
afterAll(async () => {
  await locks[Symbol.asyncDispose]();
  await pool.end();
  await db.drop();
});

describe('the lock contract: PostgreSQL', () => {
  for (const c of lockManagerContract({ manager: () => locks })) it(c.name, () => c.run());
});

describe('the lock contract: PostgreSQL with synchronousCommit: true (each token increment flushed)', () => {
  let flushed: LockManager;
  beforeAll(() => {
    flushed = createPostgresLockManager({ connectionString: db.url, synchronousCommit: true });
  });
  afterAll(async () => {
    await flushed[Symbol.asyncDispose]();
  });
  for (const c of lockManagerContract({ manager: () => flushed })) it(c.name, () => c.run());
  it('tokens stay strictly increasing when managers of both modes take turns on one resource', async () => {
    const tokens: number[] = [];
    for (const m of [locks, flushed, locks, flushed]) {
      const h = (await m.acquire('deployment', 'MIXED'))._unsafeUnwrap();
      tokens.push(h.fencingToken);
      await h.release();
    }
    expect(tokens).toEqual([...tokens].sort((a, b) => a - b));
    expect(new Set(tokens).size).toBe(4);
  });
  it('a non-boolean synchronousCommit is a TypeError', () => {
    expect(() => createPostgresLockManager({ pool, synchronousCommit: 'yes' as unknown as boolean })).toThrow(
      /synchronousCommit must be a boolean/,
    );
  });
});

describe('PostgreSQL pitfalls', () => {
  it('a pool of size 1 and many locks: no deadlock, no leak (each held lock has its own session; at most 4 are kept idle)', async () => {
    const handles = await Promise.all(
      Array.from({ length: 20 }, (_, i) => locks.acquire('deployment', `many-${i}`, { timeoutMs: 5_000 })),
    );
    expect(handles.every((h) => h.isOk())).toBe(true);
    const held = await pool.query<{ n: string }>(
      "SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
    );
    expect(Number(held.rows[0]?.n)).toBeGreaterThanOrEqual(20);
    await Promise.all(handles.map((h) => h._unsafeUnwrap().release()));
    const after = await pool.query<{ n: string }>(
      "SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = 'dive-locks' AND datname = current_database()",
    );
    expect(Number(after.rows[0]?.n)).toBeLessThanOrEqual(4); // at most 4 clean sessions are kept for reuse
  });

  it('after a timed-out acquire, no waiter of ours is left in pg_locks', async () => {
    const holder = (await locks.acquire('deployment', 'TMO'))._unsafeUnwrap();
    const r = await locks.acquire('deployment', 'TMO', { timeoutMs: 100 });
    expect(r._unsafeUnwrapErr()._tag).toBe('LockTimeoutError');
    expect(r._unsafeUnwrapErr().context['holder']).toMatchObject({ application: 'dive-locks' });
    const waiting = await pool.query<{ n: string }>(
      "SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
    );
    expect(Number(waiting.rows[0]?.n)).toBe(0);
    await holder.release();
  });

  it('keys are 64-bit: pg_locks shows both halves of the sha256-derived key', async () => {
    const h = (await locks.acquire('deployment', 'KEY'))._unsafeUnwrap();
    const u = BigInt.asUintN(64, lockKey('deployment', 'KEY'));
    const rows = await pool.query<{ classid: string; objid: string }>(
      "SELECT classid::text, objid::text FROM pg_locks WHERE locktype = 'advisory' AND objsubid = 1 AND granted",
    );
    expect(rows.rows).toContainEqual({ classid: String(u >> 32n), objid: String(u & 0xffffffffn) });
    await h.release();
  });

  it('a holder whose session dies learns it: onLost fires, isHeld turns false, a newer holder has a larger token', async () => {
    const h = (await locks.acquire('deployment', 'LOST'))._unsafeUnwrap();
    const lost = new Promise<string>((resolve) => h.onLost((e) => resolve(e._tag)));
    await pool.query(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name LIKE 'dive-locks #%' AND datname = current_database() AND pid <> pg_backend_pid()",
    );
    expect(await lost).toBe('LockLostError');
    expect(h.isHeld).toBe(false);
    const next = (await locks.acquire('deployment', 'LOST', { timeoutMs: 2_000 }))._unsafeUnwrap();
    expect(next.fencingToken).toBeGreaterThan(h.fencingToken);
    await next.release();
  });

  it('forceRelease by a role that may not terminate sessions is LockReleaseForbiddenError', async () => {
    const role = `dive_weak_${process.pid}`;
    await pool.query(`CREATE ROLE ${role} LOGIN PASSWORD 'weak'`);
    try {
      await pool.query(
        `GRANT USAGE ON SCHEMA dive TO ${role}; GRANT SELECT ON dive.lock_names, dive.lock_sessions TO ${role}`,
      );
      const h = (await locks.acquire('deployment', 'FORBID'))._unsafeUnwrap();
      const url = new URL(db.url);
      url.username = role;
      url.password = 'weak';
      const weak = createPostgresLockManager({ connectionString: url.toString() });
      const r = await weak.forceRelease('deployment', 'FORBID');
      expect(r._unsafeUnwrapErr()._tag).toBe('LockReleaseForbiddenError');
      expect(r._unsafeUnwrapErr().remediation).toContain('pg_signal_backend');
      expect(h.isHeld).toBe(true);
      await weak[Symbol.asyncDispose]();
      await h.release();
    } finally {
      await pool.query(`DROP OWNED BY ${role}; DROP ROLE ${role}`);
    }
  });

  it("a held lock's session reads '<application> #<token>@<acquired at>' in pg_stat_activity; release restores it", async () => {
    const h = (await locks.acquire('deployment', 'MARK'))._unsafeUnwrap();
    const names = async () =>
      (
        await pool.query<{ application_name: string }>(
          "SELECT application_name FROM pg_stat_activity WHERE application_name LIKE 'dive-locks%' AND datname = current_database()",
        )
      ).rows.map((r) => r.application_name);
    expect(await names()).toContain(`dive-locks #${h.fencingToken}@${h.acquiredAt}`);
    await h.release();
    expect((await names()).filter((n) => n.includes('#'))).toEqual([]);
  });

  it('a schema of the earlier token scheme (a counter row per name): new tokens start above every old one', async () => {
    await pool.query(`CREATE SCHEMA legacy_locks;
      CREATE TABLE legacy_locks.lock_tokens (type text NOT NULL, resource text NOT NULL, token bigint NOT NULL,
        holder jsonb NOT NULL, acquired_at timestamptz NOT NULL, PRIMARY KEY (type, resource));
      INSERT INTO legacy_locks.lock_tokens VALUES ('deployment', 'OLD', 41, '{}', now()), ('deployment', 'OTHER', 7, '{}', now())`);
    const upgraded = createPostgresLockManager({ pool, schema: 'legacy_locks' });
    try {
      const h = (await upgraded.acquire('deployment', 'OLD'))._unsafeUnwrap();
      expect(h.fencingToken).toBeGreaterThan(41);
      await h.release();
    } finally {
      await upgraded[Symbol.asyncDispose]();
    }
  });

  it('a long application name is cut to fit the marker; list() still reports it whole', async () => {
    const applicationName = `deploy-pipeline-${'x'.repeat(40)}`;
    const named = createPostgresLockManager({ connectionString: db.url, applicationName });
    try {
      const h = (await named.acquire('deployment', 'LONGNAME'))._unsafeUnwrap();
      const listed = (await named.list())._unsafeUnwrap().find((l) => l.resource === 'LONGNAME');
      expect(listed).toMatchObject({ fencingToken: h.fencingToken, acquiredAt: h.acquiredAt });
      expect(listed?.holder).toMatchObject({ application: applicationName, pid: process.pid });
      await h.release();
    } finally {
      await named[Symbol.asyncDispose]();
    }
  });

  it('a statement blocked by another session ends at statementTimeoutMs as a LockStoreError (57014)', async () => {
    const quick = createPostgresLockManager({
      connectionString: db.url,
      schema: 'locks_stmt',
      statementTimeoutMs: 200,
    });
    const admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    try {
      (await quick.list())._unsafeUnwrap(); // schema made
      await admin.query('BEGIN');
      await admin.query('LOCK TABLE locks_stmt.lock_names IN ACCESS EXCLUSIVE MODE');
      const r = await quick.list();
      expect(r._unsafeUnwrapErr()._tag).toBe('LockStoreError');
      expect(r._unsafeUnwrapErr().context['pgCode']).toBe('57014');
      await admin.query('ROLLBACK');
      expect((await quick.list()).isOk()).toBe(true);
    } finally {
      await admin.end();
      await quick[Symbol.asyncDispose]();
    }
  });

  it('a lock wait longer than statementTimeoutMs still succeeds within its own timeoutMs', async () => {
    const quick = createPostgresLockManager({
      connectionString: db.url,
      schema: 'locks_stmt',
      statementTimeoutMs: 500,
    });
    try {
      const first = await quick.acquire('deployment', 'LONGWAIT');
      if (first.isErr()) throw first.error;
      const held = first.value;
      const waiting = quick.acquire('deployment', 'LONGWAIT', { timeoutMs: 30_000 });
      await new Promise((r) => setTimeout(r, 2_500)); // a wait 5× the statement timeout
      await held.release();
      const got = await waiting;
      if (got.isErr()) throw got.error;
      const next = got.value;
      expect(next.fencingToken).toBeGreaterThan(held.fencingToken);
      await next.release();
    } finally {
      await quick[Symbol.asyncDispose]();
    }
  });

  it('rejects nonsense timeouts', () => {
    expect(() => createPostgresLockManager({ pool, statementTimeoutMs: 0 })).toThrow(RangeError);
    expect(() => createPostgresLockManager({ pool, queryTimeoutMs: -5 })).toThrow(RangeError);
  });

  it('an unreachable database is a LockStoreError, not a LockTimeoutError', async () => {
    const bad = createPostgresLockManager({ connectionString: 'postgres://dive:dive@127.0.0.1:1/dive' });
    const r = await bad.acquire('deployment', 'USA', { timeoutMs: 1_000 });
    expect(r._unsafeUnwrapErr()._tag).toBe('LockStoreError');
    await bad[Symbol.asyncDispose]();
  });
});
