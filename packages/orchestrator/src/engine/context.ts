import type { DistributiveOmit, DeployEvent } from '../events.js';
import type { Logger } from '../logger.js';
import type { Runtime } from '../runtime/types.js';
import type { EngineLocks, EngineState, HealthWaiter, StartPolicy } from './ports.js';

/** An event as the engine emits it: `at`, `instance` and `deploymentId` are filled in. */
export type EngineEvent = DistributiveOmit<DeployEvent, 'at' | 'instance' | 'deploymentId'>;

/** Everything one engine operation (deploy, rollback, down) works with. */
export interface EngineContext {
  readonly runtime: Runtime;
  readonly state: EngineState;
  readonly locks: EngineLocks;
  readonly policy: StartPolicy;
  readonly health: HealthWaiter;
  readonly logger: Logger;
  readonly onEvent: (event: DeployEvent) => void;
  readonly now: () => number;
  readonly env: NodeJS.ProcessEnv;
  readonly actor: string;
  readonly lockTimeoutMs: number;
  readonly signal?: AbortSignal;
}

/** Make the emitter of one operation. Listener errors are logged, never thrown into the engine. */
export function emitterFor(ctx: EngineContext, instance: string, deploymentId: string): (event: EngineEvent) => void {
  return (event) => {
    const full = { ...event, at: ctx.now(), instance, deploymentId } as DeployEvent;
    try {
      ctx.onEvent(full);
    } catch (e) {
      ctx.logger.warn({ err: e, event: full.type }, 'onEvent listener threw; ignored');
    }
  };
}
