import { defineError, type DiveError } from '@dive/errors';
import { err, ok, type Result, ResultAsync } from 'neverthrow';
import type { StateBackend } from '../state.js';

/** 1008: the runtime given is not the one the instance was deployed with. */
export class RuntimeMismatchError extends defineError('RuntimeMismatchError') {}

/** How many audit rows are read back to find the last recorded runtime. */
const LOOKBACK = 50;

/**
 * The runtime an instance runs on, as recorded in its audit log: every state transition records the name of the
 * runtime that made it (`docker`, `process`, …); the newest one wins.
 *
 * @param state - the state backend
 * @param instance - the instance code
 * @returns Ok the runtime's name, or `undefined` when the instance has no recorded runtime (never deployed, or
 *   deployed by a version that did not record it); Err `StateStoreUnavailableError` or another read error
 */
export function recordedRuntime(state: StateBackend, instance: string): ResultAsync<string | undefined, DiveError> {
  return state.store.history(instance, { limit: LOOKBACK }).map((rows) => {
    for (const row of rows) {
      const runtime = row.metadata['runtime'];
      if (typeof runtime === 'string') return runtime;
    }
    return undefined;
  });
}

/**
 * Check that the runtime chosen for an instance is the recorded one: acting on another runtime would see none of
 * the instance's services and stop nothing.
 *
 * @param instance - the instance code
 * @param recorded - the recorded runtime (from {@link recordedRuntime}); `undefined` accepts any
 * @param chosen - the runtime about to be used
 * @returns Ok; Err `RuntimeMismatchError` (1008) naming both
 */
export function checkRuntime(
  instance: string,
  recorded: string | undefined,
  chosen: string,
): Result<void, RuntimeMismatchError> {
  if (recorded === undefined || recorded === chosen) return ok(undefined);
  return err(
    new RuntimeMismatchError(
      `${instance} was deployed with the ${recorded} runtime, not ${chosen}: acting with ${chosen} would find none of its services`,
      {
        context: { instance, recorded, chosen },
        remediation: `Leave out --runtime (the recorded ${recorded} runtime is used) or pass --runtime ${recorded}.`,
      },
    ),
  );
}
