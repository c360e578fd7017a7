import type { Clock } from '@dive/errors';
import type { DistributiveOmit, DeployEvent } from '../events.js';
import type { Logger } from '../logger.js';
import type { Runtime } from '../runtime/types.js';
import type { EngineLocks, EngineState, HealthWaiter, StartPolicy } from './ports.js';

/** An event as the engine emits it: `at`, `instance` and `deploymentId` are filled in. */
export type EngineEvent = DistributiveOmit<DeployEvent, 'at' | 'instance' | 'deploymentId'>;

/** The engine's defaults for the bounds of its calls (see docs/engine.md). */
export const ENGINE_DEFAULTS = {
  /** A runtime or store call without a deadline of its own (ping, list, status, a transition): 30 s. */
  callTimeoutMs: 30_000,
  /** A whole rollback (its steps each bounded too): 10 min. */
  rollbackTimeoutMs: 600_000,
  /** Checkpoints kept per instance after a deployment reached COMPLETE. */
  keepCheckpoints: 20,
} as const;

/** Everything one engine operation (deploy, rollback, down) works with. */
export interface EngineContext {
  readonly runtime: Runtime;
  readonly state: EngineState;
  readonly locks: EngineLocks;
  readonly policy: StartPolicy;
  readonly health: HealthWaiter;
  readonly logger: Logger;
  readonly onEvent: (event: DeployEvent) => void;
  /** The one time source of the engine: readings, deadlines, timings. */
  readonly clock: Clock;
  readonly env: NodeJS.ProcessEnv;
  readonly actor: string;
  readonly lockTimeoutMs: number;
  /** Default {@link ENGINE_DEFAULTS}.callTimeoutMs. */
  readonly callTimeoutMs?: number;
  /** Default {@link ENGINE_DEFAULTS}.rollbackTimeoutMs. */
  readonly rollbackTimeoutMs?: number;
  /** Default {@link ENGINE_DEFAULTS}.keepCheckpoints. */
  readonly keepCheckpoints?: number;
  readonly signal?: AbortSignal;
}

/** Make the emitter of one operation. Listener errors are logged, never thrown into the engine. */
export function emitterFor(ctx: EngineContext, instance: string, deploymentId: string): (event: EngineEvent) => void {
  return (event) => {
    const full = { ...event, at: ctx.clock.now(), instance, deploymentId } as DeployEvent;
    try {
      ctx.onEvent(full);
    } catch (e) {
      ctx.logger.warn({ err: e, event: full.type }, 'onEvent listener threw; ignored');
    }
  };
}

/** The ISO time of the context's clock. */
export const nowIso = (ctx: Pick<EngineContext, 'clock'>): string => new Date(ctx.clock.now()).toISOString();
