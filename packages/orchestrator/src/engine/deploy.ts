import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { CancelledError, createErrorLedger, defineError, type DiveError } from '@dive/errors';
import { err, ok, ResultAsync, type Result } from 'neverthrow';
import type { DeploymentReport, RollbackReport, ServiceReport } from '../report.js';
import type { ServiceHandle } from '../runtime/types.js';
import type { Topology } from '../topology/types.js';
import { emitterFor, type EngineContext } from './context.js';
import { latestGeneration } from './generation.js';
import type { CheckpointPayload } from './ports.js';
import type { ResolvedService, ResolvedTopology } from './resolve.js';
import { rollbackInstance } from './rollback.js';
import { runGraph, type StartOutcome } from './run-graph.js';
import { startService, type StarterState } from './service-starter.js';
import { FINAL_STATES, transitioner } from './transitions.js';

/** 4002: a service could not be made healthy, so the deployment failed. */
export class DependencyUnhealthyError extends defineError('DependencyUnhealthyError') {}

/** Options of one deployment. */
export interface DeployOptions {
  readonly concurrency?: number;
  readonly rollback: 'auto' | 'never';
  readonly schedule: 'ready' | 'levels';
  /** Open breakers that trigger a rollback (SPEC §6). Default 5. */
  readonly maxOpenBreakers?: number;
}

const nowIso = (ctx: EngineContext): string => new Date(ctx.now()).toISOString();

/**
 * One deployment, start to end: lock → close an interrupted predecessor → INITIALIZING → preflight → checkpoint →
 * DEPLOYING (as-soon-as-ready) → CONFIGURING → VERIFYING → COMPLETE, and on failure FAILED → rollback.
 * Returns Err only when the deployment could not begin (lock, store, preflight); a deployment that ran and failed
 * is an Ok report with `success: false`.
 */
