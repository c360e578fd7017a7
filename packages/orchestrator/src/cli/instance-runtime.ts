import type { DiveError } from '@dive/errors';
import { err, ok, type Result } from 'neverthrow';
import { checkRuntime, recordedRuntime, RuntimeMismatchError } from '../operations/recorded-runtime.js';
import type { Runtime } from '../runtime/types.js';
import type { StateBackend } from '../state.js';
import { runtimeFor } from './runtime-for.js';

const KNOWN = new Set(['docker', 'process']);

/**
 * The runtime of a command that acts on a deployed instance (`down`, `rollback`, `status INSTANCE`): the one
 * recorded in the instance's state when `--runtime` is not given (else `process`, for an instance with nothing
 * recorded); a `--runtime` that differs from the recorded one is an error, never a silent no-op.
 *
 * @param state - the state backend
 * @param instance - the instance (undefined: every instance, by `--runtime` or `process`)
 * @param flag - the `--runtime` value, if given (`auto` counts as not given)
 * @returns Ok the runtime; Err `RuntimeMismatchError` (1008), `UsageError` (a bad `--runtime`), state read errors
 */
export async function instanceRuntime(
  state: StateBackend,
  instance: string | undefined,
  flag: string | undefined,
): Promise<Result<Runtime | undefined, DiveError>> {
  const stateDir = state.kind === 'file' ? state.location : undefined;
  const given = flag === 'auto' ? undefined : flag;
  if (instance === undefined) return runtimeFor(given ?? 'process', undefined, stateDir);
  const recorded = await recordedRuntime(state, instance);
  if (recorded.isErr()) return err(recorded.error);
  const chosen = given ?? recorded.value ?? 'process';
  const mismatch = checkRuntime(instance, recorded.value, chosen);
  if (mismatch.isErr()) return err(mismatch.error);
  if (!KNOWN.has(chosen)) {
    return err(
      new RuntimeMismatchError(
        `${instance} was deployed with the ${chosen} runtime, which the CLI cannot use; act on it through the SDK with that runtime`,
        { context: { instance, recorded: chosen } },
      ),
    );
  }
  return ok(runtimeFor(chosen, undefined, stateDir).unwrapOr(undefined));
}
