import { join, resolve } from 'node:path';
import { createFileLockManager, createPostgresLockManager, type LockManager } from '@dive/locks';
import type { BreakerStore } from '@dive/circuit-breaker';
import {
  createFileBreakerStore,
  createFileStateStore,
  createPostgresBreakerStore,
  createPostgresStateStore,
  type StateStore,
} from '@dive/state-db';
import pg from 'pg';

/** Where deployments keep their state and take their locks: one store and its lock manager. */
export interface StateBackend extends AsyncDisposable {
  readonly kind: 'file' | 'postgres';
  readonly store: StateStore;
  readonly locks: LockManager;
  /**
   * Where circuit breakers are shared by every process using this state; without it, each process has its own.
   * PostgreSQL state always shares them; file state only with `fileState(dir, { sharedBreakers: true })`.
   */
  readonly breakers?: BreakerStore;
  /** For messages: the directory, or the database URL with its password hidden. */
  readonly location: string;
}

/**
 * The embedded default: state, audit log and checkpoints under `dir/state`, lock files under `dir/locks`.
 * Several processes on one host may share the directory.
 * @param dir - default `.dive`
 * @param options - `sharedBreakers`: keep circuit breakers in the directory too, shared by every process (slower)
 */
export function fileState(dir = '.dive', options: { readonly sharedBreakers?: boolean } = {}): StateBackend {
  const root = resolve(dir);
  const store = createFileStateStore({ dir: join(root, 'state') });
  const locks = createFileLockManager({ dir: join(root, 'locks') });
  // Shared file breakers cost a locked read and write per service start (1,000 services: +3 s), so they are opt-in.
  const breakers = options.sharedBreakers === true ? createFileBreakerStore({ dir: root }) : undefined;
  return {
    kind: 'file',
    store,
    locks,
    ...(breakers === undefined ? {} : { breakers }),
    location: root,
    async [Symbol.asyncDispose]() {
      await locks[Symbol.asyncDispose]();
      await store.close();
    },
  };
}

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
    location,
    async [Symbol.asyncDispose]() {
      await locks[Symbol.asyncDispose]();
      await breakers.close();
      await store.close();
      if (owned) await pool.end();
    },
  };
}
