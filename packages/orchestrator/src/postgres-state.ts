import { createPostgresLockManager } from '@dive/locks';
import { createPostgresBreakerStore, createPostgresFleetStore, createPostgresStateStore } from '@dive/state-db';
import pg from 'pg';
import type { StateBackend } from './state.js';

/**
 * PostgreSQL: state and audit log in schema `dive` (configurable), session advisory locks with fencing tokens.
 * Pass a URL (a pool is made and closed with the backend) or your own `pg.Pool` (left open).
 */
export function postgresState(
  connection: string | pg.Pool,
  options: { readonly schema?: string; readonly applicationName?: string } = {},
): StateBackend {
  const owned = typeof connection === 'string';
  const pool = owned
    ? new pg.Pool({
        connectionString: connection,
        max: 10,
        connectionTimeoutMillis: 5_000,
        application_name: options.applicationName ?? 'dive',
      })
    : connection;
  // pg emits 'error' on idle clients when the server goes away; the store reports it on the next call instead.
  if (owned) pool.on('error', () => undefined);
  const schema = options.schema ?? 'dive';
  const store = createPostgresStateStore({ pool, schema });
  const locks = createPostgresLockManager({ pool, schema, applicationName: options.applicationName ?? 'dive' });
  const breakers = createPostgresBreakerStore({ pool, schema });
  const location = owned ? connection.replace(/:[^:@/]+@/, ':***@') : 'postgres (pool)';
  return {
    kind: 'postgres',
    store,
    locks,
    breakers,
    fleets: createPostgresFleetStore({ pool, schema }),
    location,
    async [Symbol.asyncDispose]() {
      await locks[Symbol.asyncDispose]();
      await breakers.close();
      await store.close();
      if (owned) await pool.end();
    },
  };
}
