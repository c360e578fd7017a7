import { inTransaction } from './internal/pg-transaction.js';
import { hostname } from 'node:os';
import { CancelledError, toDiveError } from '@dive/errors';
import { errAsync, okAsync, ResultAsync } from 'neverthrow';
import pg from 'pg';
import { LockReleaseForbiddenError, LockStoreError, LockTimeoutError } from './errors.js';
import { lockTimeoutError } from './internal/pg-lock-timeout.js';
import { createHandle, withLockVia } from './internal/handle.js';
import { halves, keyOf, markerPrefix, parseMarker, statements } from './internal/pg-statements.js';
import { checkAcquire, checkName, lockKey } from './key.js';
import type { AcquireError, AcquireOptions, LockHandle, LockInfo, LockManager } from './types.js';

/** Options of {@link createPostgresLockManager}: a pool, or a connection string (a pool is made and closed). */
export type PostgresLockManagerOptions = ({ readonly pool: pg.Pool } | { readonly connectionString: string }) & {
  /** Schema of the token sequence and the name and session records. Default `dive`. */
  readonly schema?: string;
  /** `application_name` of the lock sessions (shown by `list()` and pg_stat_activity). Default `dive-locks`. */
  readonly applicationName?: string;
  /**
   * Whether each token is made durable before `acquire` returns. Default `false`: the token is drawn from a
   * sequence, which writes no row and waits for no disk flush (≈ 1.8× the bare advisory-lock pair, bench/locks).
   * After a server crash a sequence resumes from its last flushed WAL record, so a token drawn just before the
   * crash can be drawn again — harmless for fenced writes in the same PostgreSQL cluster (the `@dive/state-db`
   * PostgreSQL store): WAL is flushed in order, so a write committed with that token would have made it durable.
   * Set `true` when the writes you fence live elsewhere (files, another database): each token is then also
   * recorded under a flushed commit (≈ 5× the bare pair), so none is ever issued twice.
   */
  readonly synchronousCommit?: boolean;
  /**
   * The server's `statement_timeout` for every statement this manager runs (default 5,000 ms): one blocked longer
   * (a table lock held by another session) is cancelled and reported as `LockStoreError` (`context.pgCode`
   * `'57014'`). The lock wait of `acquire` is bounded by its own `timeoutMs` (`lock_timeout`) plus this.
   */
  readonly statementTimeoutMs?: number;
  /** The client's `query_timeout`, backstop for a server that stops answering (default `statementTimeoutMs` + 1,000). */
  readonly queryTimeoutMs?: number;
  /** Opening a connection (pool and lock sessions; default 5,000 ms). */
  readonly connectionTimeoutMs?: number;
};

const positive = (name: string, v: number): number => {
  if (!(Number.isFinite(v) && v > 0)) throw new RangeError(`createPostgresLockManager: ${name} must be > 0, got ${v}`);
  return v;
};

const IDENT = /^[a-z_][a-z0-9_]{0,62}$/;
/** The advisory key that serialises this package's own DDL. */
const DDL_KEY = 0x64697665_6c6f636bn - 2n ** 63n; // 'divelock'

