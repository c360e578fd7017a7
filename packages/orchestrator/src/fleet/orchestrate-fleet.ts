import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { ConfigInvalidError, systemClock } from '@dive/errors';
import type { LockHandle } from '@dive/locks';
import type { FleetRun, FleetRunState, FleetStore } from '@dive/state-db';
import { err, ok, type Result } from 'neverthrow';
import { EXIT, type ExitCode } from '../cli/exit-codes.js';
import { closeUnion, OPERATION_ERROR_TAGS } from '../errors.js';
import { silentLogger } from '../logger.js';
import { defaultActor } from '../operations/setup.js';
import type { Runtime } from '../runtime/types.js';
import { fileState, type StateBackend } from '../state.js';
import { checkFleet } from './check-fleet.js';
import type { FleetContext, FleetEventBody } from './context.js';
import type { FleetError } from './errors.js';
import { checkGate } from './gates.js';
import { defaultInstanceRuntime } from './instance-runtime.js';
import type { OrchestrateFleetOptions } from './options.js';
import { watchPause } from './pause-watch.js';
import { recordKeeper, type RecordKeeper } from './record-keeper.js';
import type { FleetInstanceResult, FleetReport, FleetWaveResult, GateResult } from './report.js';
import { runWave } from './run-wave.js';
import type { Fleet } from './types.js';

/** The lock type of a fleet: one orchestrating process per fleet. */
export const FLEET_LOCK = 'fleet';

function checkOptions(o: OrchestrateFleetOptions): void {
  const poll = o.pollIntervalMs;
  if (poll !== undefined && !(poll > 0 && poll <= 1_000))
    throw new RangeError(`pollIntervalMs must be in (0, 1000], got ${String(poll)}`);
  const lock = o.lockTimeoutMs;
  if (lock !== undefined && !(Number.isFinite(lock) && lock >= 0))
    throw new RangeError(`lockTimeoutMs must be a finite number ≥ 0, got ${String(lock)}`);
}

/** The run to work on: the latest one when it did not finish (a resume), else a new one. */
async function openRun(
  fleets: FleetStore,
  fleet: Fleet,
  fleetId: string,
  now: number,
  fresh: boolean,
): Promise<Result<{ run: FleetRun; resumed: boolean }, FleetError>> {
  const latest = await fleets.latestRun(fleetId);
  if (latest.isErr()) return err(closeUnion(OPERATION_ERROR_TAGS.state, latest.error));
  if (latest.value !== undefined && latest.value.state !== 'COMPLETE' && !fresh) {
    const set = await fleets.setRunState(latest.value.id, 'RUNNING', { at: now, reason: null });
    if (set.isErr()) return err(closeUnion(OPERATION_ERROR_TAGS.state, set.error));
    return ok({ run: latest.value, resumed: true });
  }
  const instances = fleet.waves.flatMap((w, wave) => w.instances.map((instance) => ({ instance, wave })));
  const created = await fleets.createRun({ id: randomUUID(), fleet: fleetId, startedAt: now, instances });
  if (created.isErr()) return err(closeUnion(OPERATION_ERROR_TAGS.state, created.error));
  return ok({ run: created.value, resumed: false });
}

/** The waves in order, then the final gate: where the fleet stopped, and what each wave and instance did. */
async function runWaves(ctx: FleetContext) {
  const waves: FleetWaveResult[] = [];
  const instances: FleetInstanceResult[] = [];
  let stop: { state: FleetRunState; reason: string } | undefined;
  for (const [index, wave] of ctx.fleet.waves.entries()) {
    if (stop !== undefined) {
      waves.push({ index, instances: wave.instances, status: 'NOT_STARTED' });
      continue;
    }
    const outcome = await runWave(ctx, index, wave, ctx.run);
    waves.push(outcome.wave);
    instances.push(...outcome.instances);
    stop = outcome.stop;
  }
  let finalGate: GateResult | undefined;
  const gate = ctx.fleet.gate;
  if (
    stop === undefined &&
    gate !== undefined &&
    !ctx.run.gates.some((g) => g.gate === 'final' && g.status === 'PASSED')
  ) {
    const scope = { instances: Object.keys(ctx.fleet.instances), since: ctx.run.startedAt, startedServices: 0 };
    finalGate = await checkGate(ctx, 'final', gate, scope);
    if (!finalGate.passed) stop = { state: 'HALTED', reason: `gate final failed: ${finalGate.error?.message ?? ''}` };
  }
  return { waves, instances, stop, finalGate };
}

