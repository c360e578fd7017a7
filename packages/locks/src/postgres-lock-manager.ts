import { hostname } from 'node:os';
import { CancelledError, toDiveError } from '@dive/errors';
import { errAsync, okAsync, ResultAsync } from 'neverthrow';
import pg from 'pg';
import { LockReleaseForbiddenError, LockStoreError, LockTimeoutError } from './errors.js';
import { createHandle, withLockVia } from './internal/handle.js';
import { checkAcquire, checkName, lockKey } from './key.js';
import type { AcquireError, AcquireOptions, LockHandle, LockInfo, LockManager } from './types.js';

/** Options of {@link createPostgresLockManager}: a pool, or a connection string (a pool is made and closed). */
export type PostgresLockManagerOptions = ({ readonly pool: pg.Pool } | { readonly connectionString: string }) & {
  /** Schema of the fencing-token table. Default `dive`. */
  readonly schema?: string;
  /** `application_name` of the lock sessions (shown by `list()` and pg_stat_activity). Default `dive-locks`. */
  readonly applicationName?: string;
  /**
   * Whether each acquire waits for its fencing-token increment to be flushed to disk. Default `false`: the lock
   * sessions commit with `synchronous_commit = off`, which makes acquire + release ~1.6× the bare advisory-lock
   * pair instead of ~2.7–9× (bench/locks). This is safe for fenced writes in the same PostgreSQL cluster (the
   * `@dive/state-db` PostgreSQL store): WAL is flushed in order, so a write committed with token T makes the
   * increment to T durable too; a crash can only lose increments whose tokens never reached durable storage, and
   * reissuing those fences nothing wrongly. Set `true` when the writes you fence live elsewhere (files, another
   * database), so that no token is ever handed out twice even across a server crash.
   */
  readonly synchronousCommit?: boolean;
};

const IDENT = /^[a-z_][a-z0-9_]{0,62}$/;
/** The advisory key that serialises this package's own DDL. */
const DDL_KEY = 0x64697665_6c6f636bn - 2n ** 63n; // 'divelock'

/** The (classid, objid) halves pg_locks shows for a bigint advisory key. */
const halves = (key: bigint): { classid: number; objid: number } => {
  const u = BigInt.asUintN(64, key);
  return { classid: Number(u >> 32n), objid: Number(u & 0xffffffffn) };
};

/**
 * PostgreSQL session advisory locks with fencing tokens. Each held lock lives on its own dedicated connection
 * (never a pooled one: lock and unlock must happen on the same session), so a pool of any size cannot deadlock
 * or leak locks. Waiting happens on the server (`pg_advisory_lock` under `lock_timeout`), so a hand-off to a
 * waiter takes one round trip and a timed-out or cancelled wait leaves nothing waiting on the server. If the
 * connection dies, PostgreSQL releases the lock and the holder's `onLost` fires.
 *
 * Keys are 64-bit (sha256 of type and resource). Fencing tokens live in `<schema>.lock_tokens`; see
 * {@link PostgresLockManagerOptions.synchronousCommit} for how durable each increment is.
 *
 * Session locks do not work through PgBouncer in transaction pooling mode (each statement may run on another
 * server session): connect directly, or through a session-mode pool.
 */
