import type { DiveErrorJSON } from '@dive/errors';
import type { DeploymentStateName } from './events.js';

/** What happened to one service in a deployment. */
export interface ServiceReport {
  readonly name: string;
  readonly kind: 'service' | 'job';
  /** `unchanged`: already running healthy with the same config hash; `blocked`: a dependency failed first. */
  readonly status: 'healthy' | 'completed' | 'unchanged' | 'failed' | 'blocked' | 'not-started';
  /** Start attempts made (0 when unchanged or blocked). */
  readonly attempts: number;
  /** Milliseconds from deployment start to the first start call. */
  readonly startedAtMs?: number;
  /** Milliseconds from deployment start to healthy (or completed). */
  readonly healthyAtMs?: number;
  /** Start to healthy, in ms. */
  readonly durationMs?: number;
  readonly level: number;
  readonly error?: DiveErrorJSON;
}

/** What a rollback did. */
export interface RollbackReport {
  readonly strategy: RollbackStrategy;
  readonly reason: string;
  readonly checkpointId?: string;
  readonly removed: readonly string[];
  readonly restored: readonly string[];
  readonly finalState: DeploymentStateName;
  readonly error?: DiveErrorJSON;
}

/** Rollback strategies (the seeds'): stop services · restore config · recreate containers · everything. */
export type RollbackStrategy = 'stop' | 'config' | 'containers' | 'complete';

/** Every {@link RollbackStrategy}, in the order the docs describe them (the CLI's choices). */
export const ROLLBACK_STRATEGIES = [
  'stop',
  'config',
  'containers',
  'complete',
] as const satisfies readonly RollbackStrategy[];

/** The outcome of `orchestrate()`. */
export interface DeploymentReport {
  readonly deploymentId: string;
  readonly instance: string;
  /** `COMPLETE` on success; after a failure, the state the rollback left. */
  readonly status: DeploymentStateName;
  readonly success: boolean;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly fencingToken: number;
  readonly services: readonly ServiceReport[];
  readonly criticalPath: { readonly path: readonly string[]; readonly totalMs: number };
  readonly checkpointId?: string;
  readonly rollback?: RollbackReport;
  /** Why it failed, when it did. */
  readonly error?: DiveErrorJSON;
  readonly interruptedPrevious?: { readonly deploymentId?: string; readonly state: DeploymentStateName };
  /**
   * Best-effort writes that failed (a step record, an error record, an orphan's stop, the new generation's
   * checkpoint, pruning); absent when every one succeeded. Each was also logged and told as a `warning` event.
   */
  readonly bestEffortFailures?: readonly { readonly what: string; readonly error: DiveErrorJSON }[];
  readonly schedule: 'ready' | 'levels';
  /**
   * Set when `shouldStartNext` paused the deployment: the services started are left running (no rollback), the
   * instance is `FAILED` (`paused`), and deploying it again keeps them and starts only the rest.
   */
  readonly paused?: true;
}
