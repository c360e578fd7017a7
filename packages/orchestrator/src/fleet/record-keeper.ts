import type { Clock, DiveError } from '@dive/errors';
import type { FleetRunState, FleetStore } from '@dive/state-db';
import type { Logger } from '../logger.js';
import type { FleetRecordFailure } from './report.js';

/** How one run writes its own record: a failed write is logged and kept for the report, never fatal. @internal */
export interface RecordKeeper {
  /** A failed write (or read) of the fleet's record: logged, and counted for the report. */
  readonly failed: (what: string, error: DiveError) => void;
  /** Set the run's state (and reason); a failure is kept. */
  setRunState(state: FleetRunState, reason: string | null): Promise<void>;
  /** Set the run's state without awaiting it here (from a callback); {@link RecordKeeper.settle} awaits it. */
  launchRunState(state: FleetRunState): void;
  /** Await every launched write. */
  settle(): Promise<void>;
  /** The failures so far, one per kind of write; `undefined` when none. */
  failures(): readonly FleetRecordFailure[] | undefined;
}

/** The record keeper of run `runId`. @internal */
export function recordKeeper(fleets: FleetStore, runId: string, clock: Clock, logger: Logger): RecordKeeper {
  const failures = new Map<string, FleetRecordFailure>();
  const inFlight = new Set<Promise<void>>();
  const failed = (what: string, error: DiveError): void => {
    logger.warn({ err: error.toJSON() }, `${what} failed`);
    failures.set(what, { what, times: (failures.get(what)?.times ?? 0) + 1, error: error.toJSON() });
  };
  const setRunState = async (s: FleetRunState, reason: string | null): Promise<void> => {
    const r = await fleets.setRunState(runId, s, { at: clock.now(), reason });
    if (r.isErr()) failed(`recording the run ${s}`, r.error);
  };
  return {
    failed,
    setRunState,
    launchRunState: (s) => {
      const p = setRunState(s, null);
      inFlight.add(p);
      const done = (): void => {
        inFlight.delete(p);
      };
      p.then(done, done);
    },
    settle: async () => {
      while (inFlight.size > 0) await Promise.allSettled(inFlight);
    },
    failures: () => (failures.size === 0 ? undefined : [...failures.values()]),
  };
}