export function createPostgresLockManager(options: PostgresLockManagerOptions): LockManager {
  const schema = options.schema ?? 'dive';
  if (!IDENT.test(schema))
    throw new TypeError(`schema must be a plain lower-case identifier, got ${JSON.stringify(schema)}`);
  const application = options.applicationName ?? 'dive-locks';
  const synchronousCommit = options.synchronousCommit ?? false;
  if (typeof synchronousCommit !== 'boolean')
    throw new TypeError(`synchronousCommit must be a boolean, got ${JSON.stringify(synchronousCommit)}`);
  const owned = 'connectionString' in options;
  const pool =
    'pool' in options
      ? options.pool
      : new pg.Pool({ connectionString: options.connectionString, max: 4, connectionTimeoutMillis: 5_000 });
  if (owned) pool.on('error', () => undefined);
  const clientConfig = (): pg.ClientConfig => ({
    ...(pool.options as pg.ClientConfig),
    application_name: application,
    keepAlive: true,
  });
  const table = `"${schema}".lock_tokens`;
  const clients = new Set<pg.Client>();
  const storeError = (what: string, e: unknown) =>
    new LockStoreError(`PostgreSQL locks: ${what}: ${toDiveError(e).message}`, { cause: e, context: { schema } });

  let ready: Promise<void> | undefined;
  const ensureSchema = (): Promise<void> =>
    (ready ??= (async () => {
      const c = await pool.connect();
      try {
        await c.query('BEGIN');
        await c.query('SELECT pg_advisory_xact_lock($1)', [DDL_KEY.toString()]);
        await c.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
        await c.query(
          `CREATE TABLE IF NOT EXISTS ${table} (type text NOT NULL, resource text NOT NULL, token bigint NOT NULL,
             holder jsonb NOT NULL, acquired_at timestamptz NOT NULL, PRIMARY KEY (type, resource))`,
        );
        await c.query('COMMIT');
      } catch (e) {
        await c.query('ROLLBACK').catch(() => undefined);
        ready = undefined;
        throw e;
      } finally {
        c.release();
      }
    })());

  /** A lock session: a dedicated connection, reused after a clean release (at most 4 kept idle). */
  interface Session {
    readonly client: pg.Client;
    readonly pid: number;
    timeoutMs: number;
  }
  const idle: Session[] = [];
  const MAX_IDLE = 4;
  const open = async (fresh: boolean): Promise<Session & { reused?: boolean }> => {
    const reused = fresh ? undefined : idle.pop();
    if (reused !== undefined) return Object.assign(reused, { reused: true });
    const client = new pg.Client(clientConfig());
    client.on('error', () => undefined); // reported through onLost while a lock is held
    await client.connect();
    clients.add(client);
    // Lock sessions run only this package's statements, so the commit mode is set once per session.
    const pid =
      (
        await client.query<{ pid: number }>(
          "SELECT pg_backend_pid() AS pid, set_config('synchronous_commit', $1, false)",
          [synchronousCommit ? 'on' : 'off'],
        )
      ).rows[0]?.pid ?? 0;
    const session: Session = { client, pid, timeoutMs: -1 };
    // A session that dies while parked is forgotten, never handed out.
    client.on('end', () => {
      const i = idle.indexOf(session);
      if (i >= 0) idle.splice(i, 1);
      clients.delete(client);
    });
    return session;
  };
  const close = async (s: Session): Promise<void> => {
    clients.delete(s.client);
    await s.client.end().catch(() => undefined);
  };
  const park = async (s: Session): Promise<void> => {
    if (idle.length < MAX_IDLE && !disposed) idle.push(s);
    else await close(s);
  };
  let disposed = false;

  // One round trip: take the lock and bump its fencing token in the same statement. Named, so each session
  // parses and plans it once rather than on every acquire.
  const lockAndToken = (fn: 'pg_advisory_lock' | 'pg_try_advisory_lock') => ({
    name: `dive-${fn === 'pg_advisory_lock' ? 'lock' : 'try-lock'}-${schema}`,
    text: `WITH l AS (${fn === 'pg_advisory_lock' ? 'SELECT true AS ok FROM (SELECT pg_advisory_lock($1::bigint)) x' : 'SELECT pg_try_advisory_lock($1::bigint) AS ok'})
     INSERT INTO ${table} (type, resource, token, holder, acquired_at)
       SELECT $2, $3, 1, $4::jsonb, now() FROM l WHERE l.ok
     ON CONFLICT (type, resource) DO UPDATE SET token = ${table}.token + 1, holder = EXCLUDED.holder, acquired_at = now()
     RETURNING token, acquired_at AS at`,
  });
  const unlock = { name: 'dive-unlock', text: 'SELECT pg_advisory_unlock($1::bigint)' };

  async function take(
    type: string,
    resource: string,
    mode: 'wait' | 'try',
    timeoutMs: number,
    signal?: AbortSignal,
    retried = false,
  ): Promise<LockHandle | undefined> {
    await ensureSchema();
    const key = lockKey(type, resource).toString();
    const session = await open(retried);
    const { client, pid } = session;
    const holder = JSON.stringify({ pid: process.pid, host: hostname(), application, backendPid: pid });
    let row: { token: string; at: Date } | undefined;
    try {
      if (mode === 'try') {
        row = (
          await client.query<{ token: string; at: Date }>({
            ...lockAndToken('pg_try_advisory_lock'),
            values: [key, type, resource, holder],
          })
        ).rows[0];
        if (row === undefined) {
          await park(session);
          return undefined;
        }
      } else {
        // The wait happens on the server; lock_timeout ends it there (no waiter left behind), a signal cancels it.
        const ms = Math.max(1, Math.round(timeoutMs));
        if (session.timeoutMs !== ms) {
          await client.query(`SET lock_timeout = ${ms}`);
          session.timeoutMs = ms;
        }
        const onAbort = (): void => {
          void pool.query('SELECT pg_cancel_backend($1)', [pid]).catch(() => undefined);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        try {
          if (signal?.aborted === true)
            throw new CancelledError(`waiting for the ${type} lock on ${resource} was cancelled`);
          row = (
            await client.query<{ token: string; at: Date }>({
              ...lockAndToken('pg_advisory_lock'),
              values: [key, type, resource, holder],
            })
          ).rows[0];
        } finally {
          signal?.removeEventListener('abort', onAbort);
        }
      }
    } catch (e) {
      const code = (e as { code?: string }).code;
      // A timed-out or cancelled statement leaves the session clean: keep it. Anything else: drop it.
      if (code === '55P03' || code === '57014') await park(session);
      else await close(session);
      // A parked session may have died unnoticed (its server process was terminated): try once on a new one.
      if (session.reused === true && !retried && code !== '55P03' && code !== '57014')
        return take(type, resource, mode, timeoutMs, signal, true);
      if (code === '55P03') {
        const { classid, objid } = halves(BigInt(key));
        const found = await pool
          .query<{ pid: number; application_name: string }>(
            `SELECT a.pid, a.application_name FROM pg_locks l JOIN pg_stat_activity a USING (pid)
              WHERE l.locktype = 'advisory' AND l.granted AND l.classid = $1 AND l.objid = $2 AND l.objsubid = 1`,
            [classid, objid],
          )
          .then(
            (r) => r.rows[0],
            () => undefined,
          );
        throw new LockTimeoutError(
          `the ${type} lock on ${resource} was not acquired in ${timeoutMs} ms${found === undefined ? '' : `: held by backend ${found.pid} (${found.application_name})`}`,
          {
            context: {
              type,
              resource,
              timeoutMs,
              ...(found === undefined
                ? {}
                : { holder: { backendPid: found.pid, application: found.application_name } }),
            },
          },
        );
      }
      if (code === '57014')
        throw new CancelledError(`waiting for the ${type} lock on ${resource} was cancelled`, {
          context: { type, resource },
        });
      throw e;
    }
    const lost = (e?: unknown): void => {
      clients.delete(client);
      control.lost('its database session ended', e);
    };
    const onEnd = (): void => lost();
    const control = createHandle({
      type,
      resource,
      fencingToken: Number(row?.token),
      acquiredAt: row?.at.getTime() ?? Date.now(),
      release: async () => {
        client.off('error', lost);
        client.off('end', onEnd);
        try {
          await client.query({ ...unlock, values: [key] });
        } catch (e) {
          await close(session);
          throw e;
        }
        await park(session);
      },
    });
    client.on('error', lost);
    client.on('end', onEnd);
    return control.handle;
  }

  const mapError = (what: string) => (e: unknown) => {
    const d = toDiveError(e);
    return d._tag === 'LockTimeoutError' || d._tag === 'CancelledError' ? (d as AcquireError) : storeError(what, e);
  };

  const acquire = (
    type: string,
    resource: string,
    opts: AcquireOptions = {},
  ): ResultAsync<LockHandle, AcquireError> => {
    const timeoutMs = checkAcquire(type, resource, opts.timeoutMs);
    if (timeoutMs === 0) {
      return ResultAsync.fromPromise(take(type, resource, 'try', 0), mapError('acquire')).andThen((h) =>
        h === undefined
          ? errAsync<LockHandle, AcquireError>(
              new LockTimeoutError(`the ${type} lock on ${resource} is held`, {
                context: { type, resource, timeoutMs },
              }),
            )
          : okAsync(h),
      );
    }
    return ResultAsync.fromPromise(take(type, resource, 'wait', timeoutMs, opts.signal), mapError('acquire')).map(
      (h) => h as LockHandle,
    );
  };

  const locksQuery = `SELECT l.classid, l.objid, l.granted, l.pid, a.application_name, a.client_addr
      FROM pg_locks l LEFT JOIN pg_stat_activity a USING (pid)
     WHERE l.locktype = 'advisory' AND l.objsubid = 1 AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`;

  return {
    acquire,
    tryAcquire(type, resource) {
      checkName('type', type);
      checkName('resource', resource);
      return ResultAsync.fromPromise(take(type, resource, 'try', 0), (e) => storeError('tryAcquire', e));
    },
    withLock: (type, resource, fn, opts) => withLockVia(acquire, type, resource, fn, opts),
    isLocked(type, resource) {
      const { classid, objid } = halves(lockKey(type, resource));
      return ResultAsync.fromPromise(
        pool
          .query(`${locksQuery} AND l.granted AND l.classid = $1 AND l.objid = $2`, [classid, objid])
          .then((r) => r.rowCount !== null && r.rowCount > 0),
        (e) => storeError('isLocked', e),
      );
    },
    list() {
      const run = async (): Promise<LockInfo[]> => {
        await ensureSchema();
        const [locks, tokens] = await Promise.all([
          pool.query<{
            classid: number | string;
            objid: number | string;
            granted: boolean;
            pid: number;
            application_name: string | null;
          }>(locksQuery),
          pool.query<{
            type: string;
            resource: string;
            token: string;
            holder: { pid: number; host: string; application: string };
            acquired_at: Date;
          }>(`SELECT * FROM ${table}`),
        ]);
        const out: LockInfo[] = [];
        for (const t of tokens.rows) {
          const { classid, objid } = halves(lockKey(t.type, t.resource));
          const rows = locks.rows.filter((l) => Number(l.classid) === classid && Number(l.objid) === objid);
          const granted = rows.find((l) => l.granted);
          if (granted === undefined) continue;
          out.push({
            type: t.type,
            resource: t.resource,
            holder: {
              pid: t.holder.pid,
              host: t.holder.host,
              application: granted.application_name ?? t.holder.application,
              backendPid: granted.pid,
            },
            acquiredAt: t.acquired_at.getTime(),
            fencingToken: Number(t.token),
            waiters: rows.filter((l) => !l.granted).length,
          });
        }
        return out.sort((a, b) => a.type.localeCompare(b.type) || a.resource.localeCompare(b.resource));
      };
      return ResultAsync.fromPromise(run(), (e) => storeError('list', e));
    },
    forceRelease(type, resource) {
      const { classid, objid } = halves(lockKey(type, resource));
      const run = async (): Promise<boolean> => {
        const holders = await pool.query<{ pid: number }>(
          `${locksQuery} AND l.granted AND l.classid = $1 AND l.objid = $2`,
          [classid, objid],
        );
        const pid = holders.rows[0]?.pid;
        if (pid === undefined) return false;
        try {
          const r = await pool.query<{ ok: boolean }>('SELECT pg_terminate_backend($1) AS ok', [pid]);
          if (r.rows[0]?.ok !== true) return false; // the holder ended meanwhile
        } catch (e) {
          if ((e as { code?: string }).code === '42501') {
            throw new LockReleaseForbiddenError(
              `not allowed to terminate backend ${pid} holding the ${type} lock on ${resource}`,
              {
                cause: e,
                context: { type, resource, backendPid: pid },
                remediation:
                  'Grant the role pg_signal_backend (GRANT pg_signal_backend TO <role>), or stop the holder process.',
              },
            );
          }
          throw e;
        }
        return true;
      };
      return ResultAsync.fromPromise(run(), (e) => {
        const d = toDiveError(e);
        return d._tag === 'LockReleaseForbiddenError'
          ? (d as LockReleaseForbiddenError)
          : storeError('forceRelease', e);
      });
    },
    async [Symbol.asyncDispose]() {
      disposed = true;
      idle.length = 0;
      await Promise.all([...clients].map((c) => c.end().catch(() => undefined)));
      clients.clear();
      if (owned) await pool.end();
    },
  };
}
