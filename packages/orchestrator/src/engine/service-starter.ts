import { toDiveError, type DiveError } from '@dive/errors';
import { errAsync, okAsync, type ResultAsync } from 'neverthrow';
import type { ServiceHandle, StartRequest } from '../runtime/types.js';
import type { Deployment } from './deployment.js';
import type { ResolvedService } from './resolve.js';
import type { StartOutcome } from './run-graph.js';

/** What the starter tracks across services of one deployment. */
export interface StarterState {
  /** Handles this deployment created, by service (the last attempt's). */
  readonly created: Map<string, ServiceHandle>;
  /** Predecessors this deployment retired (kept, stopped, for a rollback until it is verified), by service. */
  readonly retired: Map<string, ServiceHandle>;
  /** Attempts made, by service. */
  readonly attempts: Map<string, number>;
  /** When each service was first started, and when it became healthy (ms since the deployment start). */
  readonly startedAt: Map<string, number>;
  readonly healthyAt: Map<string, number>;
}

/** An empty {@link StarterState}. */
export const newStarterState = (): StarterState => ({
  created: new Map(),
  retired: new Map(),
  attempts: new Map(),
  startedAt: new Map(),
  healthyAt: new Map(),
});

/** Build the start request of a service. */
export function startRequest(
  instance: string,
  deploymentId: string,
  svc: ResolvedService,
  signal?: AbortSignal,
): StartRequest {
  return {
    instance,
    service: svc.name,
    deploymentId,
    configHash: svc.configHash,
    kind: svc.kind,
    env: svc.env,
    ...(svc.spec.container === undefined ? {} : { container: svc.spec.container }),
    ...(svc.spec.process === undefined ? {} : { process: svc.spec.process }),
    ...(svc.resources === undefined ? {} : { resources: svc.resources }),
    ...(signal === undefined ? {} : { signal }),
  };
}

type Starter = Pick<Deployment, 'ctx' | 'emit' | 'instance' | 'id' | 'tracking' | 't0' | 'signal' | 'writes'>;

/** One attempt: start, wait until healthy (a job: completed); a failed attempt's service is stopped first. */
function attemptOnce(
  d: Starter,
  svc: ResolvedService,
  markStarted: () => void,
  n: number,
  attemptSignal: AbortSignal | undefined,
): ResultAsync<'healthy' | 'completed', DiveError> {
  const { ctx, emit, tracking } = d;
  tracking.attempts.set(svc.name, n);
  if (!tracking.startedAt.has(svc.name)) tracking.startedAt.set(svc.name, ctx.clock.now() - d.t0);
  emit({ type: 'service-starting', service: svc.name, attempt: n });
  const startedMs = ctx.clock.now();
  return ctx.runtime.start(startRequest(d.instance, d.id, svc, attemptSignal)).andThen((handle) => {
    tracking.created.set(svc.name, handle);
    emit({ type: 'service-started', service: svc.name, attempt: n });
    markStarted();
    return ctx.health
      .wait(ctx.runtime, handle, svc.health, {
        deadlineMs: svc.startTimeoutMs,
        kind: svc.kind,
        ...(attemptSignal === undefined ? {} : { signal: attemptSignal }),
      })
      .map((outcome) => {
        const now = ctx.clock.now();
        tracking.healthyAt.set(svc.name, now - d.t0);
        const durationMs = now - startedMs;
        emit(
          outcome === 'completed'
            ? { type: 'service-completed', service: svc.name, durationMs }
            : { type: 'service-healthy', service: svc.name, durationMs },
        );
        return outcome;
      })
      .andThen((outcome) =>
        // Now that it is healthy, the runtime may apply what would fight DIVE's retries (Docker's restart policy).
        outcome === 'healthy' && ctx.runtime.afterHealthy !== undefined
          ? ctx.runtime.afterHealthy(handle).map(() => outcome)
          : okAsync(outcome),
      )
      .orElse((error) =>
        // Never leave a failed attempt running: stop it, then report the original error.
        d.writes
          .track(`stopping the failed attempt of ${svc.name}`, ctx.runtime.stop(handle, { graceMs: 2_000 }))
          .andThen(() => errAsync<'healthy' | 'completed', DiveError>(error)),
      );
  });
}

/**
 * Start one service under its retry policy and breaker, and wait until it is healthy (a job: completed). Emits
 * starting / started / retrying / healthy events.
 */
export function startService(
  d: Starter,
  svc: ResolvedService,
  markStarted: () => void,
): ResultAsync<StartOutcome, DiveError> {
  return d.ctx.policy
    .run(
      `${d.instance}/${svc.name}`,
      svc.retry,
      svc.breaker,
      (n, signal) => attemptOnce(d, svc, markStarted, n, signal),
      {
        signal: d.signal,
        onRetry: ({ attempt, delayMs, error }) => {
          d.emit({ type: 'service-retrying', service: svc.name, attempt, delayMs, error: error.toJSON() });
        },
      },
    )
    .orElse((e) => errAsync(toDiveError(e, { instance: d.instance, service: svc.name })));
}
