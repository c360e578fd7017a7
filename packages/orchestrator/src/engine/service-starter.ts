import { toDiveError, type DiveError } from '@dive/errors';
import { errAsync, okAsync, ResultAsync } from 'neverthrow';
import type { ServiceHandle, StartRequest } from '../runtime/types.js';
import type { EngineContext, EngineEvent } from './context.js';
import type { ResolvedService } from './resolve.js';
import type { StartOutcome } from './run-graph.js';

/** What the starter tracks across services of one deployment. */
export interface StarterState {
  /** Handles this deployment created, by service (the last attempt's). */
  readonly created: Map<string, ServiceHandle>;
  /** Attempts made, by service. */
  readonly attempts: Map<string, number>;
  /** When each service was first started, and when it became healthy (ms since the deployment start). */
  readonly startedAt: Map<string, number>;
  readonly healthyAt: Map<string, number>;
}

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

/**
 * Start one service under its retry policy and breaker, and wait until it is healthy (a job: completed). A failed
 * attempt's service is stopped before the next attempt. Emits starting / started / retrying / healthy events.
 */
export function startService(
  ctx: EngineContext,
  emit: (e: EngineEvent) => void,
  instance: string,
  deploymentId: string,
  svc: ResolvedService,
  tracking: StarterState,
  t0: number,
  markStarted: () => void,
  signal?: AbortSignal,
): ResultAsync<StartOutcome, DiveError> {
  const attemptOnce = (
    n: number,
    attemptSignal: AbortSignal | undefined,
  ): ResultAsync<'healthy' | 'completed', DiveError> => {
    tracking.attempts.set(svc.name, n);
    if (!tracking.startedAt.has(svc.name)) tracking.startedAt.set(svc.name, ctx.now() - t0);
    emit({ type: 'service-starting', service: svc.name, attempt: n });
    const startedMs = ctx.now();
    return ctx.runtime.start(startRequest(instance, deploymentId, svc, attemptSignal)).andThen((handle) => {
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
          const durationMs = ctx.now() - startedMs;
          tracking.healthyAt.set(svc.name, ctx.now() - t0);
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
          ctx.runtime
            .stop(handle, { graceMs: 2_000 })
            .orElse(() => okAsync(undefined))
            .andThen(() => errAsync<'healthy' | 'completed', DiveError>(error)),
        );
    });
  };
  return ctx.policy
    .run(`${instance}/${svc.name}`, svc.retry, svc.breaker, attemptOnce, {
      ...(signal === undefined ? {} : { signal }),
      onRetry: ({ attempt, delayMs, error }) => {
        emit({ type: 'service-retrying', service: svc.name, attempt, delayMs, error: error.toJSON() });
      },
    })
    .orElse((e) => errAsync(toDiveError(e, { instance, service: svc.name })));
}
