import { STORE_ID_PATTERN } from './internal/store-id.js';
import pg from 'pg';
import { systemClock } from '@dive/errors';
import { errAsync, okAsync, ResultAsync } from 'neverthrow';
import {
  CheckpointNotFoundError,
  ConcurrentModificationError,
  StateCorruptError,
  type CheckpointReadError,
  type CheckpointTooLargeError,
  type StateStoreUnavailableError,
  type ReadError,
} from './errors.js';
import { toAsync } from './internal/to-async.js';
import { checkpointIds } from './internal/checkpoint-id.js';
import { checkpointLimit, checkpointTooLarge } from './internal/checkpoint-size.js';
import { ownedBy } from './internal/checkpoint-owner.js';
import { analyse } from './internal/analytics.js';
import { decodeCheckpoint, encodeCheckpoint, resolveKey } from './internal/checkpoint-codec.js';
import { canonicalJson } from './internal/hash.js';
import { runMigrations } from './internal/pg-migrate.js';
import { unavailable } from './internal/pg-errors.js';
import { num, toErrorRecord, toRecord, toStep } from './internal/pg-rows.js';
import { transitionSql } from './internal/pg-sql.js';
import { assertTransitionOptions, refusal, unknownState } from './internal/rules.js';
import { resolveAuditKey } from './internal/audit-key.js';
import { sealHead } from './internal/audit-seal.js';
import { verifySealedChain } from './internal/audit-verify.js';
import { readSealSql, sealedTransition, sealSql, toSealedHead } from './internal/pg-sealed-transition.js';
import { emitStoreWarning } from './store-warnings.js';
import { changeChannel, listenForChanges } from './internal/pg-listen.js';
import type { DeploymentState } from './state-machine.js';
import type {
  Checkpoint,
  CheckpointInfo,
  CommonStoreOptions,
  ErrorRecord,
  InstanceState,
  StateStore,
  StepRecord,
  TransitionRecord,
} from './types.js';

/** Options of {@link createPostgresStateStore}: give a `pool` (you own it) or a `connectionString` (the store owns it). */
export interface PostgresStateStoreOptions extends CommonStoreOptions {
  readonly pool?: pg.Pool;
  readonly connectionString?: string;
  /** Schema holding the tables (default `dive`); lower-case letters, digits and `_`. */
  readonly schema?: string;
  /** For an owned pool: connection timeout (default 2,000 ms) so an unreachable server fails fast. */
  readonly connectionTimeoutMillis?: number;
  /**
   * For an owned pool: the server's `statement_timeout` (default 5,000 ms): a statement blocked longer (a row or
   * table lock held by another session) is cancelled by PostgreSQL and returns `StateStoreUnavailableError` with
   * `context.pgCode` `'57014'`; the connection stays usable.
   */
  readonly statementTimeoutMillis?: number;
  /**
   * For an owned pool: the client's `query_timeout` (default `statementTimeoutMillis` + 1,000 ms), the backstop for
   * a server that stops answering altogether.
   */
  readonly queryTimeoutMillis?: number;
  /** For an owned pool: maximum connections (default 10). */
  readonly max?: number;
}

const positive = (name: string, v: number): number => {
  if (!(Number.isFinite(v) && v > 0)) throw new RangeError(`createPostgresStateStore: ${name} must be > 0, got ${v}`);
  return v;
};

/** The owned pool's timeouts, defaults applied and checked. */
function poolTimeouts(options: PostgresStateStoreOptions) {
  const statement = positive('statementTimeoutMillis', options.statementTimeoutMillis ?? 5_000);
  return {
    connectionTimeoutMillis: positive('connectionTimeoutMillis', options.connectionTimeoutMillis ?? 2_000),
    statement_timeout: statement,
    query_timeout: positive('queryTimeoutMillis', options.queryTimeoutMillis ?? statement + 1_000),
  };
}

/**
 * The PostgreSQL state store. One transition is one statement: a conditional upsert of the current-state row
 * (expected version, legal edge, fencing token) feeding the insert of the hash-chained audit row. Call
 * `migrate()` once before use (safe from many processes at once).
 * @param options - `pool` or `connectionString`, `schema`, timeouts (connection 2 s, statement 5 s, query 6 s; for an
 *   owned pool — a pool you pass keeps its own settings), clock, checkpoint key
 * @returns a {@link StateStore}; disposing it ends the pool only if the store created it
 * @example
 * ```ts
 * const store = createPostgresStateStore({ connectionString: process.env.DATABASE_URL });
 * await store.migrate();
 * const r = await store.transition('USA', 'INITIALIZING', { fencingToken: 7, reason: 'deploy', actor: 'ci' });
 * if (r.isErr() && r.error._tag === 'StaleFencingTokenError') console.log('an older lock holder');
 * ```
 */
