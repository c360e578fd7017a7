import type { DiveError } from '@dive/errors';
import type { ResultAsync } from 'neverthrow';
import type { DeploymentStateName } from '../events.js';
import type { EnvFileSecret } from './env-file-secrets.js';
import type { HealthCheckSpec, RetrySpec, BreakerSpec } from '../topology/types.js';
import type { ServiceHandle } from '../runtime/types.js';
import type { Runtime } from '../runtime/types.js';

/**
 * The narrow interfaces the engine is written against. Adapters in `../adapters/` connect them to
 * @dive/state-db, @dive/locks, @dive/circuit-breaker and @dive/health; tests can pass their own.
 */

/** An instance's current state as the engine needs it. */
export interface InstanceState {
  readonly state: DeploymentStateName;
  readonly version: number;
  readonly deploymentId?: string;
  readonly updatedAt?: string;
}

/** A checkpoint as the engine writes and reads it. */
export interface CheckpointPayload {
  readonly deploymentId: string;
  readonly takenAt: string;
  /** The state the instance was in when the checkpoint was taken. */
  readonly state: DeploymentStateName;
  /** The services that ran then, by name: spec (secret references, never values), hash and handle. */
  readonly services: Readonly<
    Record<string, { readonly configHash: string; readonly handle: ServiceHandle; readonly spec: unknown }>
  >;
  /** The topology that was deployed then (secret references only). */
  readonly topology?: unknown;
  /**
   * Stored only: the variables written `${NAME}` in `topology` and the specs instead of their values (every literal
   * `$` is then `$$`); they are read again from the environment when the checkpoint is read.
   */
  readonly secretVariables?: readonly string[];
  /**
   * Stored only: the Compose `env_file`s whose values are written `${DIVE_ENV_FILE_<n>_<NAME>}` instead (see
   * `envFilePlaceholders`); the files are read again when the checkpoint is read.
   */
  readonly secretEnvFiles?: readonly EnvFileSecret[];
}

/** The state store, as the engine uses it. */
export interface EngineState {
  getState(instance: string): ResultAsync<InstanceState, DiveError>;
  transition(
    instance: string,
    to: DeploymentStateName,
    options: {
      readonly expectedVersion?: number;
      readonly fencingToken: number;
      readonly reason: string;
      readonly actor: string;
      readonly deploymentId: string;
      readonly metadata?: Record<string, unknown>;
    },
  ): ResultAsync<InstanceState, DiveError>;
  createCheckpoint(instance: string, payload: CheckpointPayload): ResultAsync<string, DiveError>;
  getCheckpoint(id: string): ResultAsync<CheckpointPayload, DiveError>;
  /** Delete all but the newest `keep` checkpoints of an instance; Ok the number deleted. */
  pruneCheckpoints(instance: string, keep: number): ResultAsync<number, DiveError>;
  /** Newest first. */
  listCheckpoints(
    instance: string,
  ): ResultAsync<
    readonly { readonly id: string; readonly createdAt: string; readonly state: DeploymentStateName }[],
    DiveError
  >;
  recordStep(step: {
    readonly deploymentId: string;
    readonly instance: string;
    readonly name: string;
    readonly status: 'started' | 'succeeded' | 'failed';
    readonly startedAt: string;
    readonly endedAt?: string;
    readonly detail?: Record<string, unknown>;
  }): ResultAsync<void, DiveError>;
  /**
   * Verify the instance's audit log (every link and the sealed head). Optional: a store without one is not checked.
   * Ok the head hash (`null` for an empty log); Err `AuditLogTamperedError` (`context.reason` says what broke).
   */
  verifyAuditLog?(instance: string): ResultAsync<{ readonly head: string | null; readonly rows: number }, DiveError>;
  recordError(
    error: DiveError,
    context: { readonly instance: string; readonly deploymentId: string; readonly service?: string },
  ): ResultAsync<void, DiveError>;
}

/** A held lock. */
export interface LockLease {
  readonly fencingToken: number;
  readonly isHeld: boolean;
  onLost(listener: (error: DiveError) => void): { [Symbol.dispose](): void };
  release(): ResultAsync<void, DiveError>;
}

/** The lock manager, as the engine uses it. */
export interface EngineLocks {
  acquire(
    type: string,
    resource: string,
    options: { readonly timeoutMs: number; readonly signal?: AbortSignal },
  ): ResultAsync<LockLease, DiveError>;
}

/** Retries and a circuit breaker around one service's start. */
export interface StartPolicy {
  /**
   * Run `attempt` until it succeeds or the service's retry policy gives up, behind the service's breaker.
   * `onRetry` is told before each wait.
   */
  run<T>(
    key: string,
    retry: RetrySpec,
    breaker: BreakerSpec,
    attempt: (n: number, signal: AbortSignal | undefined) => ResultAsync<T, DiveError>,
    options: {
      readonly signal?: AbortSignal;
      readonly onRetry?: (info: {
        readonly attempt: number;
        readonly delayMs: number;
        readonly error: DiveError;
      }) => void;
    },
  ): ResultAsync<T, DiveError>;
  /** Names of open breakers (for the SPEC §6 "five open circuits" rollback rule and the risk estimate). */
  openBreakers(): readonly string[];
  breakerCount(): number;
}

/** Waits until a started service is healthy (or a job completed). */
export interface HealthWaiter {
  wait(
    runtime: Runtime,
    handle: ServiceHandle,
    checks: readonly HealthCheckSpec[],
    options: { readonly deadlineMs: number; readonly signal?: AbortSignal; readonly kind: 'service' | 'job' },
  ): ResultAsync<'healthy' | 'completed', DiveError>;
}
