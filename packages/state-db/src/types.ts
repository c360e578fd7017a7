import type { Clock, Severity } from '@dive/errors';
import type { ResultAsync } from 'neverthrow';
import type {
  CheckpointKeyError,
  CheckpointTooLargeError,
  CheckpointReadError,
  MigrateError,
  ReadError,
  StateCorruptError,
  StateStoreUnavailableError,
  TransitionError,
  VerifyError,
} from './errors.js';
import type { DeploymentState } from './state-machine.js';
import type { StoreWarning } from './store-warnings.js';

/** The current state of one instance. An instance never seen is `UNKNOWN` at version 0. */
export interface InstanceState {
  readonly instance: string;
  readonly state: DeploymentState;
  /** Number of transitions applied so far (gap-free, 0 for a new instance). */
  readonly version: number;
  /** Highest fencing token accepted for this instance, `null` before the first transition. */
  readonly fencingToken: number | null;
  /** Epoch milliseconds of the last transition, `null` before the first. */
  readonly updatedAt: number | null;
}

/** Options of {@link StateStore.transition}. */
export interface TransitionOptions {
  /** Apply only if the instance is at this version (optimistic concurrency). */
  readonly expectedVersion?: number;
  /** The caller's lock fencing token; smaller than the highest accepted one → `StaleFencingTokenError`. */
  readonly fencingToken: number;
  readonly reason: string;
  readonly actor: string;
  readonly deploymentId?: string;
  readonly metadata?: Readonly<Record<string, unknown>>;
}

/** One applied transition: a row of the audit log. */
export interface TransitionRecord {
  readonly instance: string;
  readonly version: number;
  readonly from: DeploymentState;
  readonly to: DeploymentState;
  readonly fencingToken: number;
  readonly reason: string;
  readonly actor: string;
  readonly deploymentId: string | null;
  readonly metadata: Readonly<Record<string, unknown>>;
  /** Epoch milliseconds. */
  readonly at: number;
  /** sha256 (hex) of the previous row's hash and this row's canonical form. */
  readonly hash: string;
}

/** Options of {@link StateStore.history}: newest first, `limit` rows with versions below `before`. */
export interface HistoryOptions {
  readonly limit?: number;
  readonly before?: number;
}

/** Result of a clean {@link StateStore.verifyAuditLog}. */
export interface AuditVerification {
  readonly instance: string;
  readonly rows: number;
  /** Hash of the newest row, `null` for an empty log: publish it elsewhere to detect a rollback of the whole log. */
  readonly head: string | null;
  /** Whether the head is sealed with an audit key (HMAC-SHA256); `false` for the unkeyed SHA-256 fallback. */
  readonly keyed: boolean;
  /** The version the sealed head names (equal to `rows`, or one less after a crash mid-write on files). */
  readonly sealedVersion: number;
}

/** Status of one deployment step. */
export type StepStatus = 'running' | 'succeeded' | 'failed' | 'skipped';

/** One step of a deployment; recording the same `(deploymentId, step)` again replaces it. */
export interface StepRecord {
  readonly deploymentId: string;
  readonly instance: string;
  readonly step: string;
  readonly status: StepStatus;
  /** Epoch milliseconds. */
  readonly startedAt: number;
  /** Epoch milliseconds, `null` while running. */
  readonly endedAt: number | null;
  readonly detail?: Readonly<Record<string, unknown>>;
}

/** A checkpoint without its payload. */
export interface CheckpointInfo {
  readonly id: string;
  readonly instance: string;
  /** Epoch milliseconds. */
  readonly createdAt: number;
  readonly encrypted: boolean;
}

/** Options of {@link StateStore.getCheckpoint}. */
export interface CheckpointReadOptions {
  /** The instance the caller will use it for: a checkpoint of another instance is `CheckpointNotFoundError`. */
  readonly instance?: string;
}

/** A verified checkpoint. */
export interface Checkpoint extends CheckpointInfo {
  readonly payload: unknown;
}

/** The error facts {@link StateStore.recordError} keeps (a `DiveError` has them all). */
export interface RecordableError {
  readonly _tag: string;
  readonly code: number;
  readonly severity: Severity;
  readonly message: string;
}

