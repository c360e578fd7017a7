import type { DiveError } from '@dive/errors';
import type { ResultAsync } from 'neverthrow';
import type { DeploymentStateName } from '../events.js';
import type { EngineContext, EngineEvent } from './context.js';
import type { InstanceState } from './ports.js';

/** Final states: a deployment that left its instance in any other state was interrupted. */
export const FINAL_STATES: ReadonlySet<DeploymentStateName> = new Set(['UNKNOWN', 'COMPLETE', 'FAILED']);

/**
 * A state writer for one operation: carries the fencing token and the expected version, records the runtime's name
 * in each transition's metadata, emits `state` events.
 */
export interface Transitioner {
  readonly current: () => InstanceState;
  to(
    state: DeploymentStateName,
    reason: string,
    metadata?: Record<string, unknown>,
  ): ResultAsync<InstanceState, DiveError>;
}

/** Make the transitioner of one operation, starting from `initial`. */
export function transitioner(
  ctx: EngineContext,
  emit: (e: EngineEvent) => void,
  instance: string,
  deploymentId: string,
  fencingToken: number,
  initial: InstanceState,
): Transitioner {
  let current = initial;
  return {
    current: () => current,
    to(state, reason, metadata) {
      const from = current.state;
      return ctx.state
        .transition(instance, state, {
          expectedVersion: current.version,
          fencingToken,
          reason,
          actor: ctx.actor,
          deploymentId,
          // The runtime is recorded with every transition: `down`, `rollback` and `status` find it there.
          metadata: { ...metadata, runtime: ctx.runtime.name },
        })
        .map((next) => {
          current = next;
          emit({ type: 'state', from, to: state, reason });
          ctx.logger.info({ instance, deployment: deploymentId, from, to: state, reason }, `state ${from} → ${state}`);
          return next;
        });
    },
  };
}
