import type { DiveError } from '@dive/errors';
import { ok, type ResultAsync } from 'neverthrow';
import type { ServiceHandle } from '../../runtime/types.js';
import type { Deployment } from '../deployment.js';
import { timing } from '../deployment-report.js';
import type { FailurePolicy } from '../failure-policy.js';
import type { ResolvedService } from '../resolve.js';
import { runGraph, type RunGraphResult, type StartOutcome } from '../run-graph.js';
import { startService } from '../service-starter.js';
import { updateOrder } from '../update-order.js';

/** Keep an unchanged service that still runs; start it again when it does not. */
function keepOrStart(
  d: Deployment,
  svc: ResolvedService,
  old: ServiceHandle,
  markStarted: () => void,
): ResultAsync<StartOutcome, DiveError> {
  return d.ctx.runtime.status(old).andThen((s) => {
    if (s.state !== 'running') return startService(d, svc, markStarted);
    d.emit({ type: 'service-unchanged', service: svc.name });
    d.reports.set(svc.name, { name: svc.name, kind: svc.kind, status: 'unchanged', attempts: 0, level: svc.level });
    markStarted();
    return ok<StartOutcome, DiveError>('unchanged');
  });
}

/**
 * Take the predecessor of a changed service out of service and say so: retired (stopped and kept, so that a
 * rollback restores that very service) where the runtime can, else stopped. A failure fails the service (no
 * `service-stopped`).
 */
function stopOld(d: Deployment, name: string, old: ServiceHandle): ResultAsync<void, DiveError> {
  const { runtime } = d.ctx;
  const stopped =
    runtime.retire === undefined
      ? runtime.stop(old)
      : runtime.retire(old).map((retired) => {
          d.tracking.retired.set(name, retired);
        });
  return stopped.map(() => {
    d.emit({ type: 'service-stopped', service: name });
  });
}

/**
 * Replace a changed service's predecessor by its update order: `stop-first` retires (or stops) the old one, then
 * starts the new one; `start-first` starts the new one beside it (the names differ by deployment id) and retires
 * (or stops) the old one only once the new one is healthy, so a new one that fails leaves the old one running
 * untouched. A retired predecessor is kept until the deployment is verified (see the finish and rollback phases).
 */
function replace(
  d: Deployment,
  svc: ResolvedService,
  old: ServiceHandle,
  markStarted: () => void,
): ResultAsync<StartOutcome, DiveError> {
  if (updateOrder(svc.spec) === 'stop-first') {
    return stopOld(d, svc.name, old).andThen(() => startService(d, svc, markStarted));
  }
  return startService(d, svc, markStarted).andThen((outcome) => stopOld(d, svc.name, old).map(() => outcome));
}

/** Start one service, or keep it: unchanged ones stay; a changed one replaces its predecessor (by its update order). */
function startOrKeepOne(
  d: Deployment,
  existing: ReadonlyMap<string, ServiceHandle>,
  name: string,
  markStarted: () => void,
): ResultAsync<StartOutcome, DiveError> {
  const svc = d.resolved.services.get(name);
  if (svc === undefined) throw new RangeError(`unknown service ${name}`);
  const old = existing.get(name);
  if (old !== undefined && old.configHash === svc.configHash && svc.kind === 'service') {
    return keepOrStart(d, svc, old, markStarted);
  }
  const begin = old === undefined ? startService(d, svc, markStarted) : replace(d, svc, old, markStarted);
  return begin.map((outcome) => {
    d.reports.set(name, {
      name,
      kind: svc.kind,
      status: outcome === 'completed' ? 'completed' : 'healthy',
      attempts: d.tracking.attempts.get(name) ?? 1,
      level: svc.level,
      ...timing(d, name),
    });
    return outcome;
  });
}

/** Report a failed service and the services it blocked; record its error; ask the failure policy. */
function onFailed(
  d: Deployment,
  policy: FailurePolicy,
  name: string,
  error: DiveError,
  blocked: readonly string[],
): boolean {
  const svc = d.resolved.services.get(name);
  d.reports.set(name, {
    name,
    kind: svc?.kind ?? 'service',
    status: 'failed',
    attempts: d.tracking.attempts.get(name) ?? 0,
    level: svc?.level ?? 0,
    error: error.toJSON(),
    ...timing(d, name),
  });
  for (const b of blocked) {
    const bs = d.resolved.services.get(b);
    d.reports.set(b, { name: b, kind: bs?.kind ?? 'service', status: 'blocked', attempts: 0, level: bs?.level ?? 0 });
  }
  d.emit({ type: 'service-failed', service: name, error: error.toJSON(), blocked });
  d.writes.launch(
    `recording the error of ${name}`,
    d.ctx.state.recordError(error, { instance: d.instance, deploymentId: d.id, service: name }),
  );
  return policy.decide(name, error);
}

/**
 * Start-or-keep: the `deploy` phase. Every service starts as soon as its own dependencies are ready (or level by
 * level), up to `concurrency` at once; the failure policy decides whether a failure stops new starts. Emits the
 * `deploy` phase's start and end. Never fails: what failed is in the {@link RunGraphResult}.
 */
export async function startOrKeep(
  d: Deployment,
  existing: ReadonlyMap<string, ServiceHandle>,
  policy: FailurePolicy,
): Promise<RunGraphResult> {
  d.emit({ type: 'phase', phase: 'deploy', status: 'started' });
  const { graph } = d.resolved;
  const run = await runGraph({
    scheduler: graph.createScheduler(),
    start: (name, markStarted) => startOrKeepOne(d, existing, name, markStarted),
    schedule: d.options.schedule,
    levelOf: (n) => graph.levelOf(n),
    signal: d.signal,
    ...(d.options.concurrency === undefined ? {} : { concurrency: d.options.concurrency }),
    ...(d.options.shouldStartNext === undefined ? {} : { shouldStartNext: d.options.shouldStartNext }),
    onFailed: (name, error, blocked) => onFailed(d, policy, name, error, blocked),
  });
  const finished = run.failed.size === 0 && !run.stoppedEarly;
  d.emit({ type: 'phase', phase: 'deploy', status: finished ? 'finished' : 'failed' });
  return run;
}