/** Where an error happened. */
export interface ErrorContext {
  readonly instance?: string;
  readonly deploymentId?: string;
  /** Epoch milliseconds; defaults to the store's clock. */
  readonly at?: number;
}

/** One stored error. */
export interface ErrorRecord {
  readonly tag: string;
  readonly code: number;
  readonly severity: Severity;
  readonly message: string;
  readonly instance: string | null;
  readonly deploymentId: string | null;
  readonly at: number;
}

/** Bucket width of {@link StateStore.errorAnalytics}. */
export type AnalyticsBucket = 'minute' | 'hour' | 'day';

/** Options of {@link StateStore.errorAnalytics}. */
export interface ErrorAnalyticsOptions {
  readonly instance?: string;
  /** Epoch milliseconds; only errors at or after it. */
  readonly since?: number;
  readonly bucket: AnalyticsBucket;
}

/** Error counts by code and severity over time. */
export interface ErrorAnalytics {
  readonly total: number;
  readonly byCode: readonly { readonly code: number; readonly tag: string; readonly count: number }[];
  readonly bySeverity: Readonly<Record<Severity, number>>;
  /** The five most frequent `(tag, message)` pairs. */
  readonly topCauses: readonly { readonly tag: string; readonly message: string; readonly count: number }[];
  /** Counts per bucket, oldest first; `start` is epoch milliseconds. */
  readonly buckets: readonly { readonly start: number; readonly count: number }[];
  /** Second half of the buckets against the first half. */
  readonly trend: 'rising' | 'falling' | 'flat';
}

/** Options of {@link StateStore.recordStep}. */
export type StepInput = Omit<StepRecord, 'endedAt'> & { readonly endedAt?: number | null };

/** What changed in a store, as far as its notifier can tell (`other`: errors, checkpoints, or not known). */
export interface StateChange {
  readonly kind: 'transition' | 'step' | 'other';
  readonly instance?: string;
  readonly deploymentId?: string;
}

/** Options of {@link StateStore.onChange}. */
export interface WatchOptions {
  /**
   * File store: how often the directory is scanned when file watching is unavailable (default 500 ms; with file
   * watching working it is scanned 4 times less often, as a backstop for missed events).
   */
  readonly pollMs?: number;
}

/** A change subscription: dispose it to stop listening. */
export interface StateWatch extends AsyncDisposable {
  /** Resolves once listening (PostgreSQL: after LISTEN, or after the first failed attempt, which is retried). */
  readonly ready: Promise<void>;
  close(): Promise<void>;
}

/**
 * The deployment state store: one interface for PostgreSQL, files and memory.
 * Every method returns a `ResultAsync` and never throws or rejects.
 */
