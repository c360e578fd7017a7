import type { DeploymentReport, ServiceReport } from '../report.js';
import type { Deployment } from './deployment.js';

/** A service's timings in the report: first start, healthy, and the span between (ms since the deployment began). */
export function timing(d: Pick<Deployment, 'tracking'>, name: string): Partial<ServiceReport> {
  const s = d.tracking.startedAt.get(name);
  const h = d.tracking.healthyAt.get(name);
  return {
    ...(s === undefined ? {} : { startedAtMs: s }),
    ...(h === undefined ? {} : { healthyAtMs: h }),
    ...(s !== undefined && h !== undefined ? { durationMs: h - s } : {}),
  };
}

/** The report of a deployment as it stands: every service (those not reached: `not-started`), the critical path. */
export function deploymentReport(
  d: Pick<
    Deployment,
    | 'ctx'
    | 'resolved'
    | 'options'
    | 'instance'
    | 'id'
    | 't0'
    | 'startedAt'
    | 'fencingToken'
    | 'tracking'
    | 'reports'
    | 'facts'
  >,
  status: DeploymentReport['status'],
  success: boolean,
  extra: Partial<DeploymentReport> = {},
): DeploymentReport {
  const services = [...d.resolved.services.values()];
  const { tracking } = d;
  const durations = Object.fromEntries(
    services.map((s) => [
      s.name,
      Math.max(0, (tracking.healthyAt.get(s.name) ?? 0) - (tracking.startedAt.get(s.name) ?? 0)),
    ]),
  );
  const critical = d.resolved.graph.criticalPath(durations);
  const { checkpointId, interruptedPrevious } = d.facts;
  return {
    deploymentId: d.id,
    instance: d.instance,
    status,
    success,
    startedAt: d.startedAt,
    durationMs: d.ctx.clock.now() - d.t0,
    fencingToken: d.fencingToken,
    services: services.map(
      (s) =>
        d.reports.get(s.name) ?? {
          name: s.name,
          kind: s.kind,
          status: 'not-started',
          attempts: tracking.attempts.get(s.name) ?? 0,
          level: s.level,
        },
    ),
    criticalPath: { path: critical.path, totalMs: critical.totalMs },
    schedule: d.options.schedule,
    ...(checkpointId === undefined ? {} : { checkpointId }),
    ...(interruptedPrevious === undefined ? {} : { interruptedPrevious }),
    ...extra,
  };
}