function exitCodeOf(success: boolean, cancelled: boolean, instances: readonly FleetInstanceResult[]): ExitCode {
  if (success) return EXIT.ok;
  if (cancelled) return EXIT.interrupted;
  return instances.some((i) => i.exitCode === EXIT.unreachable) ? EXIT.unreachable : EXIT.failed;
}

/**
 * Deploy a fleet: its waves in order; the instances of a wave at once (at most its `maxParallel`), each with
 * `orchestrate()` under its own instance lock on its own runtime (Docker host); then the wave's gate, and the
 * fleet's final gate before it is COMPLETE. One process orchestrates a fleet at a time (the `fleet` lock); its run
 * is recorded in the store (`state.fleets`): each instance's status, each gate's, approvals. A failed instance or
 * gate stops the fleet, rolling back the wave's instances unless `onGateFailure: 'halt'`.
 *
 * Pause and resume from any process (`dive fleet pause|resume`, or `setPaused` on the fleet store): the flag is read
 * every `pollIntervalMs`; while it is set, starts in flight finish and nothing new starts — no wave, no instance,
 * no service inside a running deployment — and the run waits for the flag to clear. A new call after the
 * orchestrating process died continues the latest run that did not complete: instances recorded COMPLETE in it
 * are not deployed again.
 *
 * @param fleet - the fleet (from `loadFleet`, or built in code: validated here)
 * @param options - state, fleets, runtimeFor, signal, clock, logger, onEvent, env, actor, fleetId, lockTimeoutMs,
 *   pollIntervalMs, fresh, instanceOptions
 * @returns Ok the {@link FleetReport} once the run ended (`state` COMPLETE, HALTED or FAILED; `exitCode` for the
 *   CLI); Err {@link FleetError}: `ConfigInvalidError` (an invalid fleet, or a state backend without a fleet
 *   store), `LockTimeoutError` (another process orchestrates this fleet), `LockStoreError`, `CancelledError`,
 *   `StateStoreUnavailableError`, `MigrationError`, `UnexpectedError`
 * @throws RangeError for nonsense options (`pollIntervalMs` outside (0, 1000], a negative `lockTimeoutMs`)
 * @example
 * ```ts
 * const fleet = await loadFleet('fleet.yaml');
 * if (fleet.isOk()) {
 *   const report = await orchestrateFleet(fleet.value, { state: postgresState(process.env.DATABASE_URL!) });
 *   if (report.isOk()) console.log(report.value.state, report.value.waves.map((w) => w.status));
 * }
 * ```
 */
