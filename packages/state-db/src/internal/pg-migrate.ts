import type pg from 'pg';
import { ResultAsync } from 'neverthrow';
import { MigrationError, type MigrateError } from '../errors.js';
import { MIGRATIONS } from './migrations.js';
import { inTransaction } from './pg-transaction.js';
import { isConnectionError, unavailable } from './pg-errors.js';

/** Whether every migration is recorded in `<schema>.schema_migrations` (false when the table does not exist). */
async function upToDate(client: pg.PoolClient, schemaName: string): Promise<boolean> {
  const table = `"${schemaName}".schema_migrations`;
  const exists = await client.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [table]);
  if (exists.rows[0]?.t == null) return false;
  const rows = await client.query<{ version: unknown }>(`SELECT version FROM ${table}`);
  const done = new Set(rows.rows.map((r) => Number(r.version)));
  return MIGRATIONS.every((m) => done.has(m.version));
}

/**
 * Apply the missing migrations in one transaction under `pg_advisory_xact_lock`, so two processes migrating at
 * once apply each migration exactly once; the applied versions are kept in `<schema>.schema_migrations`. When
 * every migration is applied already, nothing but that table is read (no DDL, no lock).
 */
export function runMigrations(
  pool: pg.Pool,
  schemaName: string,
): ResultAsync<{ readonly applied: readonly number[] }, MigrateError> {
  const s = `"${schemaName}"`;
  const num = (v: unknown): number => Number(v);
  return ResultAsync.fromPromise(
    inTransaction(pool, async (client) => {
      // Up to date: no DDL and no lock, so a role that may only write (the schema owned by another) migrates.
      if (await upToDate(client, schemaName)) return { applied: [] };
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`dive.state-db.migrate:${schemaName}`]);
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
      await client.query(
        `CREATE TABLE IF NOT EXISTS ${s}.schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
      );
      const done = new Set(
        (await client.query(`SELECT version FROM ${s}.schema_migrations`)).rows.map((r) =>
          num((r as { version: unknown }).version),
        ),
      );
      const applied: number[] = [];
      for (const m of MIGRATIONS) {
        if (done.has(m.version)) continue;
        await client.query(m.sql(s));
        await client.query(`INSERT INTO ${s}.schema_migrations (version, name) VALUES ($1, $2)`, [m.version, m.name]);
        applied.push(m.version);
      }
      return { applied };
    }),
    (e) =>
      isConnectionError(e)
        ? unavailable('migrate', schemaName)(e)
        : new MigrationError(`migrating schema ${schemaName} failed: ${e instanceof Error ? e.message : String(e)}`, {
            context: { schema: schemaName },
            cause: e,
          }),
  );
}
