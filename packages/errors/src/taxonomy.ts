import type { Severity } from './severity.js';

/** The range an error code belongs to (its thousands digit). */
export type ErrorCategory =
  'configuration' | 'network' | 'container' | 'health' | 'lock' | 'state' | 'checkpoint' | 'operation';

/** One row of the taxonomy: a stable code, its tag, default severity and what to do about it. */
export interface TaxonomyEntry {
  readonly code: number;
  readonly tag: string;
  readonly category: ErrorCategory;
  readonly severity: Severity;
  /** One line: what happened, in general terms. */
  readonly summary: string;
  /** What a person can do about it. */
  readonly remediation: string;
}

const entry = <const Tag extends string>(
  code: number,
  tag: Tag,
  severity: Severity,
  summary: string,
  remediation: string,
) => ({ code, tag, severity, summary, remediation, category: categoryOfCode(code) }) as const;

/**
 * The error taxonomy of SPEC §6: every code the SDK can return. Codes are stable: they are part of the public
 * contract (scripts switch on them), so a code is never reused or renumbered, only added.
 *
 * Ranges: 1xxx configuration · 2xxx network · 3xxx container · 4xxx health · 5xxx locks · 6xxx state ·
 * 7xxx checkpoints and rollback · 8xxx the operation itself (cancelled, unexpected).
 */