/**
 * PostgreSQL session advisory locks with fencing tokens. Each held lock lives on its own dedicated connection
 * (never a pooled one: lock and unlock must happen on the same session), so a pool of any size cannot deadlock
 * or leak locks. Waiting happens on the server (`pg_advisory_lock` under `lock_timeout`), so a hand-off to a
 * waiter takes one round trip and a timed-out or cancelled wait leaves nothing waiting on the server. If the
 * connection dies, PostgreSQL releases the lock and the holder's `onLost` fires.
 *
 * Keys are 64-bit (sha256 of type and resource). Fencing tokens come from the sequence `<schema>.lock_token_seq`,
 * drawn while the lock is held, so an acquire writes no row; while a lock is held its session's application_name
 * reads `<applicationName> #<token>@<acquired at, epoch ms>`. See
 * the `synchronousCommit` option of {@link PostgresLockManagerOptions} for how durable each token is.
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
  const statementTimeout = positive('statementTimeoutMs', options.statementTimeoutMs ?? 5_000);
  const queryTimeout = positive('queryTimeoutMs', options.queryTimeoutMs ?? statementTimeout + 1_000);
  const timeouts = {
    connectionTimeoutMillis: positive('connectionTimeoutMs', options.connectionTimeoutMs ?? 5_000),
    statement_timeout: statementTimeout,
    query_timeout: queryTimeout,
  };
  const owned = 'connectionString' in options;
  const pool =
    'pool' in options ? options.pool : new pg.Pool({ connectionString: options.connectionString, max: 4, ...timeouts });
  if (owned) pool.on('error', () => undefined);
  /** Lock sessions are this manager's own connections: they always get its timeouts. */
  const clientConfig = (): pg.ClientConfig => ({
    ...(pool.options as pg.ClientConfig),
    ...timeouts,
    application_name: application,
    keepAlive: true,
  });
  const sql = statements(schema);
  const prefix = markerPrefix(application);
  /** Names this manager has recorded in lock_names (default mode records each once). */
  const knownNames = new Set<string>();
  const clients = new Set<pg.Client>();
  const storeError = (what: string, e: unknown) => {
    const pgCode = (e as { code?: unknown } | null)?.code;
    return new LockStoreError(`PostgreSQL locks: ${what}: ${toDiveError(e).message}`, {
      cause: e,
      context: { schema, ...(typeof pgCode === 'string' ? { pgCode } : {}) },
    });
  };

  let ready: Promise<void> | undefined;
  const ensureSchema = (): Promise<void> =>
    (ready ??= inTransaction(pool, async (c) => {
      // Tables made already (by this role or the schema's owner): no DDL, so a role that may only write can lock.
      const made = await c.query<{ ok: boolean }>({ text: sql.ready });
      if (made.rows[0]?.ok === true) {
        await c.query(sql.sweep);
        return;
      }
      await c.query('SELECT pg_advisory_xact_lock($1)', [DDL_KEY.toString()]);
      for (const statement of sql.ddl) await c.query(statement);
    }).catch((e: unknown) => {
      ready = undefined;
      throw e;
    }));

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
    // Record who this session serves (once per session) and set its commit mode: lock sessions run only this
    // package's statements.
    const pid =
      (
        await client.query<{ pid: number }>(sql.openSession, [
          process.pid,
          hostname(),
          application,
          synchronousCommit ? 'on' : 'off',
        ])
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

  // One round trip: take the lock and draw its fencing token in the same (prepared) statement.
  const acquireStatement = (mode: 'wait' | 'try') =>
    synchronousCommit ? (mode === 'wait' ? sql.acquire.waitRecorded : sql.acquire.tryRecorded) : sql.acquire[mode];

  /** A lock row: the fencing token drawn and when the lock was taken. */
  type Row = { token: string; at: Date } | undefined;

  /** Wait on the server for the lock: lock_timeout ends the wait there (no waiter left behind), `signal` cancels it. */
  async function waitForLock(
    session: Session,
    values: unknown[],
    timeoutMs: number,
    what: string,
    signal?: AbortSignal,
  ): Promise<Row> {
    const ms = Math.max(1, Math.round(timeoutMs));
    if (session.timeoutMs !== ms) {
      // the wait is bounded by lock_timeout; the statement as a whole by that plus the statement timeout
      await session.client.query(`SET lock_timeout = ${ms}; SET statement_timeout = ${ms + statementTimeout}`);
      session.timeoutMs = ms;
    }
    const onAbort = (): void => {
      void pool.query('SELECT pg_cancel_backend($1)', [session.pid]).catch(() => undefined);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      if (signal?.aborted === true) throw new CancelledError(`waiting for the ${what} was cancelled`);
      const query: pg.QueryConfig & { query_timeout: number } = {
        ...acquireStatement('wait'),
        values,
        query_timeout: ms + queryTimeout,
      };
      return (await session.client.query<NonNullable<Row>>(query)).rows[0];
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /** The handle of a lock `session` now holds; the session's end is reported as the lock's loss. */
  function holdOn(session: Session, key: string, row: Row, type: string, resource: string): LockHandle {
    const { client } = session;
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
          await client.query({ ...sql.release, values: [key, application] });
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
    const values = synchronousCommit ? [key, prefix, type, resource] : [key, prefix];
    let row: Row;
    try {
      if (!synchronousCommit && !knownNames.has(key)) {
        await session.client.query({ ...sql.rememberName, values: [key, type, resource] });
        knownNames.add(key);
      }
      if (mode === 'wait') row = await waitForLock(session, values, timeoutMs, `${type} lock on ${resource}`, signal);
      else {
        row = (await session.client.query<NonNullable<Row>>({ ...acquireStatement('try'), values })).rows[0];
        if (row === undefined) {
          await park(session);
          return undefined;
        }
      }
    } catch (e) {
      const code = (e as { code?: string }).code;
      // A timed-out or cancelled statement leaves the session clean: keep it. Anything else: drop it.
      const clean = code === '55P03' || code === '57014';
      if (clean) await park(session);
      else await close(session);
      // A parked session may have died unnoticed (its server process was terminated): try once on a new one.
      if (session.reused === true && !retried && !clean) return take(type, resource, mode, timeoutMs, signal, true);
      if (code === '55P03') throw await lockTimeoutError(pool, key, type, resource, timeoutMs);
      // 57014 is also a statement_timeout: only our own cancel (the caller's signal) is a CancelledError
      if (code === '57014' && signal?.aborted === true)
        throw new CancelledError(`waiting for the ${type} lock on ${resource} was cancelled`, {
          context: { type, resource },
        });
      throw e;
    }
    return holdOn(session, key, row, type, resource);
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
        const [locks, names, sessions] = await Promise.all([
          pool.query<{
            classid: number | string;
            objid: number | string;
            granted: boolean;
            pid: number;
            application_name: string | null;
          }>(locksQuery),
          pool.query<{ key: string; type: string; resource: string }>(sql.names),
          pool.query<{ backend_pid: number; pid: number; host: string; application: string }>(sql.sessions),
        ]);
        const nameOf = new Map(names.rows.map((n) => [n.key, n]));
        const sessionOf = new Map(sessions.rows.map((r) => [r.backend_pid, r]));
        const byKey = new Map<string, { granted?: (typeof locks.rows)[number]; waiters: number }>();
        for (const l of locks.rows) {
          const key = keyOf(l.classid, l.objid).toString();
          const entry = byKey.get(key) ?? { waiters: 0 };
          if (l.granted) entry.granted = l;
          else entry.waiters++;
          byKey.set(key, entry);
        }
        const out: LockInfo[] = [];
        for (const [key, { granted, waiters }] of byKey) {
          const name = nameOf.get(key);
          // Advisory locks that are not ours (no name recorded), or ours between taking the lock and naming its
          // token (a few microseconds inside one statement), are left out.
          const marker = parseMarker(granted?.application_name ?? null);
          if (granted === undefined || name === undefined || marker === undefined) continue;
          const session = sessionOf.get(granted.pid);
          out.push({
            type: name.type,
            resource: name.resource,
            holder: {
              pid: session?.pid ?? 0,
              host: session?.host ?? '',
              application: session?.application ?? marker.prefix,
              backendPid: granted.pid,
            },
            acquiredAt: marker.at,
            fencingToken: marker.token,
            waiters,
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