export function createPostgresStateStore(options: PostgresStateStoreOptions): StateStore {
  const schemaName = options.schema ?? 'dive';
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schemaName))
    throw new TypeError(`schema must match [a-z_][a-z0-9_]*, got '${schemaName}'`);
  if (options.pool === undefined && options.connectionString === undefined) {
    throw new TypeError('createPostgresStateStore: give pool or connectionString');
  }
  const owned = options.pool === undefined;
  const timeouts = poolTimeouts(options);
  const pool =
    options.pool ??
    new pg.Pool({
      connectionString: options.connectionString,
      ...timeouts,
      max: options.max ?? 10,
      application_name: 'dive-state-db',
    });
  if (owned) pool.on('error', () => undefined); // idle client lost: the next query reports it
  const auditKey = resolveAuditKey(options);
  if (auditKey === undefined)
    (options.onWarning ?? emitStoreWarning)({
      code: 'unkeyed-audit',
      message: `no audit key (DIVE_AUDIT_KEY, auditKey or auditKeyFile): the audit log of schema ${schemaName} is sealed with plain SHA-256, which whoever can write the tables can recompute`,
    });
  const s = `"${schemaName}"`;
  const clock = options.clock ?? systemClock;
  const now = (): number => clock.now();
  const nextId = checkpointIds();
  const maxCheckpoint = checkpointLimit(options.checkpointMaxBytes);
  const q = (
    operation: string,
    text: string,
    values: unknown[] = [],
  ): ResultAsync<pg.QueryResult, ReturnType<ReturnType<typeof unavailable>>> =>
    ResultAsync.fromPromise(pool.query(text, values), unavailable(operation, schemaName));
  const TRANSITION = { name: `dive-transition-${schemaName}`, text: transitionSql(s) };
  const channel = changeChannel(schemaName);

  const readState = (instance: string): ResultAsync<InstanceState, ReturnType<ReturnType<typeof unavailable>>> =>
    q('getState', `SELECT state, version, fencing_token, updated_at FROM ${s}.current_state WHERE instance = $1`, [
      instance,
    ]).map((r) => {
      const row = r.rows[0] as Record<string, unknown> | undefined;
      if (row === undefined) return unknownState(instance);
      return {
        instance,
        state: row['state'] as DeploymentState,
        version: num(row['version']),
        fencingToken: num(row['fencing_token']),
        updatedAt: num(row['updated_at']),
      };
    });

  const migrate: StateStore['migrate'] = () => runMigrations(pool, schemaName);

  const store: StateStore = {
    migrate,
    getState: readState,
    instances: () =>
      q('instances', `SELECT instance FROM ${s}.current_state ORDER BY instance`).map((r) =>
        r.rows.map((x) => String((x as { instance: unknown }).instance)),
      ),
    transition: (instance, to, opts) => {
      assertTransitionOptions(opts);
      const at = now();
      const metadata = opts.metadata ?? {};
      const values = [
        instance,
        to,
        opts.fencingToken,
        opts.expectedVersion ?? null,
        opts.reason,
        opts.actor,
        opts.deploymentId ?? null,
        canonicalJson(metadata),
        at,
      ];
      return ResultAsync.fromPromise(
        sealedTransition(
          pool,
          { ...TRANSITION, values },
          instance,
          sealSql(s),
          (v, h) => sealHead(auditKey, instance, v, h),
          { channel, payload: JSON.stringify({ kind: 'transition', instance }) },
        ),
        unavailable('transition', schemaName),
      ).andThen((r) => {
        const row = r.rows[0] as Record<string, unknown> | undefined;
        if (row !== undefined) {
          const record: TransitionRecord = {
            instance,
            version: num(row['version']),
            from: row['from_state'] as DeploymentState,
            to,
            fencingToken: opts.fencingToken,
            reason: opts.reason,
            actor: opts.actor,
            deploymentId: opts.deploymentId ?? null,
            metadata,
            at,
            hash: String(row['hash']),
          };
          return okAsync(record);
        }
        // error path only: tell the reasons apart
        return readState(instance).andThen((current) =>
          errAsync(
            refusal(current, to, opts) ??
              new ConcurrentModificationError(`${instance} changed while transitioning to ${to}; read it again`, {
                context: { instance, to, version: current.version },
              }),
          ),
        );
      });
    },
    history: (instance, opts = {}) =>
      q(
        'history',
        `SELECT * FROM ${s}.audit_log WHERE instance = $1 AND ($2::bigint IS NULL OR version < $2) ORDER BY version DESC LIMIT $3`,
        [instance, opts.before ?? null, opts.limit ?? 100],
      ).map((r) => r.rows.map((x) => toRecord(x as Record<string, unknown>))),
    verifyAuditLog: (instance) =>
      q('verifyAuditLog', readSealSql(s), [instance]).andThen((head) =>
        q('verifyAuditLog', `SELECT * FROM ${s}.audit_log WHERE instance = $1 ORDER BY version`, [instance]).andThen(
          (r) => {
            let rows: TransitionRecord[];
            try {
              rows = r.rows.map((x) => toRecord(x as Record<string, unknown>));
            } catch (e) {
              return errAsync(
                new StateCorruptError(`audit log of ${instance} has an unreadable row`, {
                  cause: e,
                  context: { instance },
                }),
              );
            }
            const current = head.rows[0] as Record<string, unknown> | undefined;
            const sealed = toSealedHead(current);
            const v = verifySealedChain(instance, rows, {
              stateVersion: num(current?.['version'] ?? 0),
              sealed,
              key: auditKey,
              maxUnsealed: 0,
            });
            return '_tag' in v ? errAsync(v) : okAsync(v);
          },
        ),
      ),
    recordStep: (step) => {
      const record: StepRecord = { ...step, endedAt: step.endedAt ?? null };
      return q(
        'recordStep',
        `WITH up AS (INSERT INTO ${s}.steps (deployment_id, step, instance, status, started_at, ended_at, detail) VALUES ($1,$2,$3,$4,$5,$6,$7)
         ON CONFLICT (deployment_id, step) DO UPDATE SET instance = EXCLUDED.instance, status = EXCLUDED.status,
           started_at = EXCLUDED.started_at, ended_at = EXCLUDED.ended_at, detail = EXCLUDED.detail RETURNING 1)
         SELECT pg_notify($8, $9) FROM up`,
        [
          record.deploymentId,
          record.step,
          record.instance,
          record.status,
          record.startedAt,
          record.endedAt,
          record.detail === undefined ? null : JSON.stringify(record.detail),
          channel,
          JSON.stringify({ kind: 'step', instance: record.instance, deploymentId: record.deploymentId }),
        ],
      ).map(() => record);
    },
    steps: (deploymentId) =>
      q('steps', `SELECT * FROM ${s}.steps WHERE deployment_id = $1 ORDER BY started_at, step`, [deploymentId]).map(
        (r) => r.rows.map((x: Record<string, unknown>) => toStep(x)),
      ),
    createCheckpoint: (instance, payload) =>
      resolveKey(options.checkpointKey).asyncAndThen(
        (key): ResultAsync<CheckpointInfo, CheckpointTooLargeError | StateStoreUnavailableError> => {
          const createdAt = now();
          const info = { id: nextId(createdAt), instance, createdAt };
          const full: CheckpointInfo = { ...info, encrypted: key !== undefined };
          const body = encodeCheckpoint(info, payload, key);
          const size = Buffer.byteLength(body);
          if (size > maxCheckpoint) return errAsync(checkpointTooLarge(info, size, maxCheckpoint, 'write'));
          return q(
            'createCheckpoint',
            `INSERT INTO ${s}.checkpoints (id, instance, created_at, encrypted, body) VALUES ($1,$2,$3,$4,$5)`,
            [info.id, instance, createdAt, full.encrypted, body],
          ).map(() => full);
        },
      ),
    listCheckpoints: (instance) =>
      q(
        'listCheckpoints',
        `SELECT id, instance, created_at, encrypted FROM ${s}.checkpoints WHERE instance = $1 ORDER BY created_at DESC, id DESC`,
        [instance],
      ).map((r) =>
        r.rows.map((x: Record<string, unknown>) => ({
          id: String(x['id']),
          instance,
          createdAt: num(x['created_at']),
          encrypted: x['encrypted'] === true,
        })),
      ),
    getCheckpoint: (id, readOptions) =>
      q(
        'getCheckpoint',
        // the size is checked in the database: a huge body is never sent
        `SELECT CASE WHEN octet_length(body) > $2 THEN NULL ELSE body END AS body, octet_length(body) AS size FROM ${s}.checkpoints WHERE id = $1`,
        [id, maxCheckpoint],
      ).andThen((r): ResultAsync<Checkpoint, CheckpointReadError> => {
        const row = r.rows[0] as { body: string | null; size: number } | undefined;
        if (row === undefined)
          return errAsync(
            new CheckpointNotFoundError(`no checkpoint with id ${id}`, { context: { id, schema: schemaName } }),
          );
        const body = row.body;
        if (body === null) return errAsync(checkpointTooLarge({ id }, num(row.size), maxCheckpoint, 'read'));
        return toAsync(resolveKey(options.checkpointKey).andThen((k) => decodeCheckpoint(id, body, k))).andThen((c) =>
          ownedBy(c, readOptions),
        );
      }),
    pruneCheckpoints: (instance, keep) => {
      if (!Number.isSafeInteger(keep) || keep < 0)
        throw new RangeError(`keep must be a non-negative integer, got ${keep}`);
      return q(
        'pruneCheckpoints',
        `DELETE FROM ${s}.checkpoints WHERE id IN (SELECT id FROM ${s}.checkpoints WHERE instance = $1 ORDER BY created_at DESC, id DESC OFFSET $2)`,
        [instance, keep],
      ).map((r) => r.rowCount ?? 0);
    },
    recordError: (error, context = {}) => {
      const record: ErrorRecord = {
        tag: error._tag,
        code: error.code,
        severity: error.severity,
        message: error.message,
        instance: context.instance ?? null,
        deploymentId: context.deploymentId ?? null,
        at: context.at ?? now(),
      };
      return q(
        'recordError',
        `INSERT INTO ${s}.errors (tag, code, severity, message, instance, deployment_id, at) VALUES ($1,$2,$3,$4,$5,$6,$7)`,
        [record.tag, record.code, record.severity, record.message, record.instance, record.deploymentId, record.at],
      ).map(() => record);
    },
    errorAnalytics: (opts) =>
      q(
        'errorAnalytics',
        `SELECT tag, code, severity, message, instance, deployment_id, at FROM ${s}.errors
         WHERE ($1::text IS NULL OR instance = $1) AND ($2::bigint IS NULL OR at >= $2)`,
        [opts.instance ?? null, opts.since ?? null],
      ).map((r) =>
        analyse(
          r.rows.map((x: Record<string, unknown>) => toErrorRecord(x)),
          opts.bucket,
        ),
      ),
    saveMetricsSnapshot: (snapshot) =>
      q(
        'saveMetricsSnapshot',
        `INSERT INTO ${s}.metrics_snapshot (id, body, saved_at) VALUES (1, $1, $2) ON CONFLICT (id) DO UPDATE SET body = EXCLUDED.body, saved_at = EXCLUDED.saved_at`,
        [JSON.stringify(snapshot ?? null), now()],
      ).map(() => undefined),
    loadMetricsSnapshot: () =>
      q('loadMetricsSnapshot', `SELECT body FROM ${s}.metrics_snapshot WHERE id = 1`).andThen(
        (r): ResultAsync<unknown, ReadError> => {
          const row = r.rows[0] as { body: string } | undefined;
          if (row === undefined) return okAsync(undefined);
          try {
            return okAsync(JSON.parse(row.body) as unknown);
          } catch (e) {
            return errAsync(
              new StateCorruptError(`metrics snapshot in schema ${schemaName} is not valid JSON`, {
                cause: e,
                context: { schema: schemaName },
              }),
            );
          }
        },
      ),
    storeId: () =>
      q('storeId', `SELECT store_id FROM ${s}.store_identity WHERE id = 1`).andThen(
        (r): ResultAsync<string, ReadError> => {
          const id = (r.rows[0] as { store_id: string } | undefined)?.store_id;
          if (id !== undefined && STORE_ID_PATTERN.test(id)) return okAsync(id);
          return errAsync(
            new StateCorruptError(`schema ${schemaName} has no store id (store_identity is empty or altered)`, {
              context: { schema: schemaName },
            }),
          );
        },
      ),
    onChange: (listener) => listenForChanges(pool, channel, listener, clock),
    close: async () => {
      if (owned) await pool.end().catch(() => undefined);
    },
    [Symbol.asyncDispose]: () => store.close(),
  };
  return store;
}