export async function deploy(
  ctx: EngineContext,
  topology: Topology,
  resolved: ResolvedTopology,
  options: DeployOptions,
): Promise<Result<DeploymentReport, DiveError>> {
  const { instance } = resolved;
  const deploymentId = randomUUID();
  const baseEmit = emitterFor(ctx, instance, deploymentId);
  const t0 = ctx.now();
  const startedAt = nowIso(ctx);
  const log = ctx.logger.child({ instance, deployment: deploymentId });
  // Every step is recorded in the store; writes run alongside the deployment and are flushed before it returns.
  const pendingSteps = new Set<Promise<unknown>>();
  const phaseStart = new Map<string, number>();
  const serviceStart = new Map<string, number>();
  const record = (
    name: string,
    status: 'started' | 'succeeded' | 'failed',
    startedAtMs: number,
    detail?: Record<string, unknown>,
  ): void => {
    const p: Promise<unknown> = Promise.resolve(
      ctx.state.recordStep({
        deploymentId,
        instance,
        name,
        status,
        startedAt: new Date(startedAtMs).toISOString(),
        ...(status === 'started' ? {} : { endedAt: new Date(ctx.now()).toISOString() }),
        ...(detail === undefined ? {} : { detail }),
      }),
    ).then(() => pendingSteps.delete(p));
    pendingSteps.add(p);
  };
  /** Emit an event, and record phases and services as steps. */
  const emit: typeof baseEmit = (e) => {
    baseEmit(e);
    const at = ctx.now();
    if (e.type === 'phase') {
      if (e.status === 'started') phaseStart.set(e.phase, at);
      record(
        `phase:${e.phase}`,
        e.status === 'started' ? 'started' : e.status === 'finished' ? 'succeeded' : 'failed',
        phaseStart.get(e.phase) ?? at,
      );
    } else if (e.type === 'service-starting' && !serviceStart.has(e.service)) {
      serviceStart.set(e.service, at);
      record(`service:${e.service}`, 'started', at, { attempt: e.attempt });
    } else if (e.type === 'service-healthy' || e.type === 'service-completed') {
      record(`service:${e.service}`, 'succeeded', serviceStart.get(e.service) ?? at, { durationMs: e.durationMs });
    } else if (e.type === 'service-failed') {
      record(`service:${e.service}`, 'failed', serviceStart.get(e.service) ?? at, { error: e.error });
    }
  };

  // 1. The deployment lock, with its fencing token on every state write.
  emit({ type: 'lock-waiting', lock: 'deployment' });
  const leaseResult = await ctx.locks.acquire('deployment', instance, {
    timeoutMs: ctx.lockTimeoutMs,
    ...(ctx.signal === undefined ? {} : { signal: ctx.signal }),
  });
  if (leaseResult.isErr()) return err(leaseResult.error);
  const lease = leaseResult.value;
  emit({ type: 'lock-acquired', lock: 'deployment', fencingToken: lease.fencingToken, waitedMs: ctx.now() - t0 });

  // Losing the lock, or the caller's signal, stops new starts.
  const stop = new AbortController();
  // Every in-flight start and health wait listens to it: hundreds are normal, not a leak.
  setMaxListeners(0, stop.signal);
  const onAbort = (): void => {
    stop.abort(ctx.signal?.reason);
  };
  ctx.signal?.addEventListener('abort', onAbort, { once: true });
  let lostLock: DiveError | undefined;
  // Read-only probes started ahead of their use; awaited before the lock is released, whatever path returns.
  const probes: Promise<void>[] = [];
  const probe = (p: PromiseLike<unknown> | ResultAsync<unknown, DiveError>): void => {
    probes.push(
      (async (): Promise<void> => {
        await p;
      })(),
    );
  };
  const lostSub = lease.onLost((e) => {
    lostLock = e;
    stop.abort(e);
  });
  try {
    const initial = await ctx.state.getState(instance);
    if (initial.isErr()) return err(initial.error);
    const tx = transitioner(ctx, emit, instance, deploymentId, lease.fencingToken, initial.value);
    const services = [...resolved.services.values()];

    // Read-only probes run alongside the state writes below, under the lock: the runtime's preflight (its ping and
    // the image inspects at once), and what the checkpoint needs (what runs now, the last generation). Their results
    // are taken in the same order as before, and nothing changes before they passed and the checkpoint is written.
    const preflightProbe = ResultAsync.combine([
      ctx.runtime.ping(),
      ctx.runtime.preflight(
        services.map((s) => ({
          instance,
          service: s.name,
          deploymentId,
          configHash: s.configHash,
          kind: s.kind,
          env: {},
          ...(s.spec.container === undefined ? {} : { container: s.spec.container }),
          ...(s.spec.process === undefined ? {} : { process: s.spec.process }),
        })),
      ),
    ]);
    const existingProbe = ctx.runtime.list(instance);
    const previousProbe = latestGeneration(ctx, instance);
    for (const p of [preflightProbe, existingProbe, previousProbe]) probe(p);

    // 2. An earlier deployment that died mid-way left a non-final state: record it as interrupted.
    let interruptedPrevious: DeploymentReport['interruptedPrevious'];
    if (!FINAL_STATES.has(initial.value.state)) {
      interruptedPrevious = {
        state: initial.value.state,
        ...(initial.value.deploymentId === undefined ? {} : { deploymentId: initial.value.deploymentId }),
      };
      log.warn({ previous: interruptedPrevious }, 'found an interrupted deployment');
      const closed =
        initial.value.state === 'CLEANUP'
          ? await tx.to('UNKNOWN', 'interrupted')
          : await tx.to('FAILED', 'interrupted');
      if (closed.isErr()) return err(closed.error);
    }
    const stateBefore = tx.current().state;

    // 3. INITIALIZING and preflight.
    const init = await tx.to(
      'INITIALIZING',
      stateBefore === 'FAILED' ? 'retry' : stateBefore === 'COMPLETE' ? 'redeploy' : 'deploy',
    );
    if (init.isErr()) return err(init.error);
    const failEarly = async (phase: string, error: DiveError): Promise<Result<DeploymentReport, DiveError>> => {
      emit({ type: 'phase', phase, status: 'failed' });
      await ctx.state.recordError(error, { instance, deploymentId });
      const failed = await tx.to('FAILED', `${phase}: ${error._tag}`, { error: error.toJSON() });
      if (failed.isErr()) return err(failed.error);
      // Nothing was started: the deployment could not begin (runtime unreachable, image missing), so it is an Err.
      return err(error);
    };

    const reports = new Map<string, ServiceReport>();
    const tracking: StarterState = {
      created: new Map(),
      attempts: new Map(),
      startedAt: new Map(),
      healthyAt: new Map(),
    };
    const cp0: { id?: string } = {};
    const report = (
      status: DeploymentReport['status'],
      success: boolean,
      extra: Partial<DeploymentReport> = {},
    ): DeploymentReport => {
      const durations = Object.fromEntries(
        services.map((s) => [
          s.name,
          Math.max(0, (tracking.healthyAt.get(s.name) ?? 0) - (tracking.startedAt.get(s.name) ?? 0)),
        ]),
      );
      const critical = resolved.graph.criticalPath(durations);
      return {
        deploymentId,
        instance,
        status,
        success,
        startedAt,
        durationMs: ctx.now() - t0,
        fencingToken: lease.fencingToken,
        services: services.map(
          (s) =>
            reports.get(s.name) ?? {
              name: s.name,
              kind: s.kind,
              status: 'not-started',
              attempts: tracking.attempts.get(s.name) ?? 0,
              level: s.level,
            },
        ),
        criticalPath: { path: critical.path, totalMs: critical.totalMs },
        schedule: options.schedule,
        ...(cp0.id === undefined ? {} : { checkpointId: cp0.id }),
        ...(interruptedPrevious === undefined ? {} : { interruptedPrevious }),
        ...extra,
      };
    };

    emit({ type: 'phase', phase: 'preflight', status: 'started' });
    const pre = await preflightProbe;
    if (pre.isErr()) return await failEarly('preflight', pre.error);
    emit({ type: 'phase', phase: 'preflight', status: 'finished' });

    // 4. Checkpoint what runs now (the previous generation), before anything changes.
    const existing = await existingProbe;
    if (existing.isErr()) return await failEarly('checkpoint', existing.error);
    const previous = await previousProbe;
    const existingBy = new Map(existing.value.map((h) => [h.service, h]));
    const checkpoint: CheckpointPayload = {
      deploymentId,
      takenAt: nowIso(ctx),
      state: stateBefore,
      services: Object.fromEntries(
        [...existingBy.entries()]
          .filter(([name, h]) => previous?.services[name]?.configHash === h.configHash)
          .map(([name, h]) => [name, { configHash: h.configHash, handle: h, spec: previous?.services[name]?.spec }]),
      ),
      ...(previous?.topology === undefined ? {} : { topology: previous.topology }),
    };
    const cp = await ctx.state.createCheckpoint(instance, checkpoint);
    if (cp.isErr()) return await failEarly('checkpoint', cp.error);
    const checkpointId = cp.value;
    cp0.id = checkpointId;
    emit({ type: 'checkpoint', checkpointId });

    // 5. DEPLOYING: every service as soon as its own dependencies are ready.
    const deploying = await tx.to('DEPLOYING', 'preflight passed');
    if (deploying.isErr()) return err(deploying.error);
    const ledger = createErrorLedger();
    const start = (name: string, markStarted: () => void) => {
      const svc = resolved.services.get(name);
      if (svc === undefined) throw new RangeError(`unknown service ${name}`);
      const old = existingBy.get(name);
      if (old !== undefined && old.configHash === svc.configHash && svc.kind === 'service') {
        // Unchanged: leave it running if it is still healthy.
        return ctx.runtime.status(old).andThen((s) => {
          if (s.state === 'running') {
            emit({ type: 'service-unchanged', service: name });
            reports.set(name, { name, kind: svc.kind, status: 'unchanged', attempts: 0, level: svc.level });
            markStarted();
            return ok<StartOutcome, DiveError>('unchanged');
          }
          return startService(ctx, emit, instance, deploymentId, svc, tracking, t0, markStarted, stop.signal);
        });
      }
      // A changed service replaces its predecessor (stopped first: same name, same ports).
      const begin =
        old === undefined
          ? startService(ctx, emit, instance, deploymentId, svc, tracking, t0, markStarted, stop.signal)
          : ctx.runtime.stop(old).andThen(() => {
              emit({ type: 'service-stopped', service: name });
              return startService(ctx, emit, instance, deploymentId, svc, tracking, t0, markStarted, stop.signal);
            });
      return begin.map((outcome) => {
        reports.set(name, {
          name,
          kind: svc.kind,
          status: outcome === 'completed' ? 'completed' : 'healthy',
          attempts: tracking.attempts.get(name) ?? 1,
          level: svc.level,
          ...timing(name),
        });
        return outcome;
      });
    };
    const timing = (name: string) => {
      const s = tracking.startedAt.get(name);
      const h = tracking.healthyAt.get(name);
      return {
        ...(s === undefined ? {} : { startedAtMs: s }),
        ...(h === undefined ? {} : { healthyAtMs: h }),
        ...(s !== undefined && h !== undefined ? { durationMs: h - s } : {}),
      };
    };
    emit({ type: 'phase', phase: 'deploy', status: 'started' });
    const graphRun = await runGraph({
      scheduler: resolved.graph.createScheduler(),
      start,
      schedule: options.schedule,
      levelOf: (n) => resolved.graph.levelOf(n),
      signal: stop.signal,
      ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
      onFailed: (name, error, blocked) => {
        const svc = resolved.services.get(name);
        reports.set(name, {
          name,
          kind: svc?.kind ?? 'service',
          status: 'failed',
          attempts: tracking.attempts.get(name) ?? 0,
          level: svc?.level ?? 0,
          error: error.toJSON(),
          ...timing(name),
        });
        for (const b of blocked) {
          const bs = resolved.services.get(b);
          reports.set(b, {
            name: b,
            kind: bs?.kind ?? 'service',
            status: 'blocked',
            attempts: 0,
            level: bs?.level ?? 0,
          });
        }
        emit({ type: 'service-failed', service: name, error: error.toJSON(), blocked });
        void ctx.state.recordError(error, { instance, deploymentId, service: name });
        const decision = ledger.record(error, { key: name });
        log.error({ service: name, err: error.toJSON(), decision: decision.action }, `${name} failed`);
        const tooManyOpen = ctx.policy.openBreakers().length >= (options.maxOpenBreakers ?? 5);
        // A critical service's failure fails the deployment; a non-critical one continues degraded.
        return svc?.critical === false && decision.continue && !tooManyOpen;
      },
    });
    emit({
      type: 'phase',
      phase: 'deploy',
      status: graphRun.failed.size === 0 && !graphRun.stoppedEarly ? 'finished' : 'failed',
    });

    let failure: DiveError | undefined;
    const criticalFailure = [...graphRun.failed.entries()].find(([n]) => resolved.services.get(n)?.critical !== false);
    if (lostLock !== undefined) failure = lostLock;
    else if (ctx.signal?.aborted === true)
      failure = new CancelledError(`deployment of ${instance} cancelled`, { context: { instance, deploymentId } });
    else if (criticalFailure !== undefined) {
      failure = new DependencyUnhealthyError(
        `deployment of ${instance} failed: ${criticalFailure[0]} — ${criticalFailure[1].message}`,
        {
          cause: criticalFailure[1],
          context: {
            instance,
            service: criticalFailure[0],
            blocked: [...graphRun.blocked],
            notStarted: graphRun.notStarted,
          },
          severity: criticalFailure[1].severity,
          remediation: criticalFailure[1].remediation,
        },
      );
    }

    let afterVerify: ReturnType<typeof ctx.runtime.list> | undefined;
    if (failure === undefined) {
      // 6. CONFIGURING (jobs have run in the graph) and VERIFYING: a final sweep that every service still runs.
      const configuring = await tx.to('CONFIGURING', 'services healthy');
      if (configuring.isErr()) return err(configuring.error);
      const verifying = await tx.to('VERIFYING', 'jobs completed');
      if (verifying.isErr()) return err(verifying.error);
      emit({ type: 'phase', phase: 'verify', status: 'started' });
      // A service that crashed after it was healthy gets one more start under its retry policy (scenario 3);
      // if that fails too, the deployment fails and is rolled back.
      const restart = async (name: string): Promise<DiveError | undefined> => {
        const svc = resolved.services.get(name);
        if (svc === undefined) return undefined;
        emit({ type: 'warning', message: `${name} stopped running after it was healthy; starting it again` });
        const r = await startService(
          ctx,
          emit,
          instance,
          deploymentId,
          svc,
          tracking,
          t0,
          () => undefined,
          stop.signal,
        );
        return r.isErr() ? r.error : undefined;
      };
      // The instance's containers are listed (read-only) during the sweep; orphans are stopped only after it passed.
      const listing = ctx.runtime.list(instance);
      probe(listing);
      failure = await verify({ ctx, instance, resolved, created: tracking.created, existing: existingBy, restart });
      emit({ type: 'phase', phase: 'verify', status: failure === undefined ? 'finished' : 'failed' });
      afterVerify = listing;
    }

    if (failure === undefined) {
      // 7. Orphans (services of the instance no longer in the topology) go; the new generation is recorded.
      const now = await (afterVerify ?? ctx.runtime.list(instance));
      if (now.isOk()) {
        for (const h of now.value) {
          if (!resolved.services.has(h.service)) {
            await ctx.runtime.stop(h);
            emit({ type: 'service-stopped', service: h.service });
          }
        }
      }
      const generation = currentGeneration(
        ctx,
        topology,
        resolved,
        tracking.created,
        existingBy,
        deploymentId,
        'COMPLETE',
      );
      const gen = await ctx.state.createCheckpoint(instance, generation);
      const complete = await tx.to('COMPLETE', 'verified', {
        checkpointId: gen.isOk() ? gen.value : undefined,
        durationMs: ctx.now() - t0,
      });
      if (complete.isErr()) return err(complete.error);
      return ok(report('COMPLETE', true));
    }

    // 8. Failure: FAILED, then roll back unless told not to.
    await ctx.state.recordError(failure, { instance, deploymentId });
    const failedState = await tx.to('FAILED', failure._tag === 'CancelledError' ? 'cancelled' : failure._tag, {
      error: failure.toJSON(),
    });
    if (failedState.isErr()) return ok(report(tx.current().state, false, { error: failure.toJSON() }));
    let rollback: RollbackReport | undefined;
    if (options.rollback === 'auto' && lostLock === undefined) {
      rollback = await rollbackInstance(ctx, {
        instance,
        deploymentId,
        tx,
        emit,
        created: tracking.created,
        checkpoint: { id: checkpointId, payload: checkpoint },
        strategy: 'complete',
        reason: failure._tag === 'CancelledError' ? 'cancelled' : `deployment failed: ${failure._tag}`,
      });
    }
    return ok(
      report(tx.current().state, false, { error: failure.toJSON(), ...(rollback === undefined ? {} : { rollback }) }),
    );
  } finally {
    await Promise.all([...pendingSteps, ...probes]);
    ctx.signal?.removeEventListener('abort', onAbort);
    lostSub[Symbol.dispose]();
    const released = await lease.release();
    if (released.isErr()) log.warn({ err: released.error.toJSON() }, 'releasing the deployment lock failed');
  }
}

