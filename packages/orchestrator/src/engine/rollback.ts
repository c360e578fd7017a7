import { defineError, TimeoutError, type DiveError } from '@dive/errors';
import { okAsync, type ResultAsync } from 'neverthrow';
import type { DeploymentStateName } from '../events.js';
import type { RollbackReport, RollbackStrategy } from '../report.js';
import type { ServiceHandle } from '../runtime/types.js';
import type { Topology } from '../topology/types.js';
import type { BestEffort } from './best-effort.js';
import { ENGINE_DEFAULTS, type EngineContext, type EngineEvent } from './context.js';
import { latestGeneration } from './generation.js';
import { guardedContext } from './guarded-context.js';
import type { CheckpointPayload } from './ports.js';
import { resolveTopology, type ResolvedService, type ResolvedTopology } from './resolve.js';
import { startRequest } from './service-starter.js';
import { stopOrder } from './stop-order.js';
import type { Transitioner } from './transitions.js';

/** 7003: a rollback did not complete. */
export class RollbackFailedError extends defineError('RollbackFailedError') {}

/** What a rollback is asked to do. */
export interface RollbackInput {
  readonly instance: string;
  readonly deploymentId: string;
  readonly tx: Transitioner;
  readonly emit: (e: EngineEvent) => void;
  /** Services the failed deployment created: always removed. */
  readonly created: ReadonlyMap<string, ServiceHandle>;
  /**
   * Predecessors the failed deployment retired (runtimes with `retire`), by service: `containers`/`complete`
   * restore these very services rather than fresh ones; the ones not restored are discarded. A manual rollback
   * passes the ones an earlier deployment left (`leftoverRetired`).
   */
  readonly retired?: ReadonlyMap<string, ServiceHandle>;
  /** The checkpoint to go back to; none (or an empty one) means "tear down". */
  readonly checkpoint?: { readonly id: string; readonly payload: CheckpointPayload };
  readonly strategy: RollbackStrategy;
  readonly reason: string;
  /** Where a start that answered after its deadline is stopped. */
  readonly writes: BestEffort;
}

/** A rollback in progress: its guarded context, input, and what it removed and restored so far. */
interface Rolling {
  readonly ctx: EngineContext;
  readonly input: RollbackInput;
  readonly removed: string[];
  readonly restored: string[];
  /** Retired predecessors brought back (by service), not to be discarded. */
  readonly reused: Set<string>;
}

/** Run one rollback step, with its `rollback-step` events; the step's error, if it failed. */
const step = async (
  r: Rolling,
  name: string,
  service: string | undefined,
  work: () => ResultAsync<unknown, DiveError>,
): Promise<DiveError | undefined> => {
  const about = service === undefined ? {} : { service };
  r.input.emit({ type: 'rollback-step', step: name, ...about, status: 'started' });
  const result = await work();
  r.input.emit({ type: 'rollback-step', step: name, ...about, status: result.isOk() ? 'finished' : 'failed' });
  return result.isErr() ? result.error : undefined;
};

/**
 * Roll an instance back: `→ ROLLING_BACK`, remove what the failed deployment created, restore the checkpoint's
 * services per strategy, `→ CLEANUP → COMPLETE` (restored) or `→ UNKNOWN` (torn down). A failed step — or the
 * overall deadline (`rollbackTimeoutMs`) passing — ends `ROLLING_BACK → FAILED` with a RollbackFailedError naming
 * the step. Never returns an error: the outcome is in the report (`finalState`, `error`).
 */
export async function rollbackInstance(ctx: EngineContext, input: RollbackInput): Promise<RollbackReport> {
  const ms = ctx.rollbackTimeoutMs ?? ENGINE_DEFAULTS.rollbackTimeoutMs;
  const deadline = new AbortController();
  const timer = ctx.clock.setTimeout(() => {
    deadline.abort(
      new TimeoutError(`rollback of ${input.instance} did not finish within ${ms} ms`, {
        context: { instance: input.instance, timeoutMs: ms },
      }),
    );
  }, ms);
  try {
    const guarded = guardedContext(ctx, { signal: deadline.signal, writes: input.writes });
    return await runRollback({ ctx: guarded, input, removed: [], restored: [], reused: new Set() });
  } finally {
    ctx.clock.clearTimeout(timer);
  }
}

