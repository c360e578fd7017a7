import pg from 'pg';
import type { BreakerRecord, BreakerStore } from '@dive/circuit-breaker';
import { unavailable } from './internal/pg-errors.js';
import { runMigrations } from './internal/pg-migrate.js';

/** Options of {@link createPostgresBreakerStore}: a `pool` (you own it) or a `connectionString`. */
export interface PostgresBreakerStoreOptions {
  readonly pool?: pg.Pool;
  readonly connectionString?: string;
  /** Schema of the state store (default `dive`); migrated on first use if needed. */
  readonly schema?: string;
  /**
   * Whose clock times probe leases (default `'database'`). `'database'`: a lease runs from the server's
   * `clock_timestamp()` and expires by it, so processes whose clocks disagree (skew of minutes between hosts) still
   * see one lease; the `now` passed to `claimProbe` is ignored. `'caller'`: the `now` passed in, as the
   * `BreakerStore` contract describes (deterministic tests with a fake clock; correct only when all clocks agree).
   */
  readonly leaseClock?: 'database' | 'caller';
}

/** The server's clock in epoch milliseconds (SQL). */
const DB_NOW_MS = '(extract(epoch from clock_timestamp()) * 1000)::bigint';

const COLUMNS = 'name, state, consecutive_failures, consecutive_successes, opened_at, next_probe_at, version';

function toRecord(x: Record<string, unknown>): BreakerRecord {
  const n = (v: unknown): number | null => (v === null ? null : Number(v));
  return {
    name: String(x['name']),
    state: x['state'] as 'CLOSED' | 'OPEN',
    consecutiveFailures: Number(x['consecutive_failures']),
    consecutiveSuccesses: Number(x['consecutive_successes']),
    openedAt: n(x['opened_at']),
    nextProbeAt: n(x['next_probe_at']),
    version: Number(x['version']),
  };
}

/**
 * Circuit breaker state shared across processes and hosts through PostgreSQL: compare-and-set on a version column,
 * and a probe slot claimed with a single upsert that only wins when the slot is free, expired or already ours, so
 * exactly one process probes in HALF_OPEN. Probe leases are timed by the database's clock by default
 * (`leaseClock`), so clock skew between hosts cannot hand the slot to two probers. Implements the `BreakerStore` of `@dive/circuit-breaker`. Methods
 * reject with `StateStoreUnavailableError` (6001) when the database fails.
 * @param options - `pool` or `connectionString`, `schema`, `leaseClock`
 * @returns a `BreakerStore` with `close()` (ends the pool only if it created it)
 * @example
 * ```ts
 * const breakers = createPostgresBreakerStore({ connectionString: process.env.DATABASE_URL });
 * const mine = await breakers.claimProbe('registry', `host-a:${process.pid}`, Date.now(), 10_000);
 * ```
 */
export function createPostgresBreakerStore(
  options: PostgresBreakerStoreOptions,
): BreakerStore & { close(): Promise<void> } {
  const schemaName = options.schema ?? 'dive';
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schemaName))
    throw new TypeError(`schema must match [a-z_][a-z0-9_]*, got '${schemaName}'`);
  if (options.pool === undefined && options.connectionString === undefined) {
    throw new TypeError('createPostgresBreakerStore: give pool or connectionString');
  }
  const leaseClock = options.leaseClock ?? 'database';
  if (leaseClock !== 'database' && leaseClock !== 'caller')
    throw new TypeError(`leaseClock must be 'database' or 'caller', got '${String(leaseClock)}'`);
  const owned = options.pool === undefined;
  const pool =
    options.pool ??
    new pg.Pool({
      connectionString: options.connectionString,
      connectionTimeoutMillis: 2_000,
      statement_timeout: 5_000, // a statement blocked by another session is cancelled by the server
      query_timeout: 6_000, // the backstop for a server that stops answering
      max: 5,
    });
  if (owned) pool.on('error', () => undefined);
  const s = `"${schemaName}"`;
  let migrated: Promise<void> | undefined;
  const ready = (): Promise<void> =>
    (migrated ??= runMigrations(pool, schemaName).match(
      () => undefined,
      (e) => {
        migrated = undefined;
        throw e;
      },
    ));
  const q = async (operation: string, text: string, values: unknown[] = []): Promise<pg.QueryResult> => {
    await ready();
    try {
      return await pool.query(text, values);
    } catch (e) {
      throw unavailable(`breaker ${operation}`, schemaName)(e);
    }
  };
  return {
    load: async (name) => {
      const r = await q('load', `SELECT ${COLUMNS} FROM ${s}.breakers WHERE name = $1`, [name]);
      const row = r.rows[0] as Record<string, unknown> | undefined;
      return row === undefined ? undefined : toRecord(row);
    },
    compareAndSet: async (name, expectedVersion, next) => {
      const values = [
        name,
        next.state,
        next.consecutiveFailures,
        next.consecutiveSuccesses,
        next.openedAt,
        next.nextProbeAt,
        expectedVersion,
      ];
      const r =
        expectedVersion === 0
          ? await q(
              'compareAndSet',
              `INSERT INTO ${s}.breakers (${COLUMNS}) SELECT $1, $2, $3, $4, $5, $6, $7::bigint + 1
               ON CONFLICT (name) DO NOTHING RETURNING ${COLUMNS}`,
              values,
            )
          : await q(
              'compareAndSet',
              `UPDATE ${s}.breakers SET state = $2, consecutive_failures = $3, consecutive_successes = $4,
                 opened_at = $5, next_probe_at = $6, version = version + 1
               WHERE name = $1 AND version = $7 RETURNING ${COLUMNS}`,
              values,
            );
      const row = r.rows[0] as Record<string, unknown> | undefined;
      return row === undefined ? undefined : toRecord(row);
    },
    claimProbe: async (name, owner, now, ttlMs) => {
      const byDatabase = leaseClock === 'database';
      // one statement, so the clock is read once for both the new expiry and the expiry check
      const r = await q(
        'claimProbe',
        `WITH c AS (SELECT ${byDatabase ? DB_NOW_MS : '$4::bigint'} AS now)
         INSERT INTO ${s}.breaker_probes AS p (name, owner, expires_at)
           SELECT $1, $2, c.now + $3::bigint FROM c
         ON CONFLICT (name) DO UPDATE SET owner = EXCLUDED.owner, expires_at = EXCLUDED.expires_at
         WHERE p.owner = EXCLUDED.owner OR p.expires_at <= EXCLUDED.expires_at - $3::bigint
         RETURNING owner`,
        byDatabase ? [name, owner, ttlMs] : [name, owner, ttlMs, now],
      );
      return r.rowCount === 1;
    },
    releaseProbe: async (name, owner) => {
      await q('releaseProbe', `DELETE FROM ${s}.breaker_probes WHERE name = $1 AND owner = $2`, [name, owner]);
    },
    list: async () =>
      (await q('list', `SELECT ${COLUMNS} FROM ${s}.breakers ORDER BY name`)).rows.map((x: Record<string, unknown>) =>
        toRecord(x),
      ),
    reset: async (name) => {
      await q(
        'reset',
        `WITH a AS (DELETE FROM ${s}.breaker_probes WHERE name = $1) DELETE FROM ${s}.breakers WHERE name = $1`,
        [name],
      );
    },
    close: async () => {
      if (owned) await pool.end().catch(() => undefined);
    },
  };
}
