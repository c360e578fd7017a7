import type pg from 'pg';
import { ResultAsync } from 'neverthrow';
import { MigrationError, type MigrateError } from '../errors.js';
import { MIGRATIONS } from './migrations.js';
import { isConnectionError, unavailable } from './pg-errors.js';

/**
 * Apply the missing migrations in one transaction under `pg_advisory_xact_lock`, so two processes migrating at
 * once apply each migration exactly once; the applied versions are kept in `<schema>.schema_migrations`.
 */
export function runMigrations(
  pool: pg.Pool,
  schemaName: string,
): ResultAsync<{ readonly applied: readonly number[] }, MigrateError> {
  const s = `"${schemaName}"`;
  const num = (v: unknown): number => Number(v);
  return ResultAsync.fromPromise(
    (async () => {
      const client = await pool.connect();
      let broken = false;
      // No pool listener while checked out: a connection lost between statements must not be an uncaught 'error'.
      const onError = (): void => {
        broken = true;
      };
      client.on('error', onError);
      try {
        await client.query('BEGIN');
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
        await client.query('COMMIT');
        return { applied };
      } catch (e) {
        await client.query('ROLLBACK').catch(() => {
          broken = true;
        });
        throw e;
      } finally {
        client.off('error', onError);
        client.release(broken);
      }
    })(),
    (e) =>
      isConnectionError(e)
        ? unavailable('migrate', schemaName)(e)
        : new MigrationError(`migrating schema ${schemaName} failed: ${e instanceof Error ? e.message : String(e)}`, {
            context: { schema: schemaName },
            cause: e,
          }),
  );
}