export async function orchestrateFleet(
  fleet: Fleet,
  options: OrchestrateFleetOptions = {},
): Promise<Result<FleetReport, FleetError>> {
  checkOptions(options);
  const bad = checkFleet(fleet);
  if (bad !== undefined) return err(bad);
  const state = options.state ?? fileState('.dive');
  try {
    const fleets = options.fleets ?? state.fleets;
    if (fleets === undefined) {
      return err(
        new ConfigInvalidError('the state backend has no fleet store: pass options.fleets', {
          context: { fleet: fleet.name, state: state.location },
        }),
      );
    }
    const migrated = await state.store.migrate();
    if (migrated.isErr()) return err(closeUnion(OPERATION_ERROR_TAGS.state, migrated.error));
    const fleetId = options.fleetId ?? fleet.name;
    const lock = await state.locks.acquire(FLEET_LOCK, fleetId, {
      timeoutMs: options.lockTimeoutMs ?? 30_000,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    if (lock.isErr()) return err(closeUnion(OPERATION_ERROR_TAGS.lock, lock.error));
    try {
      return await underLock(fleet, options, state, fleets, fleetId, lock.value);
    } finally {
      const released = await lock.value.release();
      if (released.isErr())
        (options.logger ?? silentLogger).warn({ err: released.error.toJSON() }, 'fleet lock release failed');
    }
  } finally {
    if (options.state === undefined) await state[Symbol.asyncDispose]();
  }
}

/** End a run: await the record's writes, record its final state, and report it (with the record's failures). */
async function finish(
  ctx: FleetContext,
  record: RecordKeeper,
  done: Awaited<ReturnType<typeof runWaves>>,
  o: { readonly t0: number; readonly resumed: boolean },
): Promise<FleetReport> {
  const final: FleetRunState = done.stop?.state ?? 'COMPLETE';
  const reason = done.stop?.reason;
  await record.settle();
  await record.setRunState(final, reason ?? null);
  ctx.emit({ type: 'fleet-finished', state: final, ...(reason === undefined ? {} : { reason }) });
  const success = final === 'COMPLETE';
  const failures = record.failures();
  return {
    runId: ctx.run.id,
    fleet: ctx.fleetId,
    state: final,
    success,
    resumed: o.resumed,
    ...(reason === undefined ? {} : { reason }),
    startedAt: new Date(o.t0).toISOString(),
    durationMs: ctx.clock.now() - o.t0,
    instances: done.instances,
    waves: done.waves,
    ...(done.finalGate === undefined ? {} : { finalGate: done.finalGate }),
    ...(failures === undefined ? {} : { recordFailures: failures }),
    exitCode: exitCodeOf(success, ctx.signal.aborted, done.instances),
  };
}

/** The runtime of each instance, made on first use; `dispose` disposes those it made (not `runtimeFor`'s). */
function runtimeCache(fleet: Fleet, options: OrchestrateFleetOptions) {
  const runtimes = new Map<string, Runtime>();
  return {
    runtimeOf: (instance: string): Runtime => {
      let r = runtimes.get(instance);
      const spec = fleet.instances[instance];
      if (r === undefined && spec !== undefined) {
        r = options.runtimeFor === undefined ? defaultInstanceRuntime(spec) : options.runtimeFor(instance, spec);
        runtimes.set(instance, r);
      }
      if (r === undefined) throw new RangeError(`unknown instance ${instance}`);
      return r;
    },
    dispose: async (): Promise<void> => {
      if (options.runtimeFor === undefined) for (const r of runtimes.values()) await r[Symbol.asyncDispose]();
    },
  };
}

async function underLock(
  fleet: Fleet,
  options: OrchestrateFleetOptions,
  state: StateBackend,
  fleets: FleetStore,
  fleetId: string,
  lock: LockHandle,
): Promise<Result<FleetReport, FleetError>> {
  const clock = options.clock ?? systemClock;
  const t0 = clock.now();
  const opened = await openRun(fleets, fleet, fleetId, t0, options.fresh === true);
  if (opened.isErr()) return err(opened.error);
  const { run, resumed } = opened.value;
  const stop = new AbortController();
  setMaxListeners(0, stop.signal);
  const onAbort = (): void => stop.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const lost = lock.onLost((e) => stop.abort(e));
  const logger = (options.logger ?? silentLogger).child({ fleet: fleetId, run: run.id });
  const emit = (body: FleetEventBody): void => {
    try {
      options.onEvent?.({ ...body, at: clock.now(), fleet: fleetId, runId: run.id });
    } catch (e) {
      logger.warn({ err: e }, 'onEvent listener threw; ignored');
    }
  };
  const record = recordKeeper(fleets, run.id, clock, logger);
  const pause = watchPause({
    fleets,
    fleet: fleetId,
    clock,
    intervalMs: options.pollIntervalMs ?? 500,
    onChange: (paused, by) => {
      emit(
        paused
          ? { type: 'fleet-paused', ...(by === undefined ? {} : { by }) }
          : { type: 'fleet-resumed', ...(by === undefined ? {} : { by }) },
      );
      record.launchRunState(paused ? 'PAUSED' : 'RUNNING');
    },
    onReadFailed: (e) => record.failed('reading the pause flag', e),
  });
  const runtimes = runtimeCache(fleet, options);
  const ctx: FleetContext = {
    fleet,
    fleetId,
    run,
    state,
    fleets,
    clock,
    logger,
    actor: options.actor ?? defaultActor(),
    env: options.env ?? process.env,
    signal: stop.signal,
    pause,
    options,
    lockTimeoutMs: options.lockTimeoutMs ?? 30_000,
    pollIntervalMs: options.pollIntervalMs ?? 500,
    runtimeOf: runtimes.runtimeOf,
    emit,
    recordFailed: record.failed,
  };
  try {
    await pause.refresh();
    emit({ type: 'fleet-started', resumed, waves: fleet.waves.length });
    const done = await runWaves(ctx);
    pause.stop();
    return ok(await finish(ctx, record, done, { t0, resumed }));
  } finally {
    pause.stop();
    options.signal?.removeEventListener('abort', onAbort);
    lost[Symbol.dispose]();
    await runtimes.dispose();
  }
}