export const TAXONOMY = Object.freeze([
  entry(
    1001,
    'ConfigMissingError',
    'CRITICAL',
    'A required configuration file or value is missing.',
    'Create the file or set the value; `dive plan` shows what is read.',
  ),
  entry(
    1002,
    'ConfigInvalidError',
    'CRITICAL',
    'Configuration is present but invalid.',
    'Fix the field named in the error; every problem is listed with its path.',
  ),
  entry(
    1003,
    'SecretUnavailableError',
    'CRITICAL',
    'A secret the topology needs is not available.',
    'Export the environment variable the secret is read from before deploying.',
  ),
  entry(
    1004,
    'DependencyCycleError',
    'CRITICAL',
    'Services depend on each other in a cycle.',
    'Break the cycle shown in the error by removing one of its dependsOn edges.',
  ),
  entry(
    1005,
    'UnknownDependencyError',
    'CRITICAL',
    'A service depends on a service that is not defined.',
    'Define the missing service or correct the name in dependsOn.',
  ),
  entry(
    1006,
    'GraphValidationError',
    'CRITICAL',
    'The dependency graph is invalid.',
    'Fix every problem listed in the error, then run `dive plan` again.',
  ),
  entry(
    1007,
    'UsageError',
    'CRITICAL',
    'A command or function was called with invalid arguments.',
    'Check the arguments against `--help` or the API reference.',
  ),
  entry(
    1008,
    'RuntimeMismatchError',
    'HIGH',
    'The runtime given does not match the one the instance was deployed with.',
    'Leave out --runtime (the recorded runtime is used) or give the runtime named in the error.',
  ),
  entry(
    2001,
    'TimeoutError',
    'HIGH',
    'An operation did not finish in time.',
    'Raise the timeout if the target is slow, or check why it does not answer.',
  ),
  entry(
    2002,
    'NetworkUnreachableError',
    'HIGH',
    'A network endpoint refused or could not be reached.',
    'Check that the target is running and listening on the address and port named.',
  ),
  entry(
    2003,
    'DnsFailureError',
    'HIGH',
    'A host name could not be resolved.',
    'Check the host name, or use an IP address such as 127.0.0.1.',
  ),
  entry(
    2004,
    'ConnectionResetError',
    'HIGH',
    'A connection was closed by the other side.',
    'The peer restarted or crashed: check its logs; retrying usually helps.',
  ),
  entry(
    3001,
    'ContainerStartFailedError',
    'HIGH',
    'A service could not be started.',
    'Read the runtime error in the cause; check the image, command and ports.',
  ),
  entry(
    3002,
    'ContainerExitedError',
    'HIGH',
    'A service exited while it was expected to run.',
    'Read the last log lines in the error context to see why it stopped.',
  ),
  entry(
    3003,
    'ContainerOomError',
    'HIGH',
    'A service was killed for using too much memory.',
    'Raise the memory limit or reduce the service’s memory use.',
  ),
  entry(
    3004,
    'ImageMissingError',
    'CRITICAL',
    'A container image is not present on the engine.',
    'Build or load the image first (`docker build` / `docker load`); images are not pulled.',
  ),
  entry(
    3005,
    'RuntimeUnavailableError',
    'CRITICAL',
    'The container or process runtime cannot be reached.',
    'Start the Docker engine or check DOCKER_HOST; `dive health` tests the connection.',
  ),
  entry(
    3006,
    'ImageBuildFailedError',
    'HIGH',
    'A service’s image could not be built from its build context.',
    'Read the build output in the error context; fix the Dockerfile or the context and deploy again.',
  ),
  entry(
    4001,
    'HealthCheckFailedError',
    'HIGH',
    'A health check reported the service unhealthy.',
    'Read the check output in the error; the service started but does not work.',
  ),
  entry(
    4002,
    'DependencyUnhealthyError',
    'HIGH',
    'A service cannot start because a dependency is not healthy.',
    'Fix the dependency named in the error first.',
  ),
  entry(
    4003,
    'HealthTimeoutError',
    'HIGH',
    'A service did not become healthy before its deadline.',
    'Raise the start timeout or look at the last health outputs in the error.',
  ),
  entry(
    4004,
    'CircuitOpenError',
    'HIGH',
    'A circuit breaker is open: calls fail fast until the next probe.',
    'Wait until the next probe time in the error, or reset the breaker once the cause is fixed.',
  ),
  entry(
    4005,
    'GateFailedError',
    'HIGH',
    'A fleet gate did not pass (a check failed, an approval was not given in time).',
    'Read the failed check in the error (`dive fleet status`), fix its cause, then `dive fleet deploy` again.',
  ),
  entry(
    5001,
    'LockTimeoutError',
    'HIGH',
    'A lock was not acquired in time: another operation holds it.',
    'Wait for the other operation (`dive locks list` shows the holder) or raise --lock-timeout.',
  ),
  entry(
    5002,
    'LockLostError',
    'CRITICAL',
    'A held lock was lost (its session or file went away).',
    'Another process may now hold it; stop writing and start the operation again.',
  ),
  entry(
    5003,
    'StaleFencingTokenError',
    'CRITICAL',
    'A write carried a fencing token older than the current holder’s.',
    'This process lost its lock to a newer holder; stop and let the newer holder finish.',
  ),
  entry(
    5004,
    'LockStoreError',
    'CRITICAL',
    'The lock store could not be reached or used.',
    'Check the database or lock directory named in the error and its permissions.',
  ),
  entry(
    5005,
    'LockCorruptError',
    'HIGH',
    'A lock record could not be read.',
    'Inspect the lock file named in the error; remove it if no process holds the lock.',
  ),
  entry(
    5006,
    'LockReleaseForbiddenError',
    'MEDIUM',
    'A lock could not be force-released with the current permissions.',
    'Use a role with pg_signal_backend, or stop the holder process named in the error.',
  ),
  entry(
    6001,
    'StateStoreUnavailableError',
    'CRITICAL',
    'The state store cannot be reached.',
    'Check DIVE_STATE_URL / --state and that the database or directory is available.',
  ),
  entry(
    6002,
    'InvalidTransitionError',
    'CRITICAL',
    'A state transition is not allowed by the state machine.',
    'Run `dive status` to see the current state; the error lists the allowed next states.',
  ),
  entry(
    6003,
    'StateCorruptError',
    'CRITICAL',
    'Stored state failed its checksum or could not be parsed.',
    'Restore the file named in the error from its audit log or a backup; nothing was overwritten.',
  ),
  entry(
    6004,
    'ConcurrentModificationError',
    'HIGH',
    'The state changed since it was read.',
    'Read the state again and retry; another writer got there first.',
  ),
  entry(
    6005,
    'AuditLogTamperedError',
    'CRITICAL',
    'The audit log hash chain does not verify.',
    'Investigate the row named in the error; the log has been edited or truncated.',
  ),
  entry(
    6006,
    'MigrationError',
    'CRITICAL',
    'The state schema could not be created or upgraded.',
    'Run `dive db migrate` with a role that may create tables in the schema.',
  ),
  entry(
    6007,
    'MetricsSnapshotInvalidError',
    'MEDIUM',
    'A metrics snapshot could not be merged: bad JSON shape or a definition that conflicts.',
    'Discard the stored metrics snapshot named in the error; the in-memory metrics were left unchanged.',
  ),
  entry(
    6008,
    'AuditKeyError',
    'CRITICAL',
    'The audit key is malformed or its key file cannot be read or created.',
    'Set DIVE_AUDIT_KEY (at least 32 bytes, base64 or hex) or fix the key file named in the error (mode 0600).',
  ),
  entry(
    7001,
    'CheckpointNotFoundError',
    'HIGH',
    'The requested checkpoint does not exist.',
    'List checkpoints with `dive checkpoint list INSTANCE`.',
  ),
  entry(
    7002,
    'CheckpointCorruptError',
    'CRITICAL',
    'A checkpoint failed its checksum or could not be decrypted.',
    'Choose an older checkpoint; a corrupt one is never used.',
  ),
  entry(
    7003,
    'RollbackFailedError',
    'CRITICAL',
    'A rollback did not complete.',
    'Read the failed step in the error; fix it and run `dive rollback` again.',
  ),
  entry(
    7004,
    'CheckpointKeyError',
    'CRITICAL',
    'The checkpoint encryption key is missing or invalid.',
    'Set DIVE_CHECKPOINT_KEY to the 32-byte key (base64 or hex) the checkpoints were written with.',
  ),
  entry(
    7005,
    'CheckpointUnauthenticatedError',
    'CRITICAL',
    'A checkpoint is not authenticated by the checkpoint key: stored in plain text, or in the old format.',
    'Use a checkpoint written with the key (the next deployment takes one); a plain one cannot be told from a planted one.',
  ),
  entry(
    7006,
    'CheckpointTooLargeError',
    'HIGH',
    'A checkpoint is larger than the store accepts (checkpointMaxBytes); it was not written, or not read.',
    'Keep large data out of the topology (mount files instead), or raise checkpointMaxBytes on every process using the store.',
  ),
  entry(
    8001,
    'UnexpectedError',
    'HIGH',
    'An unexpected error was thrown.',
    'This is likely a bug: report it with the cause and context shown.',
  ),
  entry(
    8002,
    'CancelledError',
    'HIGH',
    'The operation was cancelled.',
    'It was stopped on request (signal or Ctrl-C); run it again when ready.',
  ),
  entry(
    8003,
    'RiskTooHighError',
    'HIGH',
    'The estimated failure risk of a deployment is above the allowed maximum; nothing was changed.',
    'Read the risk factors in the error (`dive plan` shows them), fix the worst, or raise maxRisk.',
  ),
] as const);

