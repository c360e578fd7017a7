import pg from 'pg';
import { ResultAsync } from 'neverthrow';
import { StateStoreUnavailableError } from '../errors.js';
import { unavailable } from '../internal/pg-errors.js';
import { runMigrations } from '../internal/pg-migrate.js';
import type {
  FleetGateRecord,
  FleetInstanceRecord,
  FleetPause,
  FleetRecordError,
  FleetRun,
  FleetRunState,
  FleetStore,
  FleetStoreError,
} from './types.js';

/** Options of {@link createPostgresFleetStore}: a `pool` (you own it) or a `connectionString`. */
export interface PostgresFleetStoreOptions {
  readonly pool?: pg.Pool;
  readonly connectionString?: string;
  /** Schema of the state store (default `dive`); migrated on first use if needed. */
  readonly schema?: string;
}

type Row = Record<string, unknown>;
const str = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));
const n = (v: unknown): number => Number(v);

function toRun(r: Row, instances: Row[], gates: Row[], approvals: Row[]): FleetRun {
  const inst = (x: Row): FleetInstanceRecord => ({
    instance: String(x['instance']),
    wave: n(x['wave']),
    status: x['status'] as FleetInstanceRecord['status'],
    updatedAt: n(x['updated_at']),
    ...(x['deployment_id'] === null ? {} : { deploymentId: str(x['deployment_id']) }),
    ...(x['error'] === null ? {} : { error: x['error'] as FleetRecordError }),
  });
  const gate = (x: Row): FleetGateRecord => ({
    gate: String(x['gate']),
    status: x['status'] as FleetGateRecord['status'],
    updatedAt: n(x['updated_at']),
    ...(x['detail'] === null ? {} : { detail: str(x['detail']) }),
  });
  return {
    id: String(r['id']),
    fleet: String(r['fleet']),
    state: r['state'] as FleetRunState,
    startedAt: n(r['started_at']),
    updatedAt: n(r['updated_at']),
    ...(r['reason'] === null ? {} : { reason: str(r['reason']) }),
    instances: instances.map(inst),
    gates: gates.map(gate),
    approvals: approvals.map((x) => ({ gate: String(x['gate']), by: String(x['approved_by']), at: n(x['at']) })),
  };
}

/**
 * The fleet record in PostgreSQL, shared by every host of a fleet: tables `fleet_runs`, `fleet_instances`,
 * `fleet_gates`, `fleet_approvals` and `fleet_pauses` in the state store's schema (migration 6, applied on first
 * use). Each write is one statement.
 * @param options - `pool` or `connectionString`, `schema`
 * @returns a {@link FleetStore} with `close()` (ends the pool only if it made it); calls fail with
 *   StateStoreUnavailableError (6001) when the database fails
 * @example
 * ```ts
 * const fleets = createPostgresFleetStore({ connectionString: process.env.DATABASE_URL });
 * await fleets.setPaused('coalition', true, { by: 'ops@host', at: Date.now() });
 * ```
 */
