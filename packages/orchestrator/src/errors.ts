import { UnexpectedError, type DiveError, type ErrorTag, type TaggedDiveError } from '@dive/errors';

/**
 * The closed error unions of the orchestrator's operations. Each is a union of taxonomy tags: `switch (e._tag)`
 * over one of them is exhaustive. A port (a custom Runtime, say) that answers with an error outside the union of
 * the operation is reported as `UnexpectedError` with that error as its `cause`, so the union stays closed.
 */

/** A DiveError of one of the tags `T` (distributes over a union of tags). */
export type DiveErrorOf<T extends ErrorTag> = T extends unknown ? TaggedDiveError<T> : never;

/** Topology and configuration problems, found before anything runs. */
export type ConfigErrorTag =
  | 'ConfigInvalidError'
  | 'ConfigMissingError'
  | 'GraphValidationError'
  | 'DependencyCycleError'
  | 'UnknownDependencyError'
  | 'SecretUnavailableError';

/** The tags of `ConfigErrorTag`, as a list. */
export const CONFIG_ERROR_TAGS = [
  'ConfigInvalidError',
  'ConfigMissingError',
  'GraphValidationError',
  'DependencyCycleError',
  'UnknownDependencyError',
  'SecretUnavailableError',
] as const satisfies readonly ConfigErrorTag[];

/** What a lock manager answers with. */
export type LockErrorTag =
  | 'LockTimeoutError'
  | 'LockLostError'
  | 'StaleFencingTokenError'
  | 'LockStoreError'
  | 'LockCorruptError'
  | 'LockReleaseForbiddenError';

/** The tags of `LockErrorTag`, as a list. */
export const LOCK_ERROR_TAGS = [
  'LockTimeoutError',
  'LockLostError',
  'StaleFencingTokenError',
  'LockStoreError',
  'LockCorruptError',
  'LockReleaseForbiddenError',
] as const satisfies readonly LockErrorTag[];

/** What the state store answers with. */
export type StateErrorTag =
  | 'StateStoreUnavailableError'
  | 'InvalidTransitionError'
  | 'StateCorruptError'
  | 'ConcurrentModificationError'
  | 'AuditLogTamperedError'
  | 'MigrationError'
  | 'CheckpointNotFoundError'
  | 'CheckpointCorruptError'
  | 'CheckpointKeyError'
  | 'CheckpointTooLargeError';

/** The tags of `StateErrorTag`, as a list. */
export const STATE_ERROR_TAGS = [
  'StateStoreUnavailableError',
  'InvalidTransitionError',
  'StateCorruptError',
  'ConcurrentModificationError',
  'AuditLogTamperedError',
  'MigrationError',
  'CheckpointNotFoundError',
  'CheckpointCorruptError',
  'CheckpointKeyError',
  'CheckpointTooLargeError',
] as const satisfies readonly StateErrorTag[];

/**
 * What a runtime (and a health wait on it) answers with. The two config tags are input a runtime refuses when it
 * reads it: a missing or unreadable build context, a missing external network or volume.
 */
export type RuntimeErrorTag =
  | 'ConfigMissingError'
  | 'ConfigInvalidError'
  | 'ContainerStartFailedError'
  | 'ContainerExitedError'
  | 'ContainerOomError'
  | 'ImageMissingError'
  | 'ImageBuildFailedError'
  | 'RuntimeUnavailableError'
  | 'HealthCheckFailedError'
  | 'HealthTimeoutError'
  | 'CircuitOpenError'
  | 'NetworkUnreachableError'
  | 'DnsFailureError'
  | 'ConnectionResetError';

/** The tags of `RuntimeErrorTag`, as a list. */
export const RUNTIME_ERROR_TAGS = [
  'ConfigMissingError',
  'ConfigInvalidError',
  'ContainerStartFailedError',
  'ContainerExitedError',
  'ContainerOomError',
  'ImageMissingError',
  'ImageBuildFailedError',
  'RuntimeUnavailableError',
  'HealthCheckFailedError',
  'HealthTimeoutError',
  'CircuitOpenError',
  'NetworkUnreachableError',
  'DnsFailureError',
  'ConnectionResetError',
] as const satisfies readonly RuntimeErrorTag[];

/** Every bounded call may end so: its deadline passed, the operation was cancelled, or the port broke its contract. */
export type BoundErrorTag = 'TimeoutError' | 'CancelledError' | 'UnexpectedError';

