import type { DiveError } from '@dive/errors';

/** The `dive` CLI's exit codes (SPEC §4). */
export const EXIT = {
  /** Success. */
  ok: 0,
  /** The deployment or operation failed. */
  failed: 1,
  /** Invalid usage, configuration or input. */
  usage: 2,
  /** A lock was not acquired in time: another operation holds it. */
  locked: 3,
  /** The state store or the container runtime cannot be reached, or the instance's audit log does not verify. */
  unreachable: 4,
  /** Interrupted (Ctrl-C). */
  interrupted: 130,
} as const;

/** One of {@link EXIT}'s values. */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

const USAGE = new Set([
  'ConfigMissingError',
  'ConfigInvalidError',
  'SecretUnavailableError',
  'DependencyCycleError',
  'UnknownDependencyError',
  'GraphValidationError',
  'UsageError',
  'RuntimeMismatchError',
  'CheckpointNotFoundError',
]);
const UNREACHABLE = new Set([
  'StateStoreUnavailableError',
  'LockStoreError',
  'RuntimeUnavailableError',
  'MigrationError',
  // The audit log of the instance does not verify: a state problem, so the deployment is refused before it writes.
  'AuditLogTamperedError',
]);

/** The exit code for an error that ended a command. */
export function exitCodeFor(error: DiveError): ExitCode {
  if (USAGE.has(error._tag)) return EXIT.usage;
  if (error._tag === 'LockTimeoutError') return EXIT.locked;
  if (UNREACHABLE.has(error._tag)) return EXIT.unreachable;
  if (error._tag === 'CancelledError') return EXIT.interrupted;
  return EXIT.failed;
}
