import type { ResultAsync } from 'neverthrow';
import type { StateCorruptError, StateStoreUnavailableError } from '../errors.js';

/** Where a fleet run stands. `HALTED`: a gate failed (or a wave failed) and the run stopped by its policy. */
export type FleetRunState = 'RUNNING' | 'PAUSED' | 'COMPLETE' | 'FAILED' | 'HALTED';

/** The fleet run states, as a list. */
export const FLEET_RUN_STATES = [
  'RUNNING',
  'PAUSED',
  'COMPLETE',
  'FAILED',
  'HALTED',
] as const satisfies readonly FleetRunState[];

/**
 * Where one instance of a fleet run stands. `PAUSED`: its deployment stopped starting services because the fleet was
 * paused (a resume deploys it again, keeping what already runs); `ROLLED_BACK`: its wave's gate failed and it was
 * rolled back; `UNREACHABLE`: its runtime or store could not be reached.
 */
export type FleetInstanceStatus =
  'PENDING' | 'DEPLOYING' | 'COMPLETE' | 'FAILED' | 'PAUSED' | 'ROLLED_BACK' | 'UNREACHABLE';

/** Where one gate of a fleet run stands. `WAITING`: being checked (an approval: waiting for `approve`). */
export type FleetGateStatus = 'PENDING' | 'WAITING' | 'PASSED' | 'FAILED';

/** A short, serialisable error in a fleet record. */
export interface FleetRecordError {
  readonly tag: string;
  readonly code: number;
  readonly message: string;
}

/** One instance within a fleet run. */
export interface FleetInstanceRecord {
  readonly instance: string;
  /** Index of its wave (0-based). */
  readonly wave: number;
  readonly status: FleetInstanceStatus;
  /** The deployment that last acted on it within this run. */
  readonly deploymentId?: string;
  readonly error?: FleetRecordError;
  /** Epoch ms of the last change. */
  readonly updatedAt: number;
}

/** One gate within a fleet run (`wave-1`, …, `final`). */
export interface FleetGateRecord {
  readonly gate: string;
  readonly status: FleetGateStatus;
  /** What the gate found (the failed check, the timeout), never a secret. */
  readonly detail?: string;
  readonly updatedAt: number;
}

/** An approval given to a gate of a run. */
export interface FleetApproval {
  readonly gate: string;
  readonly by: string;
  readonly at: number;
}

/** One run of a fleet: its state, every instance's status, every gate's status and the approvals given. */
export interface FleetRun {
  readonly id: string;
  readonly fleet: string;
  readonly state: FleetRunState;
  /** Why it is in its state (the failed gate, the failed instance), when it says. */
  readonly reason?: string;
  readonly startedAt: number;
  readonly updatedAt: number;
  /** Sorted by instance. */
  readonly instances: readonly FleetInstanceRecord[];
  /** Sorted by gate. */
  readonly gates: readonly FleetGateRecord[];
  /** Sorted by gate. */
  readonly approvals: readonly FleetApproval[];
}

/** What a new run starts with: every instance `PENDING` in its wave. */
export interface NewFleetRun {
  readonly id: string;
  readonly fleet: string;
  readonly startedAt: number;
  readonly instances: readonly { readonly instance: string; readonly wave: number }[];
}

/** The pause flag of a fleet: set by `pause` from any process, cleared by `resume`. */
export interface FleetPause {
  readonly fleet: string;
  readonly paused: boolean;
  /** Who set or cleared it last, and when (absent when never set). */
  readonly by?: string;
  readonly at?: number;
}

/** An update of one instance of a run. */
export interface FleetInstanceUpdate {
  readonly status: FleetInstanceStatus;
  readonly at: number;
  readonly deploymentId?: string;
  /** Set it, or clear it with `null`; left as it was when absent. */
  readonly error?: FleetRecordError | null;
}

/** Errors of the fleet store's calls. */
export type FleetStoreError = StateStoreUnavailableError | StateCorruptError;

/**
 * The fleet's own record beside the state store: fleet runs with each instance's and gate's status, approvals,
 * and a pause flag per fleet. PostgreSQL (shared by every host of a fleet), files (one host) and memory (tests)
 * pass one contract suite. Writes to a run that does not exist answer `Ok(false)`.
 */
export interface FleetStore {
  /** Record a new run, `RUNNING`, every instance `PENDING`. */
  createRun(run: NewFleetRun): ResultAsync<FleetRun, FleetStoreError>;
  /** One run, or `undefined`. */
  getRun(id: string): ResultAsync<FleetRun | undefined, FleetStoreError>;
  /** The newest run of a fleet (by start time), or `undefined`. */
  latestRun(fleet: string): ResultAsync<FleetRun | undefined, FleetStoreError>;
  /** Runs of a fleet, newest first (default limit 20). */
  listRuns(fleet: string, options?: { readonly limit?: number }): ResultAsync<readonly FleetRun[], FleetStoreError>;
  /** Set a run's state (and its reason: `null` clears it). */
  setRunState(
    id: string,
    state: FleetRunState,
    options: { readonly at: number; readonly reason?: string | null },
  ): ResultAsync<boolean, FleetStoreError>;
  /** Set an instance's status within a run (an instance not in the run is added). */
  setInstance(id: string, instance: string, update: FleetInstanceUpdate): ResultAsync<boolean, FleetStoreError>;
  /** Set a gate's status within a run. */
  setGate(
    id: string,
    gate: string,
    update: { readonly status: FleetGateStatus; readonly at: number; readonly detail?: string },
  ): ResultAsync<boolean, FleetStoreError>;
  /** Approve a gate of a run (the first approval of a gate is kept). */
  approve(
    id: string,
    gate: string,
    approval: { readonly by: string; readonly at: number },
  ): ResultAsync<boolean, FleetStoreError>;
  /** Set or clear a fleet's pause flag. */
  setPaused(
    fleet: string,
    paused: boolean,
    options: { readonly by: string; readonly at: number },
  ): ResultAsync<FleetPause, FleetStoreError>;
  /** A fleet's pause flag (not paused when never set). */
  getPause(fleet: string): ResultAsync<FleetPause, FleetStoreError>;
}
