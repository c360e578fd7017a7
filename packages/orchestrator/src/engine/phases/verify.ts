import type { DiveError } from '@dive/errors';
import type { ResultAsync } from 'neverthrow';
import type { ServiceHandle, ServiceStatus } from '../../runtime/types.js';
import type { Deployment } from '../deployment.js';
import { DependencyUnhealthyError } from '../failure-policy.js';
import type { ResolvedService } from '../resolve.js';
import { startService } from '../service-starter.js';

/** What the verify phase hands on: the instance's services, listed during the sweep (for the finish phase). */
export interface Verified {
  /** Why the deployment fails after all, if it does. */
  readonly failure?: DiveError;
  readonly listing: ResultAsync<readonly ServiceHandle[], DiveError>;
}

/** The handle a service runs under after the deploy phase: the one this deployment created, or the kept one. */
const handleOf = (d: Deployment, existing: ReadonlyMap<string, ServiceHandle>, name: string) =>
  d.tracking.created.get(name) ?? existing.get(name);

const healthDeadline = (svc: ResolvedService): number => Math.min(svc.startTimeoutMs, 10_000);

/**
 * Verify: every long-running service still runs and is healthy. Every service is inspected at once, and when all
 * of them run, their health is confirmed at once; when one stopped, the sweep goes in topology order and a service
 * is started again (once more under its retry policy) before its dependents are looked at. Emits the `verify`
 * phase. The instance is listed alongside (read-only), for the finish phase.
 * @returns the first problem, in topology order, or none
 */
export async function verify(d: Deployment, existing: ReadonlyMap<string, ServiceHandle>): Promise<Verified> {
  d.emit({ type: 'phase', phase: 'verify', status: 'started' });
  const listing = d.probe(d.ctx.runtime.list(d.instance));
  const running: { readonly svc: ResolvedService; readonly handle: ServiceHandle }[] = [];
  for (const [name, svc] of d.resolved.services) {
    const handle = svc.kind === 'job' ? undefined : handleOf(d, existing, name);
    if (handle !== undefined) running.push({ svc, handle });
  }
  const statuses = await Promise.all(running.map(({ handle }) => d.ctx.runtime.status(handle)));
  let failure: DiveError | undefined;
  if (statuses.every((s) => s.isOk() && s.value.state === 'running')) {
    const healthy = await Promise.all(
      running.map(({ svc, handle }) =>
        d.ctx.health.wait(d.ctx.runtime, handle, svc.health, { deadlineMs: healthDeadline(svc), kind: svc.kind }),
      ),
    );
    failure = healthy.find((h) => h.isErr())?.error;
  } else {
    failure = await verifyInOrder(d, existing);
  }
  d.emit({ type: 'phase', phase: 'verify', status: failure === undefined ? 'finished' : 'failed' });
  return { ...(failure === undefined ? {} : { failure }), listing };
}

/** A service that crashed after it was healthy gets one more start under its retry policy (scenario 3). */
async function restart(d: Deployment, svc: ResolvedService): Promise<DiveError | undefined> {
  d.emit({ type: 'warning', message: `${svc.name} stopped running after it was healthy; starting it again` });
  const r = await startService(d, svc, () => undefined);
  return r.isErr() ? r.error : undefined;
}

/** The sequential sweep: each service in topology order, started again when it stopped. */
async function verifyInOrder(
  d: Deployment,
  existing: ReadonlyMap<string, ServiceHandle>,
): Promise<DiveError | undefined> {
  for (const [name, svc] of d.resolved.services) {
    if (svc.kind === 'job') continue;
    const handle = handleOf(d, existing, name);
    if (handle === undefined) continue;
    const s = await d.ctx.runtime.status(handle);
    if (s.isErr()) return s.error;
    if (s.value.state !== 'running') {
      const problem = await bringBack(d, existing, svc, handle, s.value);
      if (problem !== undefined) return problem;
      continue;
    }
    const h = await d.ctx.health.wait(d.ctx.runtime, handle, svc.health, {
      deadlineMs: healthDeadline(svc),
      kind: svc.kind,
    });
    if (h.isErr()) return h.error;
  }
  return undefined;
}

/** Start a stopped service again; the error when it does not come back (with its status and last log lines). */
async function bringBack(
  d: Deployment,
  existing: ReadonlyMap<string, ServiceHandle>,
  svc: ResolvedService,
  stopped: ServiceHandle,
  before: ServiceStatus,
): Promise<DiveError | undefined> {
  const { instance } = d;
  const logs = await d.ctx.runtime.logs(stopped, { tail: 50 });
  const again = await restart(d, svc);
  const handle = handleOf(d, existing, svc.name) ?? stopped;
  const s = again === undefined ? await d.ctx.runtime.status(handle) : undefined;
  if (again === undefined && s?.isOk() === true && s.value.state === 'running') return undefined;
  return new DependencyUnhealthyError(
    `${svc.name} of ${instance} stopped running after it was healthy, and starting it again failed${again === undefined ? '' : `: ${again.message}`}`,
    {
      context: {
        instance,
        service: svc.name,
        status: s === undefined ? before : s.isOk() ? s.value : undefined,
        logs: logs.isOk() ? logs.value : [],
      },
      ...(again === undefined ? {} : { cause: again }),
    },
  );
}
