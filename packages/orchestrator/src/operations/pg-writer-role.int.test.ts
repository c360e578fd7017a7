// PostgreSQL with the schema owned by one role and DIVE writing with another (docs/security.md "A schema owned by another role"): the owner
// migrates (as `dive db migrate` does), the writer deploys and rolls back with only the documented grants, and the
// writer cannot UPDATE, DELETE or TRUNCATE the audit log, nor disable its triggers. Own database, own roles, dropped after.
import { createTestDatabase, databaseUrl, uniqueSuffix, type TestDatabase } from '@dive/test-utils';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresState } from '../postgres-state.js';
import { memoryRuntime } from '../testing/memory-runtime.js';
import type { Topology } from '../topology/types.js';
import { orchestrate } from './orchestrate.js';

const suffix = uniqueSuffix()
  .replace(/[^a-z0-9]/gi, '')
  .toLowerCase();
const owner = `dive_owner_${suffix}`;
const writer = `dive_writer_${suffix}`;
const password = `pw_${suffix}`;
let db: TestDatabase;
let admin: pg.Client;

/** The grants of docs/security.md, for `schema` and `role`. */
const writerGrants = (schema: string, role: string): string => `
GRANT USAGE ON SCHEMA ${schema} TO ${role};
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${schema} TO ${role};
REVOKE UPDATE, DELETE ON ${schema}.audit_log FROM ${role};
REVOKE INSERT, UPDATE, DELETE ON ${schema}.schema_migrations, ${schema}.store_identity, ${schema}.transitions FROM ${role};
GRANT USAGE ON ALL SEQUENCES IN SCHEMA ${schema} TO ${role};`;

const urlAs = (role: string): string => {
  const u = new URL(db.url);
  u.username = role;
  u.password = password;
  return u.toString();
};

const topology = (generation: string): Topology => ({
  instance: 'ROL',
  services: { api: { process: { command: 'node', env: { GENERATION: generation } } } },
});

beforeAll(async () => {
  db = await createTestDatabase('pgroles');
  admin = new pg.Client({ connectionString: db.url });
  await admin.connect();
  await admin.query(
    `CREATE ROLE ${owner} LOGIN PASSWORD '${password}'; CREATE ROLE ${writer} LOGIN PASSWORD '${password}'`,
  );
  await admin.query(
    `GRANT CONNECT, CREATE ON DATABASE "${db.name}" TO ${owner}; GRANT CONNECT ON DATABASE "${db.name}" TO ${writer}`,
  );
}, 60_000);

afterAll(async () => {
  await admin?.end();
  await db?.drop();
  const c = new pg.Client({ connectionString: databaseUrl() });
  await c.connect();
  await c.query(`DROP ROLE IF EXISTS ${owner}; DROP ROLE IF EXISTS ${writer}`).catch(() => undefined);
  await c.end();
}, 60_000);

describe('PostgreSQL: schema owned by another role', () => {
  it('the owner migrates, the writer deploys with the documented grants and cannot rewrite the audit log', async () => {
    const asOwner = postgresState(urlAs(owner));
    try {
      expect((await asOwner.store.migrate())._unsafeUnwrap().applied.length).toBeGreaterThan(0);
      (await asOwner.locks.list())._unsafeUnwrap(); // the lock tables, as `dive db migrate` makes them
    } finally {
      await asOwner[Symbol.asyncDispose]();
    }
    await admin.query(writerGrants('dive', writer));

    const asWriter = postgresState(urlAs(writer));
    const runtime = memoryRuntime();
    try {
      const one = (await orchestrate(topology('one'), { state: asWriter, runtime }))._unsafeUnwrap();
      expect(one.status).toBe('COMPLETE');
      const two = (await orchestrate(topology('two'), { state: asWriter, runtime }))._unsafeUnwrap();
      expect(two.status).toBe('COMPLETE');
      const verified = (await asWriter.store.verifyAuditLog('ROL'))._unsafeUnwrap();
      expect(verified.rows).toBeGreaterThanOrEqual(10);
      expect((await asWriter.store.storeId())._unsafeUnwrap()).toMatch(/^[0-9a-f]{32}$/);
    } finally {
      await asWriter[Symbol.asyncDispose]();
      await runtime[Symbol.asyncDispose]();
    }

    const w = new pg.Client({ connectionString: urlAs(writer) });
    await w.connect();
    try {
      for (const sql of [
        `UPDATE dive.audit_log SET reason = 'forged' WHERE instance = 'ROL'`,
        `DELETE FROM dive.audit_log WHERE instance = 'ROL'`,
        `TRUNCATE dive.audit_log`,
        `ALTER TABLE dive.audit_log DISABLE TRIGGER audit_no_update`,
        `UPDATE dive.store_identity SET store_id = 'x'`,
      ]) {
        await expect(w.query(sql), sql).rejects.toThrow(/permission denied|must be owner/);
      }
    } finally {
      await w.end();
    }
    const rows = await admin.query<{ n: string }>(`SELECT count(*) AS n FROM dive.audit_log WHERE reason = 'forged'`);
    expect(rows.rows[0]?.n).toBe('0');
  }, 120_000);
});
