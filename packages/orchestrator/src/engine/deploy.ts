import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { err, ok, type Result } from 'neverthrow';
import type { ConfigInvalidError } from '@dive/errors';
import { closeUnion, OPERATION_ERROR_TAGS, type LockError, type RuntimeError, type StateError } from '../errors.js';
import type { DeploymentStateName } from '../events.js';
import type { DeploymentReport } from '../report.js';
import type { Topology } from '../topology/types.js';
import { createBestEffort, type BestEffort } from './best-effort.js';
import { emitterFor, type EngineContext, type EngineEvent } from './context.js';
import type { Deployment, DeployOptions } from './deployment.js';
import { deploymentReport } from './deployment-report.js';
import { failureOf, failurePolicy } from './failure-policy.js';
import { recordGraph } from './graph-step.js';
import { guardedContext } from './guarded-context.js';
import { checkpoint } from './phases/checkpoint.js';
import { finish } from './phases/finish.js';
import { lease, releaseLease } from './phases/lease.js';
import { preflight, startProbes } from './phases/preflight.js';
import { recover } from './phases/recover.js';
import { rollbackPhase } from './phases/rollback.js';
import { startOrKeep } from './phases/start-or-keep.js';
import { verify } from './phases/verify.js';
import { verifyAudit } from './phases/verify-audit.js';
import type { ResolvedTopology } from './resolve.js';
import { newStarterState } from './service-starter.js';
import { stepRecorder } from './step-recorder.js';
import { transitioner } from './transitions.js';

export { DependencyUnhealthyError } from './failure-policy.js';
export type { DeployOptions } from './deployment.js';

/**
 * Errors of {@link deploy}: the deployment could not begin (lock, store, runtime preflight — including a runtime
 * whose own configuration is invalid, ConfigInvalidError), or its store failed.
 */
export type DeployError = LockError | StateError | RuntimeError | ConfigInvalidError;

/** What a deployment sets up before its lock is held: its id, clock readings, guarded ports, emitter, writes. */
interface Opening {
  readonly base: EngineContext;
  readonly ctx: EngineContext;
  readonly instance: string;
  readonly id: string;
  readonly t0: number;
  readonly emit: (event: EngineEvent) => void;
  readonly writes: BestEffort;
  readonly stop: AbortController;
  readonly probes: PromiseLike<unknown>[];
}

function open(base: EngineContext, resolved: ResolvedTopology): Opening {
  const { instance } = resolved;
  const id = randomUUID();
  const t0 = base.clock.now();
  const log = base.logger.child({ instance, deployment: id });
  const baseEmit = emitterFor(base, instance, id);
  const writes = createBestEffort(log, (f) => {
    baseEmit({ type: 'warning', message: `${f.what} failed: ${f.error._tag}: ${f.error.message}` });
  });
  // Losing the lock, or the caller's signal, stops new starts and abandons the runtime calls in flight. Every
  // in-flight start and health wait listens to it: hundreds are normal, not a leak.
  const stop = new AbortController();
  setMaxListeners(0, stop.signal);
  const ctx = guardedContext(base, { signal: stop.signal, services: resolved.services, writes });
  const record = stepRecorder({ ctx, instance, deploymentId: id, writes });
  const emit = (e: EngineEvent): void => {
    baseEmit(e);
    record(e);
  };
  return { base, ctx, instance, id, t0, emit, writes, stop, probes: [] };
}

/**
 * One deployment, start to end, as a sequence of phases: lease → audit check → recover → INITIALIZING (its
 * dependency graph recorded as a step) → preflight → checkpoint → DEPLOYING (start-or-keep, as soon as ready) → CONFIGURING → VERIFYING (verify) → finish (COMPLETE), and on
 * failure FAILED → rollback. Every runtime and store call is bounded (see `guardedContext`); best-effort writes are
 * flushed, and the lock released, before it returns.
 * @returns Ok the report — a deployment that ran and failed is an Ok report with `success: false`; Err
 *   {@link DeployError} when it could not begin (lock, store, preflight) or the store refused a transition
 */
export async function deploy(
  base: EngineContext,
  topology: Topology,
  resolved: ResolvedTopology,
  options: DeployOptions,
): Promise<Result<DeploymentReport, DeployError>> {
  const o = open(base, resolved);
  const held = await lease({ ctx: o.ctx, instance: o.instance, emit: o.emit });
  if (held.isErr()) return err(held.error);
  const onAbort = (): void => {
    o.stop.abort(base.signal?.reason);
  };
  base.signal?.addEventListener('abort', onAbort, { once: true });
  const facts: Deployment['facts'] = {};
  const lostSub = held.value.onLost((e) => {
    facts.lostLock = e;
    o.stop.abort(e);
  });
  try {
    const initial = await o.ctx.state.getState(o.instance);
    if (initial.isErr()) return err(closeUnion(OPERATION_ERROR_TAGS.state, initial.error));
    const d = deployment(o, topology, resolved, options, held.value.fencingToken, initial.value, facts);
    const result = await runPhases(d, o.base);
    const failures = await o.writes.flush();
    if (result.isErr() || failures.length === 0) return result;
    const bestEffortFailures = failures.map((f) => ({ what: f.what, error: f.error.toJSON() }));
    return ok({ ...result.value, bestEffortFailures });
  } finally {
    await Promise.all(o.probes);
    await o.writes.flush();
    base.signal?.removeEventListener('abort', onAbort);
    lostSub[Symbol.dispose]();
    await releaseLease(o.ctx, held.value, o.instance);
  }
}