export interface StateStore extends AsyncDisposable {
  /**
   * Create or upgrade the schema: versioned, idempotent, safe when many processes migrate at once (a no-op for
   * files and memory).
   * @returns Ok with the migration versions this call applied; Err `MigrationError` | `StateStoreUnavailableError`
   */
  migrate(): ResultAsync<{ readonly applied: readonly number[] }, MigrateError>;
  /**
   * The current state of an instance (`UNKNOWN` at version 0 when never seen).
   * @param instance - the instance code
   * @returns Ok {@link InstanceState}; Err `StateStoreUnavailableError` | `StateCorruptError`
   */
  getState(instance: string): ResultAsync<InstanceState, ReadError>;
  /**
   * Every instance that has had a transition, sorted.
   * @returns Ok instance codes; Err `StateStoreUnavailableError` | `StateCorruptError`
   */
  instances(): ResultAsync<readonly string[], ReadError>;
  /**
   * Move an instance to `to` in one atomic write that appends the hash-chained audit row.
   * Throws `RangeError` for a negative or non-integer `fencingToken` / `expectedVersion` (a programmer error).
   * @param instance - the instance code
   * @param to - the wanted state
   * @param options - fencing token, optional expected version, reason, actor, deployment id, metadata
   * @returns Ok the {@link TransitionRecord} written; Err `InvalidTransitionError` (not a legal edge) |
   *   `ConcurrentModificationError` (version mismatch or lost race) | `StaleFencingTokenError` (older lock holder) |
   *   `StateStoreUnavailableError` | `StateCorruptError` (file store: unreadable state file)
   */
  transition(
    instance: string,
    to: DeploymentState,
    options: TransitionOptions,
  ): ResultAsync<TransitionRecord, TransitionError | StateCorruptError>;
  /**
   * Audit rows of an instance, newest first.
   * @param instance - the instance code
   * @param options - `limit` (default 100) and `before` (only versions below it)
   * @returns Ok the rows; Err `StateStoreUnavailableError` | `StateCorruptError`
   */
  history(instance: string, options?: HistoryOptions): ResultAsync<readonly TransitionRecord[], ReadError>;
  /**
   * Verify the instance's audit log: every link of the hash chain (versions gap-free, each `from` the previous
   * `to`, every hash) and the head, which the store keeps apart from the log sealed with the audit key
   * (HMAC-SHA256): an edited row, a deleted row and a truncated tail are all reported.
   * @param instance - the instance code
   * @returns Ok {@link AuditVerification} with the head hash to publish; Err `AuditLogTamperedError`
   *   (`context.reason`: `link` with `context.version` the first bad row, `unsealed`, `seal-mismatch`,
   *   `truncated`, `head-mismatch`, `unsealed-rows`) | `StateStoreUnavailableError` | `StateCorruptError`
   */
  verifyAuditLog(instance: string): ResultAsync<AuditVerification, VerifyError>;
  /**
   * Record (or replace) one step of a deployment.
   * @param step - deployment id, instance, step name, status, start and optional end time
   * @returns Ok the stored {@link StepRecord}; Err `StateStoreUnavailableError`
   */
  recordStep(step: StepInput): ResultAsync<StepRecord, StateStoreUnavailableError>;
  /**
   * The steps of a deployment, by start time.
   * @param deploymentId - the deployment
   * @returns Ok the steps; Err `StateStoreUnavailableError` | `StateCorruptError`
   */
  steps(deploymentId: string): ResultAsync<readonly StepRecord[], ReadError>;
  /**
   * Store a JSON payload as a checkpoint with a sha256 checksum, encrypted (AES-256-GCM) when a key is set.
   * @param instance - the instance code
   * @param payload - any JSON value
   * @returns Ok {@link CheckpointInfo}; Err `CheckpointKeyError` (malformed key) | `CheckpointTooLargeError` (above
   *   `checkpointMaxBytes`; nothing written) | `StateStoreUnavailableError`
   */
  createCheckpoint(
    instance: string,
    payload: unknown,
  ): ResultAsync<CheckpointInfo, CheckpointKeyError | CheckpointTooLargeError | StateStoreUnavailableError>;
  /**
   * Checkpoints of an instance, newest first (not verified: {@link StateStore.getCheckpoint} verifies).
   * @param instance - the instance code
   * @returns Ok the infos; Err `StateStoreUnavailableError`
   */
  listCheckpoints(instance: string): ResultAsync<readonly CheckpointInfo[], StateStoreUnavailableError>;
  /**
   * Read and verify one checkpoint; a corrupt one is never returned. With a key set, only checkpoints encrypted
   * with it are returned, and their id, instance and creation time are authenticated.
   * @param id - the checkpoint id
   * @param options - `instance`: refuse a checkpoint of any other instance (as not found)
   * @returns Ok {@link Checkpoint}; Err `CheckpointNotFoundError` (none, or of another instance) |
   *   `CheckpointCorruptError` | `CheckpointKeyError` (encrypted and no key, the wrong key, or moved/renamed) |
   *   `CheckpointUnauthenticatedError` (a key is set and it is plain text or the old format) |
   *   `CheckpointTooLargeError` (above `checkpointMaxBytes`; not read) |
   *   `StateStoreUnavailableError`
   */
  getCheckpoint(id: string, options?: CheckpointReadOptions): ResultAsync<Checkpoint, CheckpointReadError>;
  /**
   * Delete all but the newest `keep` checkpoints of an instance. Throws `RangeError` for a negative `keep`.
   * @param instance - the instance code
   * @param keep - how many to keep
   * @returns Ok the number deleted; Err `StateStoreUnavailableError`
   */
  pruneCheckpoints(instance: string, keep: number): ResultAsync<number, StateStoreUnavailableError>;
  /**
   * Keep an error for analytics.
   * @param error - a DiveError (or anything with `_tag`, `code`, `severity`, `message`)
   * @param context - instance, deployment id, time
   * @returns Ok the stored {@link ErrorRecord}; Err `StateStoreUnavailableError`
   */
  recordError(error: RecordableError, context?: ErrorContext): ResultAsync<ErrorRecord, StateStoreUnavailableError>;
  /**
   * Counts by code and severity over time, top causes and trend.
   * @param options - instance, since, bucket width
   * @returns Ok {@link ErrorAnalytics}; Err `StateStoreUnavailableError` | `StateCorruptError`
   */
  errorAnalytics(options: ErrorAnalyticsOptions): ResultAsync<ErrorAnalytics, ReadError>;
  /**
   * Replace the stored metrics snapshot (an opaque JSON document from @dive/metrics).
   * @param snapshot - any JSON value
   * @returns Ok; Err `StateStoreUnavailableError`
   */
  saveMetricsSnapshot(snapshot: unknown): ResultAsync<void, StateStoreUnavailableError>;
  /**
   * The stored metrics snapshot, `undefined` when none was saved.
   * @returns Ok the document; Err `StateStoreUnavailableError` | `StateCorruptError`
   */
  loadMetricsSnapshot(): ResultAsync<unknown, ReadError>;
  /**
   * The store's own id: random, made once and kept in the store (files: `<dir>/store-id`; PostgreSQL: a row of
   * `store_identity`; memory: one per store object). Runtimes label what they create with it, so that `down` and
   * the orphan sweep never touch what another store deployed on the same engine.
   * @returns Ok the id (32 hex digits); Err `StateStoreUnavailableError` | `StateCorruptError` (not an id)
   */
  storeId(): ResultAsync<string, ReadError>;
  /**
   * Listen for changes made by this or any other process: PostgreSQL through LISTEN/NOTIFY (each transition and step
   * notifies in its own transaction), files through file watching with a polling fallback, memory in-process. A
   * notification says something changed; read the store for what. Optional: wrappers and doubles may leave it out.
   * @param listener - called with each {@link StateChange} (several may be coalesced or repeated)
   * @param options - polling interval of the file store
   * @returns a {@link StateWatch} to dispose
   */
  onChange?(listener: (change: StateChange) => void, options?: WatchOptions): StateWatch;
  /** Release resources (ends the pool if the store created it). */
  close(): Promise<void>;
}

