import { err, ok, okAsync, type Result } from 'neverthrow';
import { closeUnion, OPERATION_ERROR_TAGS, type StateError } from '../../errors.js';
import type { ServiceHandle } from '../../runtime/types.js';
import type { DiveError } from '@dive/errors';
import type { ResultAsync } from 'neverthrow';
import { ENGINE_DEFAULTS, nowIso } from '../context.js';
import { discardLeftovers } from '../leftover-retired.js';
import type { Deployment } from '../deployment.js';
import type { CheckpointPayload } from '../ports.js';

/** Errors of the finish phase: the store refused the COMPLETE transition. */
export type FinishError = StateError;

/** The services that run after this deployment (new ones and unchanged ones), for the generation checkpoint. */
export function currentGeneration(d: Deployment, existing: ReadonlyMap<string, ServiceHandle>): CheckpointPayload {
  const services: Record<string, CheckpointPayload['services'][string]> = {};
  for (const [name, svc] of d.resolved.services) {
    if (svc.kind === 'job') continue;
    const handle = d.tracking.created.get(name) ?? existing.get(name);
    if (handle !== undefined) services[name] = { configHash: svc.configHash, handle, spec: svc.spec };
  }
  return { deploymentId: d.id, takenAt: nowIso(d.ctx), state: 'COMPLETE', services, topology: d.topology };
}

/** Stop the instance's services that are no longer in the topology; `service-stopped` only for those that stopped. */
async function stopOrphans(d: Deployment, listing: ResultAsync<readonly ServiceHandle[], DiveError>): Promise<void> {
  const now = await listing;
  if (now.isErr()) {
    d.log.warn({ err: now.error.toJSON() }, 'listing the instance for orphans failed; none stopped');
    return;
  }
  for (const h of now.value) {
    if (d.resolved.services.has(h.service)) continue;
    const stopped = await d.writes.track(`stopping orphan ${h.service}`, d.ctx.runtime.stop(h));
    if (stopped.isOk() && stopped.value) d.emit({ type: 'service-stopped', service: h.service });
  }
}

/**
 * Finish: orphans (services of the instance no longer in the topology) go; `VERIFYING → COMPLETE`; the retired
 * predecessors are removed, with any an earlier, interrupted deployment left (best-effort; `down` removes any left);
 * only then the
 * new generation's checkpoint is written (a checkpoint marked COMPLETE is always one that completed), and the
 * instance's checkpoints are pruned to the newest `keepCheckpoints`. Those two writes are best-effort: a failure is
 * logged, counted in the report and told as a `warning` event.
 * @returns Ok; Err {@link FinishError}
 */
export async function finish(
  d: Deployment,
  existing: ReadonlyMap<string, ServiceHandle>,
  listing: ResultAsync<readonly ServiceHandle[], DiveError>,
): Promise<Result<void, FinishError>> {
  await stopOrphans(d, listing);
  const generation = currentGeneration(d, existing);
  const complete = await d.tx.to('COMPLETE', 'verified', { durationMs: d.ctx.clock.now() - d.t0 });
  if (complete.isErr()) return err(closeUnion(OPERATION_ERROR_TAGS.state, complete.error));
  // Verified: the predecessors kept for a rollback are not needed any more.
  for (const [name, retired] of d.tracking.retired) {
    d.writes.launch(`removing the retired ${name}`, d.ctx.runtime.discard?.(retired) ?? okAsync(undefined));
  }
  d.writes.launch(
    'removing retired services an earlier deployment left',
    discardLeftovers(d.ctx.runtime, d.instance, d.tracking.retired),
  );
  const written = await d.writes.track(
    'writing the checkpoint of the new generation',
    d.ctx.state.createCheckpoint(d.instance, generation),
  );
  if (written.isOk() && written.value) {
    const keep = d.ctx.keepCheckpoints ?? ENGINE_DEFAULTS.keepCheckpoints;
    d.writes.launch('pruning old checkpoints', d.ctx.state.pruneCheckpoints(d.instance, keep));
  }
  return ok(undefined);
}
