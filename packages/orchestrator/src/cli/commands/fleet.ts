import { isAbsolute, join, resolve } from 'node:path';
import { ConfigInvalidError, UsageError } from '@dive/errors';
import { loadFleet, readFleetFile } from '../../fleet/load-fleet.js';
import { defaultInstanceRuntime, deployedInstanceRuntime, instanceRuntimeKind } from '../../fleet/instance-runtime.js';
import { FLEET_LOCK, orchestrateFleet } from '../../fleet/orchestrate-fleet.js';
import { down } from '../../operations/down.js';
import { defaultActor } from '../../operations/setup.js';
import type { LoadedFleet } from '../../fleet/types.js';
import type { StateBackend } from '../../state.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { loggerFor } from '../logger-for.js';
import { parseDuration } from '../parse-duration.js';
import { printData, reportError, say, type CliIO, type GlobalFlags } from '../io.js';
import { fleetEventLine, formatFleetPlan, formatFleetReport, formatFleetStatus } from './fleet-format.js';
import { withState } from './with-state.js';

/** Flags of `dive fleet …`. */
export interface FleetFlags {
  readonly file?: string;
  readonly fresh?: boolean;
  readonly gate?: string;
}

/** The `dive fleet` subcommands. */
export type FleetAction = 'plan' | 'deploy' | 'status' | 'pause' | 'resume' | 'approve' | 'down';

const fileOf = (io: CliIO, o: FleetFlags): string => {
  const f = o.file ?? 'fleet.yaml';
  return isAbsolute(f) ? f : resolve(io.cwd, f);
};

function noFleetStore(state: StateBackend): ConfigInvalidError {
  return new ConfigInvalidError(`the state at ${state.location} has no fleet record`, {
    context: { state: state.location },
  });
}

/**
 * `dive fleet down`: every instance, last wave first, holding the fleet lock; each on the runtime recorded in its
 * state (as `dive down`), on its fleet file's Docker host.
 */
async function fleetDown(
  io: CliIO,
  flags: GlobalFlags,
  fleet: LoadedFleet,
  state: StateBackend,
  lockTimeoutMs: number | undefined,
  signal: AbortSignal,
): Promise<ExitCode> {
  const held = await state.locks.acquire(FLEET_LOCK, fleet.name, { timeoutMs: lockTimeoutMs ?? 30_000, signal });
  if (held.isErr()) return reportError(io, flags, held.error);
  const logDir = state.kind === 'file' ? join(state.location, 'logs') : undefined;
  try {
    let code: ExitCode = EXIT.ok;
    const results = [];
    for (const wave of [...fleet.waves].reverse()) {
      for (const c of wave.instances) {
        const spec = fleet.instances[c];
        if (spec === undefined) continue;
        const rt = await deployedInstanceRuntime(state, c, spec, logDir);
        if (rt.isErr()) {
          code = code === EXIT.ok ? reportError(io, flags, rt.error) : code;
          results.push({ instance: c, error: rt.error.toJSON() });
          continue;
        }
        await using runtime = rt.value.runtime;
        const logger = loggerFor(io, flags, fleet.secrets);
        const r = await down(c, { runtime, state, env: io.env, signal, logger });
        const moved =
          rt.value.kind === instanceRuntimeKind(spec) ? '' : ` (on the ${rt.value.kind} runtime it was deployed with)`;
        if (r.isErr()) code = code === EXIT.ok ? reportError(io, flags, r.error) : code;
        else
          say(
            io,
            flags,
            `${c}: ${r.value.from} → ${r.value.status}; stopped ${r.value.stopped.join(', ') || 'nothing'}${moved}`,
          );
        results.push(r.isOk() ? r.value : { instance: c, error: r.error.toJSON() });
      }
    }
    if (flags.json === true) printData(io, flags, results, () => '');
    return code;
  } finally {
    const released = await held.value.release();
    if (released.isErr()) say(io, flags, `warning: fleet lock release failed: ${released.error.message}`);
  }
}

/** `dive fleet deploy`: orchestrateFleet with progress lines (or JSON lines) on stderr and the report on stdout. */
async function fleetDeploy(
  io: CliIO,
  flags: GlobalFlags,
  fleet: LoadedFleet,
  state: StateBackend,
  o: FleetFlags & { readonly lockTimeoutMs?: number },
  signal: AbortSignal,
): Promise<ExitCode> {
  const logDir = state.kind === 'file' ? join(state.location, 'logs') : undefined;
  const result = await orchestrateFleet(fleet, {
    state,
    signal,
    env: io.env,
    logger: loggerFor(io, flags, fleet.secrets),
    runtimeFor: (_c, spec) => defaultInstanceRuntime(spec, logDir),
    fresh: o.fresh === true,
    ...(o.lockTimeoutMs === undefined ? {} : { lockTimeoutMs: o.lockTimeoutMs }),
    onEvent: (e) => {
      if (flags.quiet === true || flags.progress === 'quiet') return;
      if (flags.progress === 'json') {
        if (e.type !== 'deploy') io.stderr.write(`${JSON.stringify(e)}\n`);
        return;
      }
      const line = fleetEventLine(e);
      if (line !== undefined) io.stderr.write(`${line}\n`);
    },
  });
  if (result.isErr()) return reportError(io, flags, result.error);
  printData(io, flags, result.value, () => formatFleetReport(result.value));
  return result.value.exitCode;
}

