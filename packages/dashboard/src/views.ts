import { redactString } from '@dive/errors';
import type { AnalyticsBucket, StateStore, TransitionRecord } from '@dive/state-db';
import { graphFromSteps } from './internal/deployment-graph.js';
import { percentile } from './internal/percentile.js';
import { safeStep, safeTransition } from './internal/safe.js';
import type { DashboardState } from './options.js';

/** A JSON body, or a status with a message. */
export type ViewResult =
  | { readonly status: 200; readonly body: unknown }
  | { readonly status: 404 | 400 | 503; readonly body: { readonly error: string; readonly tag?: string } };

const ok = (body: unknown): ViewResult => ({ status: 200, body });
const unavailable = (e: { _tag: string; message: string }): ViewResult => ({
  status: 503,
  body: { error: redactString(e.message), tag: e._tag },
});

/** One deployment, from the audit rows: start (→ INITIALIZING), end (→ COMPLETE/FAILED/UNKNOWN) and duration. */
export interface DeploymentSummary {
  readonly deploymentId: string;
  readonly startedAt: number;
  readonly endedAt: number | null;
  readonly durationMs: number | null;
  readonly outcome: string;
}

/** Deployments in the rows (newest first in, newest first out). */
export function deploymentsOf(rows: readonly TransitionRecord[]): DeploymentSummary[] {
  const by = new Map<string, TransitionRecord[]>();
  for (const r of [...rows].reverse()) {
    if (r.deploymentId === null) continue;
    by.set(r.deploymentId, [...(by.get(r.deploymentId) ?? []), r]);
  }
  return [...by.entries()]
    .map(([deploymentId, rs]) => {
      const first = rs[0] as TransitionRecord;
      const last = rs[rs.length - 1] as TransitionRecord;
      const final = ['COMPLETE', 'FAILED', 'UNKNOWN'].includes(last.to);
      return {
        deploymentId,
        startedAt: first.at,
        endedAt: final ? last.at : null,
        durationMs: final ? last.at - first.at : null,
        outcome: last.to,
      };
    })
    .sort((a, b) => b.startedAt - a.startedAt);
}

/** Instances at a glance: state, version, last deployment and its duration, open breakers, lock holder. */
export async function instancesView(state: DashboardState): Promise<ViewResult> {
  const names = await state.store.instances();
  if (names.isErr()) return unavailable(names.error);
  const locks = state.locks === undefined ? undefined : await state.locks.list();
  const breakers = state.breakers === undefined ? [] : await state.breakers.list().catch(() => []);
  const out = [];
  for (const instance of names.value) {
    const s = await state.store.getState(instance);
    if (s.isErr()) return unavailable(s.error);
    const h = await state.store.history(instance, { limit: 50 });
    const last = h.isOk() ? deploymentsOf(h.value)[0] : undefined;
    const lock = locks?.isOk() === true ? locks.value.find((l) => l.resource === instance) : undefined;
    out.push({
      ...s.value,
      lastDeployment: last ?? null,
      openBreakers: breakers.filter((b) => b.state === 'OPEN' && b.name.includes(instance)).map((b) => b.name),
      lock:
        lock === undefined
          ? null
          : { type: lock.type, holder: lock.holder, acquiredAt: lock.acquiredAt, fencingToken: lock.fencingToken },
    });
  }
  return ok({ instances: out });
}

/**
 * A deployment's services and phases: state, attempts, timings; its planned services and `dependsOn` from the
 * `graph` step the engine records as the deployment begins (so a first deployment has its edges while it runs), or,
 * for a deployment recorded before that step existed, from the newest checkpoint's specs.
 */
export async function deploymentView(store: StateStore, deploymentId: string): Promise<ViewResult> {
  const steps = await store.steps(deploymentId);
  if (steps.isErr()) return unavailable(steps.error);
  if (steps.value.length === 0) return { status: 404, body: { error: `no steps of deployment ${deploymentId}` } };
  const instance = steps.value[0]?.instance ?? '';
  const graph = graphFromSteps(steps.value);
  return ok({
    deploymentId,
    instance,
    steps: steps.value.map(safeStep),
    planned: graph?.planned ?? null,
    dependsOn: graph?.dependsOn ?? (await checkpointDependencies(store, instance)),
  });
}

