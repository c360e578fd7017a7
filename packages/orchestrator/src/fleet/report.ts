import type { DiveErrorJSON } from '@dive/errors';
import type { FleetInstanceStatus, FleetRunState } from '@dive/state-db';
import type { ExitCode } from '../cli/exit-codes.js';
import type { DeployEvent } from '../events.js';
import type { DeploymentReport, RollbackReport } from '../report.js';

/** One check of a gate, as it ended. */
export interface GateCheckResult {
  readonly kind: 'http' | 'tcp' | 'command' | 'metric' | 'approval';
  readonly passed: boolean;
  /** What it found last (`HTTP 503`, `connect ECONNREFUSED`, `approved by ops@host`, `3 errors in 12 starts`). */
  readonly detail: string;
}

/** How a gate ended. */
export interface GateResult {
  /** `wave-1`, `wave-2`, … (1-based, like `dive fleet status`), or `final`. */
  readonly gate: string;
  readonly passed: boolean;
  readonly checks: readonly GateCheckResult[];
  readonly durationMs: number;
  /** `GateFailedError` (4005) or `TimeoutError` (2001), when it failed. */
  readonly error?: DiveErrorJSON;
}

/** How one instance ended in a fleet run. */
export interface FleetInstanceResult {
  readonly instance: string;
  /** 0-based index of its wave. */
  readonly wave: number;
  readonly status: FleetInstanceStatus;
  /** Deployed (and COMPLETE) by an earlier run of this fleet run: not deployed again. */
  readonly skipped?: boolean;
  /** Its deployment's report, when it was deployed in this process. */
  readonly report?: DeploymentReport;
  /** What the wave's rollback did to it. */
  readonly rollback?: RollbackReport;
  /** Why it failed: the deployment's error, or the Err that kept it from beginning. */
  readonly error?: DiveErrorJSON;
  /** What `dive deploy` of this instance alone would have exited with (4: its Docker host is unreachable). */
  readonly exitCode: ExitCode;
}

/** How one wave ended. */
export interface FleetWaveResult {
  readonly index: number;
  readonly instances: readonly string[];
  readonly status: 'COMPLETE' | 'FAILED' | 'ROLLED_BACK' | 'PAUSED' | 'NOT_STARTED';
  readonly gate?: GateResult;
}

/** A write (or read) of the fleet's record that failed, during one run. */
export interface FleetRecordFailure {
  /** What was written or read: `recording EST COMPLETE`, `recording gate wave-2`, `reading the pause flag`. */
  readonly what: string;
  /** How many times it failed. */
  readonly times: number;
  /** The last error (`StateStoreUnavailableError`, `StateCorruptError`). */
  readonly error: DiveErrorJSON;
}

/** The outcome of `orchestrateFleet()`. */
export interface FleetReport {
  readonly runId: string;
  readonly fleet: string;
  /** `COMPLETE`; `HALTED` (a gate failed); `FAILED` (an instance failed); `PAUSED` is never returned (a run waits). */
  readonly state: FleetRunState;
  readonly success: boolean;
  /** This run continued an earlier one that did not finish. */
  readonly resumed: boolean;
  readonly reason?: string;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly instances: readonly FleetInstanceResult[];
  readonly waves: readonly FleetWaveResult[];
  readonly finalGate?: GateResult;
  /**
   * Writes (and reads) of the fleet's record that failed — an instance's or a gate's status, the run's state, the
   * pause flag — one entry per kind with how many times and the last error; absent when none failed. Each was also
   * logged. The run went on, so the record in the store may lag this report (a resume reads the record).
   */
  readonly recordFailures?: readonly FleetRecordFailure[];
  /** What `dive fleet deploy` exits with: 0, 1 (a gate or an instance failed), 4 (a host or store unreachable), 130. */
  readonly exitCode: ExitCode;
}

/** Progress of a fleet run, delivered to `onEvent` in order. Discriminate on `type`. */
export type FleetEvent = { readonly at: number; readonly fleet: string; readonly runId: string } & (
  | { readonly type: 'fleet-started'; readonly resumed: boolean; readonly waves: number }
  | { readonly type: 'wave-started'; readonly wave: number; readonly instances: readonly string[] }
  | { readonly type: 'wave-finished'; readonly wave: number; readonly status: FleetWaveResult['status'] }
  | { readonly type: 'instance-skipped'; readonly instance: string; readonly wave: number }
  | { readonly type: 'instance-started'; readonly instance: string; readonly wave: number }
  | {
      readonly type: 'instance-finished';
      readonly instance: string;
      readonly wave: number;
      readonly status: FleetInstanceStatus;
      readonly exitCode: ExitCode;
    }
  | { readonly type: 'instance-rolled-back'; readonly instance: string; readonly wave: number; readonly ok: boolean }
  | { readonly type: 'gate-started'; readonly gate: string; readonly checks: readonly GateCheckResult['kind'][] }
  | { readonly type: 'gate-waiting'; readonly gate: string; readonly detail: string }
  | { readonly type: 'gate-finished'; readonly gate: string; readonly passed: boolean; readonly detail: string }
  | { readonly type: 'fleet-paused'; readonly by?: string }
  | { readonly type: 'fleet-resumed'; readonly by?: string }
  | { readonly type: 'fleet-finished'; readonly state: FleetRunState; readonly reason?: string }
  | { readonly type: 'deploy'; readonly instance: string; readonly event: DeployEvent }
);
