import { defineError } from '@dive/errors';

/** The store cannot be reached (connection refused, server shut down, timeout, lock file unavailable). Code 6001. */
export class StateStoreUnavailableError extends defineError('StateStoreUnavailableError') {}
/** The wanted transition is not one of the eighteen legal edges from the current state. Code 6002. */
export class InvalidTransitionError extends defineError('InvalidTransitionError') {}
/** A stored state file or row does not match its checksum or cannot be parsed. Code 6003. */
export class StateCorruptError extends defineError('StateCorruptError') {}
/** `expectedVersion` did not match, or another writer won the race. Code 6004. */
export class ConcurrentModificationError extends defineError('ConcurrentModificationError') {}
/** The audit log hash chain is broken: a row was edited, forged or deleted. Code 6005. */
export class AuditLogTamperedError extends defineError('AuditLogTamperedError') {}
/** The audit key is malformed, or its key file cannot be read. Code 6008 (thrown at a store's construction). */
export class AuditKeyError extends defineError('AuditKeyError') {}
/** A schema migration failed. Code 6006. */
export class MigrationError extends defineError('MigrationError') {}
/** The fencing token is older than one the store already accepted for this instance. Code 5003. */
export class StaleFencingTokenError extends defineError('StaleFencingTokenError') {}
/** No checkpoint with that id. Code 7001. */
export class CheckpointNotFoundError extends defineError('CheckpointNotFoundError') {}
/** The checkpoint does not match its checksum or cannot be parsed; it is never used. Code 7002. */
export class CheckpointCorruptError extends defineError('CheckpointCorruptError') {}
/** The checkpoint encryption key is missing, malformed or wrong (or the checkpoint was moved or renamed). Code 7004. */
export class CheckpointKeyError extends defineError('CheckpointKeyError') {}
/**
 * A key is set but the checkpoint is not authenticated by it: stored in plain text (`context.reason: 'plaintext'`)
 * or in the old format that did not bind instance and time (`'legacy-format'`). Code 7005.
 */
export class CheckpointUnauthenticatedError extends defineError('CheckpointUnauthenticatedError') {}

/**
 * A checkpoint above the store's `checkpointMaxBytes`: refused before it is written (nothing stored changes), or
 * before it is read. Code 7006.
 */
export class CheckpointTooLargeError extends defineError('CheckpointTooLargeError') {}

/** Errors of {@link StateStore.transition}. */
export type TransitionError =
  InvalidTransitionError | ConcurrentModificationError | StaleFencingTokenError | StateStoreUnavailableError;

/** Errors of reads (`getState`, `history`, `instances`, `steps`…). */
export type ReadError = StateStoreUnavailableError | StateCorruptError;

/** Errors of `verifyAuditLog`. */
export type VerifyError = AuditLogTamperedError | StateStoreUnavailableError | StateCorruptError;

/** Errors of `getCheckpoint`. */
export type CheckpointReadError =
  | CheckpointNotFoundError
  | CheckpointCorruptError
  | CheckpointKeyError
  | CheckpointUnauthenticatedError
  | CheckpointTooLargeError
  | StateStoreUnavailableError;

/** Errors of `migrate`. */
export type MigrateError = MigrationError | StateStoreUnavailableError;
