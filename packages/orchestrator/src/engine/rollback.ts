import { defineError, type DiveError } from '@dive/errors';
import { okAsync, type ResultAsync } from 'neverthrow';
import type { DeploymentStateName } from '../events.js';
import type { RollbackReport, RollbackStrategy } from '../report.js';
import type { ServiceHandle } from '../runtime/types.js';
import type { Topology } from '../topology/types.js';
import { latestGeneration } from './generation.js';
import { stopOrder } from './stop-order.js';
import type { EngineContext, EngineEvent } from './context.js';
import type { CheckpointPayload } from './ports.js';
import { resolveTopology } from './resolve.js';
import { startRequest } from './service-starter.js';
import type { Transitioner } from './transitions.js';

/** 7003: a rollback did not complete. */
export class RollbackFailedError extends defineError('RollbackFailedError') {}

/** What a rollback is asked to do. */
export interface RollbackInput {
  readonly instance: string;
  readonly deploymentId: string;
  readonly tx: Transitioner;
  readonly emit: (e: EngineEvent) => void;
  /** Services the failed deployment created: always removed (except with `config`… they are removed too). */
  readonly created: ReadonlyMap<string, ServiceHandle>;
  /** The checkpoint to go back to; none (or an empty one) means "tear down". */
  readonly checkpoint?: { readonly id: string; readonly payload: CheckpointPayload };
  readonly strategy: RollbackStrategy;
  readonly reason: string;
}

const step = async (
  input: RollbackInput,
  name: string,
  service: string | undefined,
  work: () => ResultAsync<unknown, DiveError>,
): Promise<DiveError | undefined> => {
  input.emit({ type: 'rollback-step', step: name, ...(service === undefined ? {} : { service }), status: 'started' });
  const r = await work();
  input.emit({
    type: 'rollback-step',
    step: name,
    ...(service === undefined ? {} : { service }),
    status: r.isOk() ? 'finished' : 'failed',
  });
  return r.isErr() ? r.error : undefined;
};

/**
 * Roll an instance back: `→ ROLLING_BACK`, remove what the failed deployment created, restore the checkpoint's
 * services per strategy, `→ CLEANUP → COMPLETE` (restored) or `→ UNKNOWN` (torn down). A failed step ends
 * `ROLLING_BACK → FAILED` with a RollbackFailedError naming the step. Never returns an error: the outcome is in the
 * report (`finalState`, `error`).
 */
export async function rollbackInstance(ctx: EngineContext, input: RollbackInput): Promise<RollbackReport> {
  const { instance, tx, strategy } = input;
  const removed: string[] = [];
  const restored: string[] = [];
  const base = {
    strategy,
    reason: input.reason,
    ...(input.checkpoint === undefined ? {} : { checkpointId: input.checkpoint.id }),
  };
  const fail = async (stepName: string, cause: DiveError): Promise<RollbackReport> => {
    const error = new RollbackFailedError(`rollback of ${instance} failed at ${stepName}: ${cause.message}`, {
      cause,
      context: { instance, step: stepName, checkpointId: input.checkpoint?.id },
      remediation: `Fix the cause (${cause._tag}: ${cause.remediation}) and run \`dive rollback ${instance}\` again; nothing else was removed.`,
    });
    const r = await tx.to('FAILED', `rollback failed at ${stepName}`, { error: error.toJSON() });
    const finalState: DeploymentStateName = r.isOk() ? 'FAILED' : tx.current().state;
    return { ...base, removed, restored, finalState, error: error.toJSON() };
  };

  const enter = await tx.to('ROLLING_BACK', input.reason);
  if (enter.isErr()) return { ...base, removed, restored, finalState: tx.current().state, error: enter.error.toJSON() };

  // The checkpoint's services, resolved again (secrets are read from the environment, never from the checkpoint).
  const topology = input.checkpoint?.payload.topology as Topology | undefined;
  const keep = new Map(Object.entries(input.checkpoint?.payload.services ?? {}));
  const resolved = topology === undefined || keep.size === 0 ? undefined : resolveTopology(topology, ctx.env);
  if (resolved?.isErr()) return fail('resolve-checkpoint', resolved.error);
  const target = resolved?.isOk() === true ? resolved.value : undefined;

  // 1. Remove what the failed deployment created (dependents first).
  for (const [service, handle] of [...input.created.entries()].reverse()) {
    const e = await step(input, 'remove', service, () => ctx.runtime.stop(handle));
    if (e !== undefined) return fail(`remove ${service}`, e);
    removed.push(service);
  }

  // 2. `stop`: every remaining service of the instance goes too; the instance ends torn down. Dependents first, by
  // the topology of the generation that ran last (or the checkpoint's).
  const running = await ctx.runtime.list(instance);
  if (running.isErr()) return fail('list', running.error);
  const restoreAll = strategy !== 'stop' && target !== undefined;
  const lastTopology = ((await latestGeneration(ctx, instance))?.topology ?? topology) as Topology | undefined;
  for (const handle of stopOrder(running.value, lastTopology)) {
    const wanted = restoreAll && keep.get(handle.service)?.configHash === handle.configHash;
    if (wanted) continue;
    if (strategy === 'config' && restoreAll) continue; // config: leave services alone
    const e = await step(input, 'remove', handle.service, () => ctx.runtime.stop(handle));
    if (e !== undefined) return fail(`remove ${handle.service}`, e);
    if (!removed.includes(handle.service)) removed.push(handle.service);
  }

  // 3. `containers` / `complete`: recreate the checkpoint's services that are not running as they were.
  if (target !== undefined && (strategy === 'containers' || strategy === 'complete')) {
    const runningNow = new Map(running.value.map((h) => [h.service, h]));
    for (const name of target.graph.topologicalOrder()) {
      const svc = target.services.get(name);
      if (svc === undefined || svc.kind === 'job') continue;
      const have = runningNow.get(name);
      if (have !== undefined && have.configHash === svc.configHash) continue;
      const e = await step(input, 'restore', name, () =>
        ctx.runtime
          .start(startRequest(instance, input.deploymentId, svc))
          .andThen((handle) =>
            strategy === 'complete'
              ? ctx.health.wait(ctx.runtime, handle, svc.health, { deadlineMs: svc.startTimeoutMs, kind: svc.kind })
              : okAsync('healthy' as const),
          ),
      );
      if (e !== undefined) return fail(`restore ${name}`, e);
      restored.push(name);
    }
  }

  const cleanup = await tx.to('CLEANUP', strategy);
  if (cleanup.isErr()) return fail('cleanup', cleanup.error);
  const finalState: DeploymentStateName = restoreAll ? 'COMPLETE' : 'UNKNOWN';
  const done = await tx.to(
    finalState,
    restoreAll ? `restored checkpoint ${input.checkpoint?.id ?? ''}`.trim() : 'torn down',
    {
      ...(input.checkpoint === undefined ? {} : { checkpointId: input.checkpoint.id }),
    },
  );
  if (done.isErr()) return fail('finish', done.error);
  return { ...base, removed, restored, finalState };
}
