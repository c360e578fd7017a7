import type { Clock } from '@dive/errors';
import type { Metrics } from '@dive/metrics';
import type { Registry } from 'prom-client';
import type { EnvFileSecret } from '../engine/env-file-secrets.js';
import type { DeployEvent } from '../events.js';
import type { Logger } from '../logger.js';
import type { Runtime } from '../runtime/types.js';
import type { StateBackend } from '../state.js';

/** Options every operation takes. */
export interface CommonOptions {
  /** Where services run. Default: `dockerRuntime()` when any service is a container, else `processRuntime()`. */
  readonly runtime?: Runtime;
  /** Where state and locks live. Default `fileState('.dive')`. */
  readonly state?: StateBackend;
  /** Cancel: no new service starts; the deployment is recorded as failed (`cancelled`) and rolled back. */
  readonly signal?: AbortSignal;
  /** A pino-compatible logger. Default: silent. */
  readonly logger?: Logger;
  /** Typed progress events, in order. */
  readonly onEvent?: (event: DeployEvent) => void;
  /** How long to wait for the instance's deployment lock. Default 30 000 ms. */
  readonly lockTimeoutMs?: number;
  /** Where secrets and `${VAR}`s are read from. Default `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
  /**
   * Names of further environment variables whose values are secret, besides the topology's `{ secret: NAME }`
   * references (the CLI passes those `${VAR}` interpolation put into the topology). Their values, read from `env`,
   * are replaced by `[REDACTED]` in events, logs, what is written to the store and the returned report. `down` and
   * `rollback` given neither this nor `secretEnvFiles` take both from the instance's newest checkpoints.
   */
  readonly secretVariables?: readonly string[];
  /**
   * The Compose `env_file` values that are secrets (`loadTopology`'s `envFiles`): redacted by value like
   * `secretVariables`, and kept in checkpoints as a reference to the file, read again on rollback.
   */
  readonly secretEnvFiles?: readonly EnvFileSecret[];
  /** Who is acting, recorded in the audit log. Default `user@host`. */
  readonly actor?: string;
  /** The time source of the engine, its deadlines, retries and breakers. Default the system clock. */
  readonly clock?: Clock;
  /**
   * Deadline of each runtime or store call that has none of its own (ping, list, status, a transition); a start
   * is bounded by the service's `startTimeoutMs`, a stop by its grace period plus this. Default 30 000 ms.
   */
  readonly callTimeoutMs?: number;
  /** Deadline of a whole rollback (automatic or `rollback()`). Default 600 000 ms. */
  readonly rollbackTimeoutMs?: number;
}

/** Options of `orchestrate()`. */
export interface OrchestrateOptions extends CommonOptions {
  /** A @dive/metrics instance, or a prom-client Registry to register the `dive_*` metrics on. */
  readonly metrics?: Metrics | Registry;
  /** Most services starting at once. Default unbounded. */
  readonly concurrency?: number;
  /** Roll back automatically on failure (default) or leave the failed deployment for inspection. */
  readonly rollback?: 'auto' | 'never';
  /** `ready` (default): each service as soon as its own dependencies are ready. `levels`: the seeds' way. */
  readonly schedule?: 'ready' | 'levels';
  /** Refuse to deploy when the estimated failure probability is above this (0..1). */
  readonly maxRisk?: number;
  /** Checkpoints kept per instance after a deployment completes (older ones are pruned). Default 20. */
  readonly keepCheckpoints?: number;
  /**
   * Asked before each service start; `false` pauses: starts in flight finish, nothing new starts, and the
   * deployment ends `FAILED` (`paused`) with `report.paused` and no rollback. Deploying again continues: running
   * unchanged services are kept. A fleet's pause uses it.
   */
  readonly shouldStartNext?: () => boolean;
}