/** The services that run after this deployment (new ones and unchanged ones), for the generation checkpoint. */
function currentGeneration(
  ctx: EngineContext,
  topology: Topology,
  resolved: ResolvedTopology,
  created: ReadonlyMap<string, ServiceHandle>,
  existing: ReadonlyMap<string, ServiceHandle>,
  deploymentId: string,
  state: 'COMPLETE',
): CheckpointPayload {
  const services: Record<string, CheckpointPayload['services'][string]> = {};
  for (const [name, svc] of resolved.services) {
    if (svc.kind === 'job') continue;
    const handle = created.get(name) ?? existing.get(name);
    if (handle !== undefined) services[name] = { configHash: svc.configHash, handle, spec: svc.spec };
  }
  return { deploymentId, takenAt: new Date(ctx.now()).toISOString(), state, services, topology };
}

/** What the VERIFYING sweep looks at: the services of this deployment and the ones it kept, and how to restart one. */
interface Sweep {
  readonly ctx: EngineContext;
  readonly instance: string;
  readonly resolved: ResolvedTopology;
  readonly created: ReadonlyMap<string, ServiceHandle>;
  readonly existing: ReadonlyMap<string, ServiceHandle>;
  readonly restart: (name: string) => Promise<DiveError | undefined>;
}

/**
 * VERIFYING: every long-running service still runs; returns the first problem, in topology order. Every service is
 * inspected at once, and when all of them run, their health is confirmed at once. When one stopped, the sweep is
 * the sequential one, in topology order: a service is started again before its dependents are looked at.
 */
