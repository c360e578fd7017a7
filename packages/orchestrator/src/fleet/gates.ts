import { TimeoutError } from '@dive/errors';
import { sleep, type FleetContext } from './context.js';
import { GateFailedError } from './errors.js';
import { tryCommand, tryHttp, tryTcp, type Try } from './gate-checks.js';
import type { GateCheckResult, GateResult } from './report.js';
import type { FleetGate, MetricGateCheck } from './types.js';

/** Default deadline of a gate, and of one with an approval. */
export const GATE_DEFAULTS = { timeoutMs: 60_000, approvalTimeoutMs: 3_600_000, intervalMs: 1_000 } as const;
/** Longest one try of an http, tcp or command check may take. */
const TRY_MS = 10_000;

/** What a gate checks against: the instances of its wave, since when, and how many service starts they made. */
export interface GateScope {
  readonly instances: readonly string[];
  readonly since: number;
  readonly startedServices: number;
}

type Kind = GateCheckResult['kind'];

/**
 * Try `once` every interval until it passes or the deadline (or the signal) ends it. What it found last is the
 * last answer: a try the gate's deadline cut short (`no answer within 3 ms`) does not hide an earlier one.
 */
async function retry(ctx: FleetContext, deadline: number, interval: number, once: (ms: number) => Promise<Try>) {
  let last: Try = { passed: false, detail: 'not tried' };
  let answered = false;
  for (;;) {
    const left = deadline - ctx.clock.now();
    if (left <= 0 || ctx.signal.aborted) return { passed: false, detail: last.detail, timedOut: true };
    const ms = Math.min(TRY_MS, left);
    const t = await once(ms);
    if (t.passed) return { passed: true, detail: t.detail, timedOut: false };
    const cut = t.noAnswer === true && ms < TRY_MS;
    if (!cut || !answered) last = t;
    answered ||= t.noAnswer !== true;
    await sleep(ctx.clock, Math.min(interval, Math.max(0, deadline - ctx.clock.now())), ctx.signal);
  }
}

/** The metric check, once: errors recorded for the wave's instances since it began, against started services. */
async function metric(ctx: FleetContext, m: MetricGateCheck, scope: GateScope): Promise<Try> {
  let errors = 0;
  for (const instance of scope.instances) {
    const a = await ctx.state.store.errorAnalytics({ instance, since: scope.since, bucket: 'minute' });
    if (a.isErr()) return { passed: false, detail: `error analytics of ${instance}: ${a.error.message}` };
    errors += a.value.total;
  }
  const rate = errors / Math.max(1, scope.startedServices);
  const passed =
    (m.maxErrors === undefined || errors <= m.maxErrors) && (m.maxErrorRate === undefined || rate <= m.maxErrorRate);
  return {
    passed,
    detail: `${errors} errors in ${scope.startedServices} service starts (rate ${rate.toFixed(3)}; max ${m.maxErrors ?? '–'} errors, rate ${m.maxErrorRate ?? '–'})`,
  };
}

/** Wait for `dive fleet approve` of this gate of this run. */
async function approval(ctx: FleetContext, key: string, deadline: number) {
  ctx.emit({ type: 'gate-waiting', gate: key, detail: `waiting for approval: dive fleet approve --gate ${key}` });
  for (;;) {
    const run = await ctx.fleets.getRun(ctx.run.id);
    const given = run.isOk() ? run.value?.approvals.find((a) => a.gate === key) : undefined;
    if (given !== undefined) return { passed: true, detail: `approved by ${given.by}`, timedOut: false };
    const left = deadline - ctx.clock.now();
    if (left <= 0 || ctx.signal.aborted) return { passed: false, detail: 'no approval given', timedOut: true };
    await sleep(ctx.clock, Math.min(ctx.pollIntervalMs, left), ctx.signal);
  }
}

/**
 * Check a gate: every check it names, at once; it passes when all pass before its deadline. Recorded in the fleet's
 * record (`WAITING`, then `PASSED` or `FAILED` with the failed check) and told as events.
 * @returns the {@link GateResult}: a failed one carries `GateFailedError` (4005) or, when a check or an approval
 *   ran out of time, `TimeoutError` (2001)
 */
export async function checkGate(
  ctx: FleetContext,
  key: string,
  gate: FleetGate,
  scope: GateScope,
): Promise<GateResult> {
  const t0 = ctx.clock.now();
  const timeoutMs =
    gate.timeoutMs ?? (gate.approval === true ? GATE_DEFAULTS.approvalTimeoutMs : GATE_DEFAULTS.timeoutMs);
  const deadline = t0 + timeoutMs;
  const interval = gate.intervalMs ?? GATE_DEFAULTS.intervalMs;
  const checks: [Kind, () => Promise<Try & { timedOut?: boolean }>][] = [];
  const { http, tcp, command, metric: m } = gate;
  if (http !== undefined)
    checks.push(['http', () => retry(ctx, deadline, interval, (ms) => tryHttp(http, ctx.clock, ms))]);
  if (tcp !== undefined) checks.push(['tcp', () => retry(ctx, deadline, interval, (ms) => tryTcp(tcp, ctx.clock, ms))]);
  if (command !== undefined)
    checks.push(['command', () => retry(ctx, deadline, interval, (ms) => tryCommand(command, ctx.clock, ms, ctx.env))]);
  if (m !== undefined) checks.push(['metric', () => metric(ctx, m, scope)]);
  if (gate.approval === true) checks.push(['approval', () => approval(ctx, key, deadline)]);
  await record(ctx, key, 'WAITING');
  ctx.emit({ type: 'gate-started', gate: key, checks: checks.map(([k]) => k) });
  const tried = await Promise.all(checks.map(async ([kind, run]) => ({ kind, ...(await run()) })));
  const results: GateCheckResult[] = tried.map((t) => ({ kind: t.kind, passed: t.passed, detail: t.detail }));
  const failed = tried.filter((t) => !t.passed);
  const passed = failed.length === 0;
  const detail = passed
    ? results.map((r) => r.detail).join('; ')
    : failed.map((f) => `${f.kind}: ${f.detail}`).join('; ');
  await record(ctx, key, passed ? 'PASSED' : 'FAILED', detail);
  ctx.emit({ type: 'gate-finished', gate: key, passed, detail });
  const durationMs = ctx.clock.now() - t0;
  if (passed) return { gate: key, passed, checks: results, durationMs };
  const context = { fleet: ctx.fleetId, gate: key, checks: results };
  const error = failed.some((f) => f.timedOut === true)
    ? new TimeoutError(`gate ${key} of fleet ${ctx.fleetId} did not pass within ${timeoutMs} ms: ${detail}`, {
        context,
      })
    : new GateFailedError(`gate ${key} of fleet ${ctx.fleetId} failed: ${detail}`, { context });
  return { gate: key, passed, checks: results, durationMs, error: error.toJSON() };
}

async function record(ctx: FleetContext, gate: string, status: 'WAITING' | 'PASSED' | 'FAILED', detail?: string) {
  const r = await ctx.fleets.setGate(ctx.run.id, gate, {
    status,
    at: ctx.clock.now(),
    ...(detail === undefined ? {} : { detail }),
  });
  if (r.isErr()) ctx.recordFailed(`recording gate ${gate}`, r.error);
}
