import type { EngineContext, EngineEvent } from './context.js';
import type { BestEffort } from './best-effort.js';

/** What the step recorder needs: where to write, whose steps they are, and the best-effort writer. */
export interface StepRecorderInput {
  readonly ctx: Pick<EngineContext, 'state' | 'clock'>;
  readonly instance: string;
  readonly deploymentId: string;
  readonly writes: BestEffort;
}

type StepStatus = 'started' | 'succeeded' | 'failed';

/**
 * Record a deployment's phases and services as steps in the store, from its events: `phase:<name>` and
 * `service:<name>`, each started and then succeeded or failed, with its start time. The writes run alongside the
 * deployment through the best-effort writer (flushed before the deployment returns); nothing here awaits.
 * @returns an event listener to call with every event the deployment emits
 */
export function stepRecorder(input: StepRecorderInput): (event: EngineEvent) => void {
  const { ctx, instance, deploymentId, writes } = input;
  const phaseStart = new Map<string, number>();
  const serviceStart = new Map<string, number>();
  const record = (name: string, status: StepStatus, startedAtMs: number, detail?: Record<string, unknown>): void => {
    writes.launch(
      `recording step ${name}`,
      ctx.state.recordStep({
        deploymentId,
        instance,
        name,
        status,
        startedAt: new Date(startedAtMs).toISOString(),
        ...(status === 'started' ? {} : { endedAt: new Date(ctx.clock.now()).toISOString() }),
        ...(detail === undefined ? {} : { detail }),
      }),
    );
  };
  return (e) => {
    const at = ctx.clock.now();
    if (e.type === 'phase') {
      if (e.status === 'started') phaseStart.set(e.phase, at);
      const status = e.status === 'started' ? 'started' : e.status === 'finished' ? 'succeeded' : 'failed';
      record(`phase:${e.phase}`, status, phaseStart.get(e.phase) ?? at);
    } else if (e.type === 'service-starting' && !serviceStart.has(e.service)) {
      serviceStart.set(e.service, at);
      record(`service:${e.service}`, 'started', at, { attempt: e.attempt });
    } else if (e.type === 'service-healthy' || e.type === 'service-completed') {
      record(`service:${e.service}`, 'succeeded', serviceStart.get(e.service) ?? at, { durationMs: e.durationMs });
    } else if (e.type === 'service-failed') {
      record(`service:${e.service}`, 'failed', serviceStart.get(e.service) ?? at, { error: e.error });
    }
  };
}
