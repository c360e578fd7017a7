import type { FleetGateStatus, FleetInstanceUpdate, FleetRun, FleetRunState, NewFleetRun } from './types.js';

// Pure updates of a run held as one document (the memory and file fleet stores); PostgreSQL keeps rows instead.

const byKey =
  <T>(key: (x: T) => string) =>
  (a: T, b: T) =>
    key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;

/** A new run: `RUNNING`, every instance `PENDING`. @internal */
export function newRunDocument(run: NewFleetRun): FleetRun {
  return {
    id: run.id,
    fleet: run.fleet,
    state: 'RUNNING',
    startedAt: run.startedAt,
    updatedAt: run.startedAt,
    instances: run.instances
      .map((i) => ({ instance: i.instance, wave: i.wave, status: 'PENDING' as const, updatedAt: run.startedAt }))
      .sort(byKey((i) => i.instance)),
    gates: [],
    approvals: [],
  };
}

/** The run with its state (and reason) set. @internal */
export function withRunState(
  run: FleetRun,
  state: FleetRunState,
  options: { readonly at: number; readonly reason?: string | null },
): FleetRun {
  const { reason: _old, ...rest } = run;
  const reason = options.reason === undefined ? run.reason : options.reason;
  return { ...rest, state, updatedAt: options.at, ...(reason === null || reason === undefined ? {} : { reason }) };
}

/** The run with one instance updated (added when new). @internal */
export function withInstance(run: FleetRun, instance: string, u: FleetInstanceUpdate): FleetRun {
  const old = run.instances.find((i) => i.instance === instance);
  const { error: oldError, deploymentId: oldDeployment } = old ?? {};
  const error = u.error === undefined ? oldError : u.error;
  const deploymentId = u.deploymentId ?? oldDeployment;
  const next = {
    instance,
    wave: old?.wave ?? 0,
    status: u.status,
    updatedAt: u.at,
    ...(deploymentId === undefined ? {} : { deploymentId }),
    ...(error === null || error === undefined ? {} : { error }),
  };
  const others = run.instances.filter((i) => i.instance !== instance);
  return { ...run, updatedAt: u.at, instances: [...others, next].sort(byKey((i) => i.instance)) };
}

/** The run with one gate set. @internal */
export function withGate(
  run: FleetRun,
  gate: string,
  u: { readonly status: FleetGateStatus; readonly at: number; readonly detail?: string },
): FleetRun {
  const next = { gate, status: u.status, updatedAt: u.at, ...(u.detail === undefined ? {} : { detail: u.detail }) };
  const others = run.gates.filter((g) => g.gate !== gate);
  return { ...run, updatedAt: u.at, gates: [...others, next].sort(byKey((g) => g.gate)) };
}

/** The run with an approval of `gate` (the first one is kept). @internal */
export function withApproval(run: FleetRun, gate: string, a: { readonly by: string; readonly at: number }): FleetRun {
  if (run.approvals.some((x) => x.gate === gate)) return run;
  return { ...run, approvals: [...run.approvals, { gate, by: a.by, at: a.at }].sort(byKey((x) => x.gate)) };
}

/** Newest first: by start time, then by the order of creation (`seq`). @internal */
export const newestFirst = (a: { run: FleetRun; seq: number }, b: { run: FleetRun; seq: number }): number =>
  b.run.startedAt - a.run.startedAt || b.seq - a.seq;