export function createPostgresFleetStore(options: PostgresFleetStoreOptions): FleetStore & { close(): Promise<void> } {
  const schemaName = options.schema ?? 'dive';
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schemaName))
    throw new TypeError(`schema must match [a-z_][a-z0-9_]*, got '${schemaName}'`);
  if (options.pool === undefined && options.connectionString === undefined)
    throw new TypeError('createPostgresFleetStore: give pool or connectionString');
  const owned = options.pool === undefined;
  const pool =
    options.pool ??
    new pg.Pool({
      connectionString: options.connectionString,
      connectionTimeoutMillis: 2_000,
      statement_timeout: 5_000,
      query_timeout: 6_000,
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
      throw unavailable(`fleet ${operation}`, schemaName)(e);
    }
  };
  const wrap = <T>(operation: string, p: () => Promise<T>): ResultAsync<T, FleetStoreError> =>
    ResultAsync.fromPromise(p(), (e) =>
      e instanceof StateStoreUnavailableError ? e : unavailable(`fleet ${operation}`, schemaName)(e),
    );
  const load = async (ids: readonly Row[]): Promise<FleetRun[]> => {
    if (ids.length === 0) return [];
    const list = ids.map((r) => String(r['id']));
    const [inst, gates, appr] = await Promise.all([
      q('read', `SELECT * FROM ${s}.fleet_instances WHERE run_id = ANY($1) ORDER BY instance`, [list]),
      q('read', `SELECT * FROM ${s}.fleet_gates WHERE run_id = ANY($1) ORDER BY gate`, [list]),
      q('read', `SELECT * FROM ${s}.fleet_approvals WHERE run_id = ANY($1) ORDER BY gate`, [list]),
    ]);
    const of = (rows: Row[], id: string) => rows.filter((x) => x['run_id'] === id);
    return ids.map((r) =>
      toRun(
        r,
        of(inst.rows as Row[], String(r['id'])),
        of(gates.rows as Row[], String(r['id'])),
        of(appr.rows as Row[], String(r['id'])),
      ),
    );
  };
  const runs = async (where: string, values: unknown[], limit: number): Promise<FleetRun[]> =>
    load(
      (
        await q(
          'read',
          `SELECT * FROM ${s}.fleet_runs WHERE ${where} ORDER BY started_at DESC, seq DESC LIMIT ${limit}`,
          values,
        )
      ).rows as Row[],
    );
  const touch = (text: string) =>
    `WITH t AS (UPDATE ${s}.fleet_runs SET updated_at = GREATEST(updated_at, $2) WHERE id = $1 RETURNING id) ${text}`;
  const changed = async (operation: string, text: string, values: unknown[]): Promise<boolean> =>
    ((await q(operation, text, values)).rowCount ?? 0) > 0;
  return {
    createRun: (run) =>
      wrap('createRun', async () => {
        await q(
          'createRun',
          `WITH r AS (INSERT INTO ${s}.fleet_runs (id, fleet, state, started_at, updated_at) VALUES ($1, $2, 'RUNNING', $3, $3) RETURNING id)
           INSERT INTO ${s}.fleet_instances (run_id, instance, wave, status, updated_at)
           SELECT r.id, i.instance, i.wave, 'PENDING', $3 FROM r, unnest($4::text[], $5::int[]) AS i(instance, wave)`,
          [run.id, run.fleet, run.startedAt, run.instances.map((i) => i.instance), run.instances.map((i) => i.wave)],
        );
        const [created] = await runs('id = $1', [run.id], 1);
        if (created === undefined) throw new Error(`fleet run ${run.id} was not recorded`);
        return created;
      }),
    getRun: (id) => wrap('getRun', async () => (await runs('id = $1', [id], 1))[0]),
    latestRun: (fleet) => wrap('latestRun', async () => (await runs('fleet = $1', [fleet], 1))[0]),
    listRuns: (fleet, o) =>
      wrap('listRuns', () => runs('fleet = $1', [fleet], Math.max(1, Math.floor(o?.limit ?? 20)))),
    setRunState: (id, state, o) =>
      wrap('setRunState', () =>
        changed(
          'setRunState',
          `UPDATE ${s}.fleet_runs SET state = $2, updated_at = $3,
             reason = CASE WHEN $4::boolean THEN $5 ELSE reason END WHERE id = $1`,
          [id, state, o.at, o.reason !== undefined, o.reason ?? null],
        ),
      ),
    setInstance: (id, instance, u) =>
      wrap('setInstance', () =>
        changed(
          'setInstance',
          touch(`INSERT INTO ${s}.fleet_instances AS i (run_id, instance, wave, status, deployment_id, error, updated_at)
           SELECT t.id, $3, 0, $4, $5, $7::jsonb, $2 FROM t
           ON CONFLICT (run_id, instance) DO UPDATE SET status = EXCLUDED.status, updated_at = EXCLUDED.updated_at,
             deployment_id = COALESCE(EXCLUDED.deployment_id, i.deployment_id),
             error = CASE WHEN $6::boolean THEN EXCLUDED.error ELSE i.error END`),
          [
            id,
            u.at,
            instance,
            u.status,
            u.deploymentId ?? null,
            u.error !== undefined,
            u.error == null ? null : JSON.stringify(u.error),
          ],
        ),
      ),
    setGate: (id, gate, u) =>
      wrap('setGate', () =>
        changed(
          'setGate',
          touch(`INSERT INTO ${s}.fleet_gates (run_id, gate, status, detail, updated_at) SELECT t.id, $3, $4, $5, $2 FROM t
           ON CONFLICT (run_id, gate) DO UPDATE SET status = EXCLUDED.status, detail = EXCLUDED.detail,
             updated_at = EXCLUDED.updated_at`),
          [id, u.at, gate, u.status, u.detail ?? null],
        ),
      ),
    approve: (id, gate, a) =>
      wrap('approve', async () => {
        const exists = await q('approve', `SELECT 1 FROM ${s}.fleet_runs WHERE id = $1`, [id]);
        if (exists.rowCount === 0) return false;
        await q(
          'approve',
          `INSERT INTO ${s}.fleet_approvals (run_id, gate, approved_by, at) VALUES ($1, $2, $3, $4)
           ON CONFLICT (run_id, gate) DO NOTHING`,
          [id, gate, a.by, a.at],
        );
        return true;
      }),
    setPaused: (fleet, paused, o) =>
      wrap('setPaused', async () => {
        await q(
          'setPaused',
          `INSERT INTO ${s}.fleet_pauses (fleet, paused, by_whom, at) VALUES ($1, $2, $3, $4)
           ON CONFLICT (fleet) DO UPDATE SET paused = EXCLUDED.paused, by_whom = EXCLUDED.by_whom, at = EXCLUDED.at`,
          [fleet, paused, o.by, o.at],
        );
        return { fleet, paused, by: o.by, at: o.at } satisfies FleetPause;
      }),
    getPause: (fleet) =>
      wrap('getPause', async () => {
        const r = (await q('getPause', `SELECT * FROM ${s}.fleet_pauses WHERE fleet = $1`, [fleet])).rows[0] as
          Row | undefined;
        if (r === undefined) return { fleet, paused: false };
        return { fleet, paused: r['paused'] === true, by: String(r['by_whom']), at: n(r['at']) };
      }),
    close: async () => {
      if (owned) await pool.end().catch(() => undefined);
    },
  };
}