const baseOf = (input: RollbackInput) => ({
  strategy: input.strategy,
  reason: input.reason,
  ...(input.checkpoint === undefined ? {} : { checkpointId: input.checkpoint.id }),
});

/** End the rollback in FAILED with a RollbackFailedError naming the step. */
async function fail(r: Rolling, stepName: string, cause: DiveError): Promise<RollbackReport> {
  const { instance, tx, checkpoint } = r.input;
  const error = new RollbackFailedError(`rollback of ${instance} failed at ${stepName}: ${cause.message}`, {
    cause,
    context: { instance, step: stepName, checkpointId: checkpoint?.id },
    remediation: `Fix the cause (${cause._tag}: ${cause.remediation}) and run \`dive rollback ${instance}\` again; nothing else was removed.`,
  });
  const failed = await tx.to('FAILED', `rollback failed at ${stepName}`, { error: error.toJSON() });
  const finalState: DeploymentStateName = failed.isOk() ? 'FAILED' : tx.current().state;
  return { ...baseOf(r.input), removed: r.removed, restored: r.restored, finalState, error: error.toJSON() };
}

/** The sequence of a rollback. */
async function runRollback(r: Rolling): Promise<RollbackReport> {
  const { input, ctx } = r;
  const enter = await input.tx.to('ROLLING_BACK', input.reason);
  if (enter.isErr()) {
    const { removed, restored } = r;
    return { ...baseOf(input), removed, restored, finalState: input.tx.current().state, error: enter.error.toJSON() };
  }
  // The checkpoint's services, resolved again (secrets are read from the environment, never from the checkpoint).
  const topology = input.checkpoint?.payload.topology as Topology | undefined;
  const keep = new Map(Object.entries(input.checkpoint?.payload.services ?? {}));
  const resolved = topology === undefined || keep.size === 0 ? undefined : resolveTopology(topology, ctx.env);
  if (resolved?.isErr() === true) return fail(r, 'resolve-checkpoint', resolved.error);
  const target = resolved?.isOk() === true ? resolved.value : undefined;

  const createdFailure = await removeCreated(r);
  if (createdFailure !== undefined) return fail(r, createdFailure.step, createdFailure.error);
  const running = await ctx.runtime.list(input.instance);
  if (running.isErr()) return fail(r, 'list', running.error);
  const restoreAll = input.strategy !== 'stop' && target !== undefined;
  const remaining = await removeRemaining(r, running.value, keep, restoreAll, topology);
  if ('step' in remaining) return fail(r, remaining.step, remaining.error);
  if (target !== undefined && (input.strategy === 'containers' || input.strategy === 'complete')) {
    const restoreFailure = await restore(r, target, remaining.kept);
    if (restoreFailure !== undefined) return fail(r, restoreFailure.step, restoreFailure.error);
  }
  const discardFailure = await discardRetired(r);
  if (discardFailure !== undefined) return fail(r, discardFailure.step, discardFailure.error);
  return finishRollback(r, restoreAll);
}

type StepFailure = { readonly step: string; readonly error: DiveError } | undefined;

/** 1. Remove what the failed deployment created (dependents first). */
async function removeCreated(r: Rolling): Promise<StepFailure> {
  for (const [service, handle] of [...r.input.created.entries()].reverse()) {
    const e = await step(r, 'remove', service, () => r.ctx.runtime.stop(handle));
    if (e !== undefined) return { step: `remove ${service}`, error: e };
    r.removed.push(service);
  }
  return undefined;
}

/**
 * 2. The instance's other services: `stop` removes every one (the instance ends torn down); `config` leaves them;
 * `containers`/`complete` remove those the checkpoint does not hold as they run. Dependents first, by the topology
 * of the generation that ran last (or the checkpoint's).
 * @returns the handles left in place (a service may have two while a start-first update runs), or the failed step
 */
