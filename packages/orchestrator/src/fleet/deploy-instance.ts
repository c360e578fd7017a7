import type { DiveError } from '@dive/errors';
import type { FleetInstanceStatus } from '@dive/state-db';
import { EXIT, exitCodeFor, type ExitCode } from '../cli/exit-codes.js';
import { down } from '../operations/down.js';
import type { CommonOptions } from '../operations/options.js';
import { orchestrate } from '../operations/orchestrate.js';
import { rollback } from '../operations/rollback.js';
import type { DeploymentReport } from '../report.js';
import type { FleetContext } from './context.js';
import type { FleetInstanceResult } from './report.js';

/** The options every instance operation of a fleet shares. */
function common(ctx: FleetContext, instance: string): CommonOptions {
  const spec = ctx.fleet.instances[instance];
  return {
    runtime: ctx.runtimeOf(instance),
    state: ctx.state,
    signal: ctx.signal,
    clock: ctx.clock,
    logger: ctx.logger,
    env: ctx.env,
    actor: ctx.actor,
    lockTimeoutMs: ctx.lockTimeoutMs,
    onEvent: (event) => ctx.emit({ type: 'deploy', instance, event }),
    ...(spec?.secretVariables === undefined ? {} : { secretVariables: spec.secretVariables }),
    ...(spec?.secretEnvFiles === undefined ? {} : { secretEnvFiles: spec.secretEnvFiles }),
    ...(ctx.options.instanceOptions?.callTimeoutMs === undefined
      ? {}
      : { callTimeoutMs: ctx.options.instanceOptions.callTimeoutMs }),
    ...(ctx.options.instanceOptions?.rollbackTimeoutMs === undefined
      ? {}
      : { rollbackTimeoutMs: ctx.options.instanceOptions.rollbackTimeoutMs }),
  };
}

async function setStatus(
  ctx: FleetContext,
  instance: string,
  status: FleetInstanceStatus,
  extra: { deploymentId?: string; error?: DiveError | null } = {},
): Promise<void> {
  const { error } = extra;
  const r = await ctx.fleets.setInstance(ctx.run.id, instance, {
    status,
    at: ctx.clock.now(),
    ...(extra.deploymentId === undefined ? {} : { deploymentId: extra.deploymentId }),
    ...(error === undefined
      ? {}
      : { error: error === null ? null : { tag: error._tag, code: error.code, message: error.message } }),
  });
  if (r.isErr()) ctx.recordFailed(`recording ${instance} ${status}`, r.error);
}

function outcomeOf(report: DeploymentReport): { status: FleetInstanceStatus; exitCode: ExitCode } {
  if (report.success) return { status: 'COMPLETE', exitCode: EXIT.ok };
  if (report.paused === true) return { status: 'PAUSED', exitCode: EXIT.ok };
  return { status: 'FAILED', exitCode: report.error?._tag === 'CancelledError' ? EXIT.interrupted : EXIT.failed };
}

/**
 * Deploy one instance of a fleet with `orchestrate()` (its own instance lock, its own runtime); a pause of the fleet
 * stops new service starts in it. Recorded in the fleet's record before and after. Never fails: an Err of
 * `orchestrate` (an unreachable host: `UNREACHABLE`, exit 4) is the instance's result.
 */
export async function deployInstance(ctx: FleetContext, instance: string, wave: number): Promise<FleetInstanceResult> {
  const spec = ctx.fleet.instances[instance];
  if (spec === undefined) throw new RangeError(`unknown instance ${instance}`);
  await setStatus(ctx, instance, 'DEPLOYING', { error: null });
  ctx.emit({ type: 'instance-started', instance, wave });
  const io = ctx.options.instanceOptions ?? {};
  const result = await orchestrate(spec.topology, {
    ...common(ctx, instance),
    ...io,
    shouldStartNext: () => !ctx.pause.paused && !ctx.signal.aborted,
  });
  let out: FleetInstanceResult;
  if (result.isErr()) {
    const exitCode = exitCodeFor(result.error);
    const status: FleetInstanceStatus = exitCode === EXIT.unreachable ? 'UNREACHABLE' : 'FAILED';
    await setStatus(ctx, instance, status, { error: result.error });
    out = { instance, wave, status, error: result.error.toJSON(), exitCode };
  } else {
    const report = result.value;
    const { status, exitCode } = outcomeOf(report);
    await setStatus(ctx, instance, status, { deploymentId: report.deploymentId });
    out = { instance, wave, status, report, exitCode, ...(report.error === undefined ? {} : { error: report.error }) };
  }
  ctx.emit({ type: 'instance-finished', instance, wave, status: out.status, exitCode: out.exitCode });
  return out;
}

/**
 * Roll back one instance of a failed wave: to the checkpoint its deployment took (else the newest good one before
 * its generation; with none, it is taken down). Recorded as `ROLLED_BACK`, or `FAILED` when the rollback failed.
 */
export async function rollBackInstance(ctx: FleetContext, result: FleetInstanceResult): Promise<FleetInstanceResult> {
  const { instance, wave } = result;
  const options = common(ctx, instance);
  const checkpointId = result.report?.checkpointId;
  const r = await rollback(instance, checkpointId === undefined ? {} : { checkpointId }, options);
  let okay = r.isOk() && r.value.error === undefined;
  let failure: DiveError | undefined = r.isErr() ? r.error : undefined;
  if (r.isErr() && r.error._tag === 'CheckpointNotFoundError') {
    const d = await down(instance, options);
    okay = d.isOk();
    failure = d.isErr() ? d.error : undefined;
  }
  await setStatus(ctx, instance, okay ? 'ROLLED_BACK' : 'FAILED', failure === undefined ? {} : { error: failure });
  ctx.emit({ type: 'instance-rolled-back', instance, wave, ok: okay });
  return {
    ...result,
    status: okay ? 'ROLLED_BACK' : 'FAILED',
    ...(r.isOk() ? { rollback: r.value } : {}),
    ...(failure === undefined ? {} : { error: failure.toJSON() }),
  };
}
