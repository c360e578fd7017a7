import { err, ok, type Result } from 'neverthrow';
import { closeUnion, OPERATION_ERROR_TAGS, type RuntimeError, type StateError } from '../../errors.js';
import type { DeploymentStateName } from '../../events.js';
import type { ServiceHandle } from '../../runtime/types.js';
import { nowIso } from '../context.js';
import type { Deployment } from '../deployment.js';
import type { CheckpointPayload } from '../ports.js';
import type { Probes } from './preflight.js';

/** What the checkpoint phase leaves for the phases after it. */
export interface Taken {
  readonly id: string;
  readonly payload: CheckpointPayload;
  /** What ran before this deployment, by service. */
  readonly existing: ReadonlyMap<string, ServiceHandle>;
}

/** Errors of the checkpoint phase: the runtime could not list, or the store could not write. */
export type CheckpointError = RuntimeError | StateError;

/**
 * Checkpoint: record what runs now (the previous generation's services that still run with their hash), before
 * anything changes. Emits `checkpoint`.
 * @returns Ok {@link Taken}; Err {@link CheckpointError}
 */
export async function checkpoint(
  d: Pick<Deployment, 'ctx' | 'instance' | 'id' | 'emit' | 'facts'>,
  probes: Probes,
  stateBefore: DeploymentStateName,
): Promise<Result<Taken, CheckpointError>> {
  const existing = await probes.existing;
  if (existing.isErr()) return err(closeUnion(OPERATION_ERROR_TAGS.runtime, existing.error));
  const previous = await probes.previous;
  const existingBy = new Map(existing.value.map((h) => [h.service, h]));
  const payload: CheckpointPayload = {
    deploymentId: d.id,
    takenAt: nowIso(d.ctx),
    state: stateBefore,
    services: Object.fromEntries(
      [...existingBy.entries()]
        .filter(([name, h]) => previous?.services[name]?.configHash === h.configHash)
        .map(([name, h]) => [name, { configHash: h.configHash, handle: h, spec: previous?.services[name]?.spec }]),
    ),
    ...(previous?.topology === undefined ? {} : { topology: previous.topology }),
  };
  const cp = await d.ctx.state.createCheckpoint(d.instance, payload);
  if (cp.isErr()) return err(closeUnion(OPERATION_ERROR_TAGS.state, cp.error));
  d.facts.checkpointId = cp.value;
  d.emit({ type: 'checkpoint', checkpointId: cp.value });
  return ok({ id: cp.value, payload, existing: existingBy });
}