/** Options shared by every store. */
export interface CommonStoreOptions {
  /**
   * The SDK's one {@link Clock}: timestamps read its `now()` (epoch ms) and the file store's lock waits run on its
   * timers. Default `systemClock`; tests pass `createFakeClock()` from `@dive/errors/testing`.
   */
  readonly clock?: Clock;
  /**
   * HMAC-SHA256 key sealing the audit head (at least 32 bytes, or hex/base64 of them); default
   * `process.env.DIVE_AUDIT_KEY`, then `auditKeyFile`. Keep it outside the store. Without one: files use a
   * per-store key file (`<dir>/audit.key`, 0600), PostgreSQL an unkeyed SHA-256 seal (with a warning), memory a
   * random key. A malformed key throws `AuditKeyError` (6008) at construction.
   */
  readonly auditKey?: string | Uint8Array;
  /** A file holding the audit key (hex or base64), read at construction when `auditKey`/`DIVE_AUDIT_KEY` are unset. */
  readonly auditKeyFile?: string;
  /** Start-up findings that are not errors (loose file modes, an unkeyed audit log). Default: a `DiveWarning`. */
  readonly onWarning?: (warning: StoreWarning) => void;
  /**
   * AES-256-GCM key for checkpoints (32 bytes, or base64/hex of them); default `process.env.DIVE_CHECKPOINT_KEY`;
   * `''` for none. With a key, plain-text and old-format checkpoints are refused on read.
   */
  readonly checkpointKey?: string | Uint8Array;
  /**
   * Largest checkpoint written or read, in bytes as stored (after encryption). Default
   * {@link CHECKPOINT_MAX_BYTES} (16 MiB). Above it: `CheckpointTooLargeError` (7006), and nothing is written.
   */
  readonly checkpointMaxBytes?: number;
}
