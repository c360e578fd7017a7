import { UnexpectedError } from '@dive/errors';
import type { FleetRun, FleetRunState } from '@dive/state-db';
import { EXIT } from '../cli/exit-codes.js';
import type { FleetContext } from './context.js';
import { deployInstance, rollBackInstance } from './deploy-instance.js';
import { checkGate } from './gates.js';
import type { FleetInstanceResult, FleetWaveResult, GateResult } from './report.js';
import type { FleetWave } from './types.js';

/** How a wave ended, and whether the fleet stops there. @internal */
export interface WaveOutcome {
  readonly wave: FleetWaveResult;
  readonly instances: readonly FleetInstanceResult[];
  readonly stop?: { readonly state: FleetRunState; readonly reason: string };
}

const FAILED = new Set(['FAILED', 'UNREACHABLE']);

/** Deploy `todo` at most `max` at a time; nothing new starts once the fleet is paused or cancelled. */
function deployBatch(ctx: FleetContext, index: number, max: number, todo: readonly string[]) {
  const queue = [...todo];
  const results: FleetInstanceResult[] = [];
  let inFlight = 0;
  return new Promise<FleetInstanceResult[]>((resolve) => {
    const pump = (): void => {
      while (queue.length > 0 && inFlight < max && !ctx.pause.paused && !ctx.signal.aborted) {
        const instance = queue.shift() as string;
        inFlight += 1;
        void deployInstance(ctx, instance, index)
          .catch((e: unknown) => {
            const error = new UnexpectedError(`deploying ${instance} threw: ${String(e)}`, { cause: e });
            return { instance, wave: index, status: 'FAILED', error: error.toJSON(), exitCode: EXIT.failed } as const;
          })
          .then((r) => {
            results.push(r);
            inFlight -= 1;
            pump();
          });
      }
      if (inFlight === 0) resolve(results);
    };
    pump();
  });
}

/** Services a wave's deployments started (for the metric gate's error rate). */
const startedServices = (results: Iterable<FleetInstanceResult>): number =>
  [...results].reduce(
    (n, r) => n + (r.report?.services.filter((s) => s.status !== 'not-started' && s.status !== 'blocked').length ?? 0),
    0,
  );

/** Roll back every instance of the wave that is COMPLETE (per the fleet's policy). */
async function rollBackWave(ctx: FleetContext, results: Map<string, FleetInstanceResult>): Promise<void> {
  const done = [...results.values()].filter((r) => r.status === 'COMPLETE');
  for (const r of await Promise.all(done.map((d) => rollBackInstance(ctx, d)))) results.set(r.instance, r);
}

/** Deploy until every instance of the wave is settled: paused ones again once the fleet is resumed. */
async function deployAll(ctx: FleetContext, index: number, wave: FleetWave, results: Map<string, FleetInstanceResult>) {
  for (;;) {
    const todo = wave.instances.filter((c) => results.get(c) === undefined || results.get(c)?.status === 'PAUSED');
    if (todo.length === 0 || ctx.signal.aborted) return;
    if ([...results.values()].some((r) => FAILED.has(r.status))) return;
    await ctx.pause.untilResumed(ctx.signal);
    if (ctx.signal.aborted) return;
    for (const r of await deployBatch(ctx, index, wave.maxParallel ?? todo.length, todo)) results.set(r.instance, r);
  }
}

/**
 * One wave: skip its instances already COMPLETE in this run, deploy the rest (at most `maxParallel` at once, none
 * new while paused), then check its gate. A failed instance or gate stops the fleet; with `rollback-wave` the
 * wave's COMPLETE instances are rolled back first.
 * @internal
 */
export async function runWave(
  ctx: FleetContext,
  index: number,
  wave: FleetWave,
  record: FleetRun,
): Promise<WaveOutcome> {
  const since = ctx.clock.now();
  const results = new Map<string, FleetInstanceResult>();
  for (const c of wave.instances) {
    if (record.instances.find((i) => i.instance === c)?.status !== 'COMPLETE') continue;
    results.set(c, { instance: c, wave: index, status: 'COMPLETE', skipped: true, exitCode: EXIT.ok });
    ctx.emit({ type: 'instance-skipped', instance: c, wave: index });
  }
  const key = `wave-${index + 1}`;
  const gatePassed = record.gates.some((g) => g.gate === key && g.status === 'PASSED');
  const allSkipped = results.size === wave.instances.length;
  if (allSkipped && (wave.gate === undefined || gatePassed)) {
    return { wave: { index, instances: wave.instances, status: 'COMPLETE' }, instances: [...results.values()] };
  }
  ctx.emit({ type: 'wave-started', wave: index, instances: wave.instances });
  await deployAll(ctx, index, wave, results);
  const policy = ctx.fleet.onGateFailure ?? 'rollback-wave';
  const end = (status: FleetWaveResult['status'], stop?: WaveOutcome['stop'], gate?: GateResult): WaveOutcome => {
    ctx.emit({ type: 'wave-finished', wave: index, status });
    return {
      wave: { index, instances: wave.instances, status, ...(gate === undefined ? {} : { gate }) },
      instances: wave.instances.map((c) => results.get(c)).filter((r) => r !== undefined),
      ...(stop === undefined ? {} : { stop }),
    };
  };
  if (ctx.signal.aborted) return end('FAILED', { state: 'FAILED', reason: 'cancelled' });
  const failed = [...results.values()].filter((r) => FAILED.has(r.status)).map((r) => r.instance);
  if (failed.length > 0) {
    if (policy === 'rollback-wave') await rollBackWave(ctx, results);
    const status = policy === 'rollback-wave' ? 'ROLLED_BACK' : 'FAILED';
    return end(status, { state: 'FAILED', reason: `${failed.join(', ')} failed in wave ${index + 1}` });
  }
  if (wave.gate === undefined) return end('COMPLETE');
  const gate = await checkGate(ctx, key, wave.gate, {
    instances: wave.instances,
    since,
    startedServices: startedServices(results.values()),
  });
  if (gate.passed) return end('COMPLETE', undefined, gate);
  if (policy === 'rollback-wave') await rollBackWave(ctx, results);
  const reason = `gate ${key} failed: ${gate.error?.message ?? ''}`;
  return end(policy === 'rollback-wave' ? 'ROLLED_BACK' : 'FAILED', { state: 'HALTED', reason }, gate);
}