async function removeRemaining(
  r: Rolling,
  running: readonly ServiceHandle[],
  keep: ReadonlyMap<string, { readonly configHash: string }>,
  restoreAll: boolean,
  topology: Topology | undefined,
): Promise<{ readonly kept: readonly ServiceHandle[] } | NonNullable<StepFailure>> {
  const lastTopology = ((await latestGeneration(r.ctx, r.input.instance))?.topology ?? topology) as
    Topology | undefined;
  const kept: ServiceHandle[] = [];
  for (const handle of stopOrder(running, lastTopology)) {
    const keepIt =
      (restoreAll && keep.get(handle.service)?.configHash === handle.configHash) ||
      (r.input.strategy === 'config' && restoreAll); // config: leave services alone
    if (keepIt) {
      kept.push(handle);
      continue;
    }
    const e = await step(r, 'remove', handle.service, () => r.ctx.runtime.stop(handle));
    if (e !== undefined) return { step: `remove ${handle.service}`, error: e };
    if (!r.removed.includes(handle.service)) r.removed.push(handle.service);
  }
  return { kept };
}

/**
 * 3. `containers` / `complete`: recreate the checkpoint's services that are not running as they were. Only what
 * step 2 kept counts: a service listed twice (its old and its new container) is judged by the one still there.
 */
async function restore(r: Rolling, target: ResolvedTopology, kept: readonly ServiceHandle[]): Promise<StepFailure> {
  const { ctx, input } = r;
  for (const name of target.graph.topologicalOrder()) {
    const svc = target.services.get(name);
    if (svc === undefined || svc.kind === 'job') continue;
    if (kept.some((h) => h.service === name && h.configHash === svc.configHash)) continue;
    const e = await step(r, 'restore', name, () =>
      bringBack(r, svc).andThen((handle) =>
        input.strategy === 'complete'
          ? ctx.health
              .wait(ctx.runtime, handle, svc.health, { deadlineMs: svc.startTimeoutMs, kind: svc.kind })
              .andThen(() => ctx.runtime.afterHealthy?.(handle) ?? okAsync(undefined))
          : okAsync(undefined),
      ),
    );
    if (e !== undefined) return { step: `restore ${name}`, error: e };
    r.restored.push(name);
  }
  return undefined;
}

/**
 * A service of the checkpoint, running again: its retired predecessor restored when the failed deployment kept
 * one with the checkpoint's hash (a retired one that cannot be restored is discarded), else a fresh start.
 */
function bringBack(r: Rolling, svc: ResolvedService): ResultAsync<ServiceHandle, DiveError> {
  const { ctx, input } = r;
  const fresh = (): ResultAsync<ServiceHandle, DiveError> =>
    ctx.runtime.start(startRequest(input.instance, input.deploymentId, svc));
  const retired = input.retired?.get(svc.name);
  const restoring = retired?.configHash === svc.configHash ? ctx.runtime.restore?.(retired) : undefined;
  if (retired === undefined || restoring === undefined) return fresh();
  r.reused.add(svc.name);
  return restoring.orElse((e) => {
    input.emit({
      type: 'warning',
      message: `the retired ${svc.name} could not be restored (${e._tag}); starting a new one`,
    });
    return (ctx.runtime.discard?.(retired) ?? okAsync(undefined)).andThen(fresh);
  });
}

/** 4. The retired predecessors not restored go (a rollback leaves nothing of the failed deployment behind). */
async function discardRetired(r: Rolling): Promise<StepFailure> {
  for (const [service, handle] of r.input.retired ?? new Map<string, ServiceHandle>()) {
    if (r.reused.has(service)) continue;
    if (r.ctx.runtime.discard === undefined) continue;
    const e = await step(r, 'discard', service, () => r.ctx.runtime.discard?.(handle) ?? okAsync(undefined));
    if (e !== undefined) return { step: `discard ${service}`, error: e };
  }
  return undefined;
}

/** `→ CLEANUP → COMPLETE` (restored) or `→ UNKNOWN` (torn down). */
async function finishRollback(r: Rolling, restoreAll: boolean): Promise<RollbackReport> {
  const { tx, strategy, checkpoint } = r.input;
  const cleanup = await tx.to('CLEANUP', strategy);
  if (cleanup.isErr()) return fail(r, 'cleanup', cleanup.error);
  const finalState: DeploymentStateName = restoreAll ? 'COMPLETE' : 'UNKNOWN';
  const done = await tx.to(
    finalState,
    restoreAll ? `restored checkpoint ${checkpoint?.id ?? ''}`.trim() : 'torn down',
    checkpoint === undefined ? {} : { checkpointId: checkpoint.id },
  );
  if (done.isErr()) return fail(r, 'finish', done.error);
  return { ...baseOf(r.input), removed: r.removed, restored: r.restored, finalState };
}