/** `dive fleet plan|deploy|down`: they read the fleet and its topologies. */
async function withFleet(
  io: CliIO,
  flags: GlobalFlags,
  action: 'plan' | 'deploy' | 'down',
  o: FleetFlags,
  signal: AbortSignal,
): Promise<ExitCode> {
  const loaded = await loadFleet(fileOf(io, o), { env: io.env });
  if (loaded.isErr()) return reportError(io, flags, loaded.error);
  const fleet = loaded.value;
  for (const w of fleet.warnings) say(io, flags, `warning: ${w}`);
  const lockTimeoutMs = parseDuration(flags.lockTimeout, '--lock-timeout');
  if (lockTimeoutMs.isErr()) return reportError(io, flags, lockTimeoutMs.error);
  return withState(io, flags, async (state) => {
    const fleets = state.fleets;
    if (fleets === undefined) return reportError(io, flags, noFleetStore(state));
    if (action === 'down') return fleetDown(io, flags, fleet, state, lockTimeoutMs.value, signal);
    if (action === 'deploy') {
      const more = lockTimeoutMs.value === undefined ? {} : { lockTimeoutMs: lockTimeoutMs.value };
      return fleetDeploy(io, flags, fleet, state, { ...o, ...more }, signal);
    }
    const latest = (await fleets.latestRun(fleet.name)).unwrapOr(undefined);
    printData(io, flags, { fleet, latestRun: latest ?? null }, () => formatFleetPlan(fleet, latest));
    return EXIT.ok;
  });
}

/** `dive fleet status|pause|resume|approve`: they need only the fleet's name (no topology, no secret). */
async function withFleetRecord(
  io: CliIO,
  flags: GlobalFlags,
  action: 'status' | 'pause' | 'resume' | 'approve',
  o: FleetFlags,
): Promise<ExitCode> {
  const read = await readFleetFile(fileOf(io, o));
  if (read.isErr()) return reportError(io, flags, read.error);
  const name = read.value.fleet;
  return withState(io, flags, async (state) => {
    const fleets = state.fleets;
    if (fleets === undefined) return reportError(io, flags, noFleetStore(state));
    const at = Date.now();
    const by = defaultActor();
    if (action === 'pause' || action === 'resume') {
      const r = await fleets.setPaused(name, action === 'pause', { by, at });
      if (r.isErr()) return reportError(io, flags, r.error);
      printData(io, flags, r.value, () =>
        action === 'pause'
          ? `fleet ${name}: paused — its orchestrator starts nothing new (within 1 s); dive fleet resume -f … to go on`
          : `fleet ${name}: resumed`,
      );
      return EXIT.ok;
    }
    const latest = await fleets.latestRun(name);
    if (latest.isErr()) return reportError(io, flags, latest.error);
    const run = latest.value;
    if (action === 'status') {
      const pause = await fleets.getPause(name);
      if (pause.isErr()) return reportError(io, flags, pause.error);
      printData(io, flags, { fleet: name, run: run ?? null, pause: pause.value }, () =>
        formatFleetStatus(name, run, pause.value),
      );
      return EXIT.ok;
    }
    // approve: the gate named, else the one waiting
    const gate = o.gate ?? run?.gates.find((g) => g.status === 'WAITING')?.gate;
    if (run === undefined || gate === undefined) {
      return reportError(
        io,
        flags,
        new UsageError(`fleet ${name} has no gate waiting for approval${run === undefined ? ' (no run yet)' : ''}`, {
          context: { fleet: name },
          remediation: 'Name the gate with --gate wave-N (or final); dive fleet status shows the gates.',
        }),
      );
    }
    const r = await fleets.approve(run.id, gate, { by, at });
    if (r.isErr()) return reportError(io, flags, r.error);
    printData(
      io,
      flags,
      { fleet: name, runId: run.id, gate, by },
      () => `fleet ${name}: gate ${gate} approved by ${by}`,
    );
    return EXIT.ok;
  });
}

/** `dive fleet plan|deploy|status|pause|resume|approve|down -f FLEET` (default `fleet.yaml`). */
export function fleetCommand(
  io: CliIO,
  flags: GlobalFlags,
  action: FleetAction,
  o: FleetFlags,
  signal: AbortSignal,
): Promise<ExitCode> {
  if (action === 'plan' || action === 'deploy' || action === 'down') return withFleet(io, flags, action, o, signal);
  return withFleetRecord(io, flags, action, o);
}