async function verify(sweep: Sweep): Promise<DiveError | undefined> {
  const { ctx, resolved, created, existing } = sweep;
  const running: { readonly svc: ResolvedService; readonly handle: ServiceHandle }[] = [];
  for (const [name, svc] of resolved.services) {
    const handle = svc.kind === 'job' ? undefined : (created.get(name) ?? existing.get(name));
    if (handle !== undefined) running.push({ svc, handle });
  }
  const statuses = await Promise.all(running.map(({ handle }) => ctx.runtime.status(handle)));
  if (statuses.every((s) => s.isOk() && s.value.state === 'running')) {
    const healthy = await Promise.all(
      running.map(({ svc, handle }) =>
        ctx.health.wait(ctx.runtime, handle, svc.health, {
          deadlineMs: Math.min(svc.startTimeoutMs, 10_000),
          kind: svc.kind,
        }),
      ),
    );
    return healthy.find((h) => h.isErr())?.error;
  }
  return verifyInOrder(sweep);
}

/** The sequential sweep: each service in topology order, started again when it stopped. */
async function verifyInOrder(sweep: Sweep): Promise<DiveError | undefined> {
  const { ctx, instance, resolved, created, existing, restart } = sweep;
  for (const [name, svc] of resolved.services) {
    if (svc.kind === 'job') continue;
    let handle = created.get(name) ?? existing.get(name);
    if (handle === undefined) continue;
    let s = await ctx.runtime.status(handle);
    if (s.isErr()) return s.error;
    if (s.value.state !== 'running') {
      const logs = await ctx.runtime.logs(handle, { tail: 50 });
      const again = await restart(name);
      handle = created.get(name) ?? handle;
      s = again === undefined ? await ctx.runtime.status(handle) : s;
      if (again === undefined && s.isOk() && s.value.state === 'running') continue;
      return new DependencyUnhealthyError(
        `${name} of ${instance} stopped running after it was healthy, and starting it again failed${again === undefined ? '' : `: ${again.message}`}`,
        {
          context: {
            instance,
            service: name,
            status: s.isOk() ? s.value : undefined,
            logs: logs.isOk() ? logs.value : [],
          },
          ...(again === undefined ? {} : { cause: again }),
        },
      );
    }
    const h = await ctx.health.wait(ctx.runtime, handle, svc.health, {
      deadlineMs: Math.min(svc.startTimeoutMs, 10_000),
      kind: svc.kind,
    });
    if (h.isErr()) return h.error;
  }
  return undefined;
}