/** Service name → the services it depends on, from the newest checkpoint (only the names are read out of it). */
async function checkpointDependencies(store: StateStore, instance: string): Promise<Record<string, string[]>> {
  const list = await store.listCheckpoints(instance);
  const newest = list.isOk() ? list.value[0] : undefined;
  if (newest === undefined) return {};
  const cp = await store.getCheckpoint(newest.id, { instance });
  if (cp.isErr()) return {};
  const payload = cp.value.payload as {
    topology?: { services?: Record<string, { dependsOn?: unknown }> };
    services?: Record<string, { spec?: { dependsOn?: unknown } }>;
  };
  const specs = Object.entries(payload.topology?.services ?? {}).map(([n, s]) => [n, s.dependsOn] as const);
  const fallback = Object.entries(payload.services ?? {}).map(([n, s]) => [n, s.spec?.dependsOn] as const);
  const out: Record<string, string[]> = {};
  for (const [name, d] of specs.length > 0 ? specs : fallback) {
    out[name] = Array.isArray(d)
      ? d.filter((x): x is string => typeof x === 'string')
      : d !== null && typeof d === 'object'
        ? Object.keys(d)
        : [];
  }
  return out;
}

/** The audit log, newest first, with the chain's verification (its head, or why it failed). */
export async function historyView(store: StateStore, instance: string, limit: number): Promise<ViewResult> {
  const h = await store.history(instance, { limit });
  if (h.isErr()) return unavailable(h.error);
  const v = await store.verifyAuditLog(instance);
  return ok({
    instance,
    rows: h.value.map(safeTransition),
    deployments: deploymentsOf(h.value),
    verification: v.isOk()
      ? { ok: true, rows: v.value.rows, head: v.value.head, keyed: v.value.keyed }
      : { ok: false, tag: v.error._tag, code: v.error.code, message: redactString(v.error.message) },
  });
}

/** Checkpoints of an instance, newest first (ids and times only, never payloads). */
export async function checkpointsView(store: StateStore, instance: string): Promise<ViewResult> {
  const c = await store.listCheckpoints(instance);
  return c.isErr() ? unavailable(c.error) : ok({ instance, checkpoints: c.value });
}

/** Error analytics and deployment-duration percentiles (P50/P95/P99 over the last 100 deployments per instance). */
export async function analyticsView(
  store: StateStore,
  instance: string | undefined,
  bucket: AnalyticsBucket,
  since: number,
): Promise<ViewResult> {
  const a = await store.errorAnalytics({ bucket, since, ...(instance === undefined ? {} : { instance }) });
  if (a.isErr()) return unavailable(a.error);
  const names = instance === undefined ? await store.instances() : undefined;
  const durations: { at: number; ms: number }[] = [];
  for (const name of names?.isOk() === true ? names.value : instance === undefined ? [] : [instance]) {
    const h = await store.history(name, { limit: 500 });
    if (h.isOk())
      for (const d of deploymentsOf(h.value))
        if (d.durationMs !== null) durations.push({ at: d.startedAt, ms: d.durationMs });
  }
  durations.sort((x, y) => x.at - y.at);
  const ms = durations.map((d) => d.ms);
  return ok({
    errors: { ...a.value, topCauses: a.value.topCauses.map((c) => ({ ...c, message: redactString(c.message) })) },
    durations: {
      count: ms.length,
      p50: percentile(ms, 50),
      p95: percentile(ms, 95),
      p99: percentile(ms, 99),
      series: durations,
    },
  });
}

/** Circuit breakers and held locks. */
export async function healthView(state: DashboardState): Promise<ViewResult> {
  const breakers = state.breakers === undefined ? null : await state.breakers.list().catch(() => null);
  const locks = state.locks === undefined ? undefined : await state.locks.list();
  return ok({
    breakers,
    locks: locks === undefined || locks.isErr() ? null : locks.value,
  });
}
