import { err, ok, type Result } from 'neverthrow';
import { closeUnion, OPERATION_ERROR_TAGS, type StateError } from '../../errors.js';
import type { DeploymentReport } from '../../report.js';
import type { Deployment } from '../deployment.js';
import { FINAL_STATES } from '../transitions.js';

/** Errors of the recover phase: the store refused the transition that closes the predecessor. */
export type RecoverError = StateError;

/**
 * Recover: an earlier deployment that died mid-way left a non-final state; record it as interrupted
 * (`→ FAILED`, or `CLEANUP → UNKNOWN`) so this deployment can begin.
 * @returns Ok the interrupted predecessor, or undefined when there was none; Err {@link RecoverError}
 */
export async function recover(
  d: Pick<Deployment, 'tx' | 'log'>,
): Promise<Result<DeploymentReport['interruptedPrevious'], RecoverError>> {
  const initial = d.tx.current();
  if (FINAL_STATES.has(initial.state)) return ok(undefined);
  const interrupted = {
    state: initial.state,
    ...(initial.deploymentId === undefined ? {} : { deploymentId: initial.deploymentId }),
  };
  d.log.warn({ previous: interrupted }, 'found an interrupted deployment');
  const closed = await d.tx.to(initial.state === 'CLEANUP' ? 'UNKNOWN' : 'FAILED', 'interrupted');
  if (closed.isErr()) return err(closeUnion(OPERATION_ERROR_TAGS.state, closed.error));
  return ok(interrupted);
}