/** The tags of `BoundErrorTag`, as a list. */
export const BOUND_ERROR_TAGS = [
  'TimeoutError',
  'CancelledError',
  'UnexpectedError',
] as const satisfies readonly BoundErrorTag[];

/** An error of the lock manager, or of its bounded call. */
export type LockError = DiveErrorOf<LockErrorTag | BoundErrorTag>;
/** An error of the state store, or of its bounded call. */
export type StateError = DiveErrorOf<StateErrorTag | BoundErrorTag>;
/** An error of the runtime, or of its bounded call. */
export type RuntimeError = DiveErrorOf<RuntimeErrorTag | BoundErrorTag>;

/**
 * Errors of `orchestrate()`: the deployment could not begin. A deployment that ran and failed is an Ok report.
 * Configuration (`ConfigInvalidError`, `GraphValidationError`, `SecretUnavailableError`, …), the lock
 * (`LockTimeoutError`, `LockStoreError`, …), the store (`StateStoreUnavailableError`, `InvalidTransitionError`, …),
 * the runtime's preflight (`RuntimeUnavailableError`, `ImageMissingError`, …), `RiskTooHighError`, and the bounds
 * (`TimeoutError`, `CancelledError`, `UnexpectedError`).
 */
export type OrchestrateError = DiveErrorOf<
  ConfigErrorTag | LockErrorTag | StateErrorTag | RuntimeErrorTag | 'RiskTooHighError' | BoundErrorTag
>;

/** Errors of `down()`: lock, store, runtime (a stop that failed), bounds. */
export type DownError = LockError | StateError | RuntimeError;

/**
 * Errors of `rollback()`: lock, store (`CheckpointNotFoundError`, `CheckpointCorruptError`, …), bounds, and
 * `SecretUnavailableError` (a variable the checkpoint keeps as `${NAME}` is not set now).
 */
export type RollbackError = LockError | StateError | DiveErrorOf<'SecretUnavailableError'>;

/** Errors of `status()`: store, runtime, bounds. */
export type StatusError = StateError | RuntimeError;

/** Errors of `plan()`: configuration, store, runtime, bounds. */
export type PlanError = DiveErrorOf<ConfigErrorTag> | StateError | RuntimeError;

/** Tag lists of each operation, for {@link closeUnion}. */
export const OPERATION_ERROR_TAGS = {
  orchestrate: [
    ...CONFIG_ERROR_TAGS,
    ...LOCK_ERROR_TAGS,
    ...STATE_ERROR_TAGS,
    ...RUNTIME_ERROR_TAGS,
    'RiskTooHighError',
    ...BOUND_ERROR_TAGS,
  ],
  down: [...LOCK_ERROR_TAGS, ...STATE_ERROR_TAGS, ...RUNTIME_ERROR_TAGS, ...BOUND_ERROR_TAGS],
  rollback: [...LOCK_ERROR_TAGS, ...STATE_ERROR_TAGS, 'SecretUnavailableError', ...BOUND_ERROR_TAGS],
  status: [...STATE_ERROR_TAGS, ...RUNTIME_ERROR_TAGS, ...BOUND_ERROR_TAGS],
  plan: [...CONFIG_ERROR_TAGS, ...STATE_ERROR_TAGS, ...RUNTIME_ERROR_TAGS, ...BOUND_ERROR_TAGS],
  lock: [...LOCK_ERROR_TAGS, ...BOUND_ERROR_TAGS],
  state: [...STATE_ERROR_TAGS, ...BOUND_ERROR_TAGS],
  runtime: [...RUNTIME_ERROR_TAGS, ...BOUND_ERROR_TAGS],
} as const;

/**
 * Keep `error` when its tag is one of `tags`; otherwise report it as `UnexpectedError` (its cause), so a closed
 * union stays closed whatever a port answered with.
 */
export function closeUnion<const T extends readonly ErrorTag[]>(
  tags: T,
  error: DiveError,
): DiveErrorOf<T[number] | 'UnexpectedError'> {
  if ((tags as readonly string[]).includes(error._tag)) return error as DiveErrorOf<T[number]>;
  return new UnexpectedError(`unexpected ${error._tag}: ${error.message}`, {
    cause: error,
    context: { tag: error._tag, code: error.code, ...error.context },
    severity: error.severity,
  });
}