/** Every tag in the taxonomy. */
export type ErrorTag = (typeof TAXONOMY)[number]['tag'];

/** Every code in the taxonomy. */
export type ErrorCode = (typeof TAXONOMY)[number]['code'];

const byCode = new Map<number, TaxonomyEntry>(TAXONOMY.map((e) => [e.code, e]));
const byTag = new Map<string, TaxonomyEntry>(TAXONOMY.map((e) => [e.tag, e]));

/**
 * Look an error code up in the taxonomy.
 * @param code - a numeric code such as `5001`
 * @returns the entry, or `undefined` when the code is not in the taxonomy
 */
export function lookupCode(code: number): TaxonomyEntry | undefined {
  return byCode.get(code);
}

/**
 * Look an error tag up in the taxonomy.
 * @param tag - a tag such as `'LockTimeoutError'`
 * @returns the entry, or `undefined` when the tag is not in the taxonomy
 */
export function lookupTag(tag: string): TaxonomyEntry | undefined {
  return byTag.get(tag);
}

/** The category of a code by its thousands digit. */
export function categoryOfCode(code: number): ErrorCategory {
  switch (Math.floor(code / 1000)) {
    case 1:
      return 'configuration';
    case 2:
      return 'network';
    case 3:
      return 'container';
    case 4:
      return 'health';
    case 5:
      return 'lock';
    case 6:
      return 'state';
    case 7:
      return 'checkpoint';
    default:
      return 'operation';
  }
}
