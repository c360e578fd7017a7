import type { DiveError } from '@dive/errors';
import type { DeploymentReport, RollbackReport } from '../../report.js';
import type { EngineContext } from '../context.js';
import type { Deployment } from '../deployment.js';
import { deploymentReport } from '../deployment-report.js';
import { rollbackInstance } from '../rollback.js';
import type { Taken } from './checkpoint.js';

/**
 * Rollback: the deployment failed. Its error is recorded, the instance goes `→ FAILED`, and unless told not to
 * (`rollback: 'never'`, or the lock was lost) it is rolled back to the checkpoint with the `complete` strategy,
 * under the rollback's own deadline; the predecessors it retired are restored as they were (or discarded when not
 * needed). Never fails: the outcome is in the report.
 * @param base - the unguarded context (the rollback guards it with its own deadline)
 * @returns the failed deployment's report, with what the rollback did
 */
export async function rollbackPhase(
  d: Deployment,
  base: EngineContext,
  failure: DiveError,
  taken: Taken,
): Promise<DeploymentReport> {
  const { instance, id: deploymentId } = d;
  d.writes.launch('recording the deployment error', d.ctx.state.recordError(failure, { instance, deploymentId }));
  const cancelled = failure._tag === 'CancelledError';
  const failed = await d.tx.to('FAILED', cancelled ? 'cancelled' : failure._tag, { error: failure.toJSON() });
  if (failed.isErr()) return deploymentReport(d, d.tx.current().state, false, { error: failure.toJSON() });
  let rollback: RollbackReport | undefined;
  if (d.options.rollback === 'auto' && d.facts.lostLock === undefined) {
    rollback = await rollbackInstance(base, {
      instance,
      deploymentId,
      tx: d.tx,
      emit: d.emit,
      created: d.tracking.created,
      retired: d.tracking.retired,
      checkpoint: { id: taken.id, payload: taken.payload },
      strategy: 'complete',
      reason: cancelled ? 'cancelled' : `deployment failed: ${failure._tag}`,
      writes: d.writes,
    });
  }
  return deploymentReport(d, d.tx.current().state, false, {
    error: failure.toJSON(),
    ...(rollback === undefined ? {} : { rollback }),
  });
}
