import type { DiveError } from '@dive/errors';
import type { ResultAsync } from 'neverthrow';
import type { Logger } from '../logger.js';
import type { DeploymentReport, ServiceReport } from '../report.js';
import type { Topology } from '../topology/types.js';
import type { BestEffort } from './best-effort.js';
import type { EngineContext, EngineEvent } from './context.js';
import type { ResolvedTopology } from './resolve.js';
import type { StarterState } from './service-starter.js';
import type { Transitioner } from './transitions.js';

/** Options of one deployment. */
export interface DeployOptions {
  readonly concurrency?: number;
  readonly rollback: 'auto' | 'never';
  readonly schedule: 'ready' | 'levels';
  /** Open breakers that trigger a rollback (SPEC §6). Default 5. */
  readonly maxOpenBreakers?: number;
  /** Asked before each service start: `false` pauses the deployment (see `OrchestrateOptions.shouldStartNext`). */
  readonly shouldStartNext?: () => boolean;
}

/** What a deployment learns as it goes, read by the phases after the one that learnt it. */
export interface DeploymentFacts {
  /** Set when the deployment lock was lost: new starts stop, no rollback runs. */
  lostLock?: DiveError;
  /** An earlier deployment that died mid-way, closed by the recover phase. */
  interruptedPrevious?: DeploymentReport['interruptedPrevious'];
  /** The checkpoint of what ran before this deployment. */
  checkpointId?: string;
}

/**
 * One deployment in progress: what every phase reads (the guarded ports, the topology, the emitter) and the little
 * it writes (service reports, start tracking, facts). Made once the deployment lock is held.
 */
export interface Deployment {
  /** The engine context with guarded ports: every runtime and store call is bounded. */
  readonly ctx: EngineContext;
  readonly topology: Topology;
  readonly resolved: ResolvedTopology;
  readonly options: DeployOptions;
  readonly instance: string;
  readonly id: string;
  /** The clock reading when the deployment began, and the same as an ISO time. */
  readonly t0: number;
  readonly startedAt: string;
  readonly fencingToken: number;
  readonly log: Logger;
  /** Emits an event and records phases and services as steps. */
  readonly emit: (event: EngineEvent) => void;
  /** Aborted when the lock is lost or the caller cancels: no new start begins, runtime calls in flight end. */
  readonly signal: AbortSignal;
  readonly writes: BestEffort;
  readonly tx: Transitioner;
  readonly tracking: StarterState;
  readonly reports: Map<string, ServiceReport>;
  readonly facts: DeploymentFacts;
  /** Start a read-only probe now; it is awaited before the lock is released, whatever path returns. */
  readonly probe: <T extends ResultAsync<unknown, DiveError> | Promise<unknown>>(p: T) => T;
}