/** The deployment context of the phases, once the lock is held and the instance's state read. */
function deployment(
  o: Opening,
  topology: Topology,
  resolved: ResolvedTopology,
  options: DeployOptions,
  fencingToken: number,
  initial: Parameters<typeof transitioner>[5],
  facts: Deployment['facts'],
): Deployment {
  const log = o.ctx.logger.child({ instance: o.instance, deployment: o.id });
  return {
    ctx: o.ctx,
    topology,
    resolved,
    options,
    instance: o.instance,
    id: o.id,
    t0: o.t0,
    startedAt: new Date(o.t0).toISOString(),
    fencingToken,
    log,
    emit: o.emit,
    signal: o.stop.signal,
    writes: o.writes,
    tx: transitioner(o.ctx, o.emit, o.instance, o.id, fencingToken, initial),
    tracking: newStarterState(),
    reports: new Map(),
    facts,
    probe: (p) => {
      o.probes.push(
        Promise.resolve(p as PromiseLike<unknown>).then(
          () => undefined,
          () => undefined,
        ),
      );
      return p;
    },
  };
}

const startReason = (before: DeploymentStateName): string =>
  before === 'FAILED' ? 'retry' : before === 'COMPLETE' ? 'redeploy' : 'deploy';

/** The phases in order. */
async function runPhases(d: Deployment, base: EngineContext): Promise<Result<DeploymentReport, DeployError>> {
  const audited = await verifyAudit(d);
  if (audited.isErr()) return err(audited.error);
  const probes = startProbes(d);
  const recovered = await recover(d);
  if (recovered.isErr()) return err(recovered.error);
  if (recovered.value !== undefined) d.facts.interruptedPrevious = recovered.value;
  const stateBefore = d.tx.current().state;
  const init = await d.tx.to('INITIALIZING', startReason(stateBefore));
  if (init.isErr()) return err(closeUnion(OPERATION_ERROR_TAGS.state, init.error));
  recordGraph(d);
  const pre = await preflight(d, probes);
  if (pre.isErr()) return failEarly(d, 'preflight', pre.error);
  const taken = await checkpoint(d, probes, stateBefore);
  if (taken.isErr()) return failEarly(d, 'checkpoint', taken.error);
  const deploying = await d.tx.to('DEPLOYING', 'preflight passed');
  if (deploying.isErr()) return err(closeUnion(OPERATION_ERROR_TAGS.state, deploying.error));
  const run = await startOrKeep(d, taken.value.existing, failurePolicy(d));
  let failure = failureOf(d, run);
  if (failure === undefined && run.paused) return paused(d);
  if (failure === undefined) {
    const verified = await configureAndVerify(d, taken.value.existing);
    if (verified.isErr()) return err(verified.error);
    failure = verified.value.failure;
    if (failure === undefined) {
      const done = await finish(d, taken.value.existing, verified.value.listing);
      if (done.isErr()) return err(done.error);
      return ok(deploymentReport(d, 'COMPLETE', true));
    }
  }
  return ok(await rollbackPhase(d, base, failure, taken.value));
}

/** Paused before every service started: `→ FAILED` (`paused`), nothing rolled back; a redeploy keeps what runs. */
async function paused(d: Deployment): Promise<Result<DeploymentReport, DeployError>> {
  const failed = await d.tx.to('FAILED', 'paused');
  if (failed.isErr()) return err(closeUnion(OPERATION_ERROR_TAGS.state, failed.error));
  return ok(deploymentReport(d, 'FAILED', false, { paused: true }));
}

/** CONFIGURING (jobs ran in the graph), VERIFYING, and the verify phase. */
async function configureAndVerify(
  d: Deployment,
  existing: Parameters<typeof verify>[1],
): Promise<Result<Awaited<ReturnType<typeof verify>>, StateError>> {
  const configuring = await d.tx.to('CONFIGURING', 'services healthy');
  if (configuring.isErr()) return err(closeUnion(OPERATION_ERROR_TAGS.state, configuring.error));
  const verifying = await d.tx.to('VERIFYING', 'jobs completed');
  if (verifying.isErr()) return err(closeUnion(OPERATION_ERROR_TAGS.state, verifying.error));
  return ok(await verify(d, existing));
}

/** Nothing was started: the deployment could not begin (runtime unreachable, image missing), so it is an Err. */
async function failEarly(
  d: Deployment,
  phase: string,
  error: DeployError,
): Promise<Result<DeploymentReport, DeployError>> {
  d.emit({ type: 'phase', phase, status: 'failed' });
  d.writes.launch(
    'recording the deployment error',
    d.ctx.state.recordError(error, { instance: d.instance, deploymentId: d.id }),
  );
  const failed = await d.tx.to('FAILED', `${phase}: ${error._tag}`, { error: error.toJSON() });
  if (failed.isErr()) return err(closeUnion(OPERATION_ERROR_TAGS.state, failed.error));
  return err(error);
}
