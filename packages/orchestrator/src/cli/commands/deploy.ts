import { UsageError } from '@dive/errors';
import { createMetrics, type Metrics } from '@dive/metrics';
import { err, ok, type Result } from 'neverthrow';
import type { OrchestrateOptions } from '../../operations/options.js';
import { orchestrate } from '../../operations/orchestrate.js';
import { plan } from '../../operations/plan.js';
import type { StateBackend } from '../../state.js';
import type { Topology } from '../../topology/types.js';
import { loggerFor } from '../logger-for.js';
import { parseDuration } from '../parse-duration.js';
import { runtimeFor } from '../runtime-for.js';
import { stateFor } from '../state-for.js';
import { loadFor } from '../topology-file.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { formatPlan, formatReport } from '../format.js';
import { printData, reportError, say, type CliIO, type GlobalFlags } from '../io.js';
import { progressFor } from '../progress-for.js';

/** Flags of `dive deploy`. */
export interface DeployFlags {
  readonly file?: string;
  readonly dryRun?: boolean;
  readonly runtime?: string;
  readonly schedule?: string;
  readonly rollback?: string;
  readonly concurrency?: string;
  readonly instance?: string;
  readonly envFile?: readonly string[];
  readonly profile?: readonly string[];
}

interface DeployChoices {
  readonly schedule?: 'ready' | 'levels';
  readonly rollback?: 'auto' | 'never';
  readonly concurrency?: number;
}

/** The deploy-only flags checked: a value outside its choices is a UsageError naming the flag. */
function deployChoices(opts: DeployFlags): Result<DeployChoices, UsageError> {
  const { schedule, rollback } = opts;
  if (schedule !== undefined && schedule !== 'ready' && schedule !== 'levels')
    return err(
      new UsageError(`--schedule must be ready or levels, got ${schedule}`, { context: { flag: '--schedule' } }),
    );
  if (rollback !== undefined && rollback !== 'auto' && rollback !== 'never')
    return err(
      new UsageError(`--rollback must be auto or never, got ${rollback}`, { context: { flag: '--rollback' } }),
    );
  const concurrency = opts.concurrency === undefined ? undefined : Number(opts.concurrency);
  if (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency >= 1))
    return err(
      new UsageError(`--concurrency must be a whole number ≥ 1, got ${opts.concurrency ?? ''}`, {
        context: { flag: '--concurrency' },
      }),
    );
  return ok({
    ...(schedule === undefined ? {} : { schedule }),
    ...(rollback === undefined ? {} : { rollback }),
    ...(concurrency === undefined ? {} : { concurrency }),
  });
}

/** Metrics accumulate across CLI runs in the store: what is stored merged into a fresh registry. */
async function storedMetrics(io: CliIO, flags: GlobalFlags, backend: StateBackend): Promise<Metrics> {
  const metrics = createMetrics();
  const stored = await backend.store.loadMetricsSnapshot();
  if (stored.isOk() && stored.value !== null && stored.value !== undefined) {
    const merged = metrics.merge(stored.value);
    if (merged.isErr()) say(io, flags, `warning: stored metrics ignored: ${merged.error.message}`);
  }
  return metrics;
}

/** Deploy with progress on stderr, save the metrics' total, print the report; resolves to the exit code. */
async function deployAndReport(
  io: CliIO,
  flags: GlobalFlags,
  topology: Topology,
  options: OrchestrateOptions & { readonly state: StateBackend },
): Promise<ExitCode> {
  const metrics = await storedMetrics(io, flags, options.state);
  const progress = progressFor(io, flags);
  const result = await orchestrate(topology, { ...options, onEvent: (e) => progress.onEvent(e), metrics });
  progress.close();
  const saved = await options.state.store.saveMetricsSnapshot(metrics.snapshot());
  if (saved.isErr()) say(io, flags, `warning: metrics not saved: ${saved.error.message}`);
  if (result.isErr()) return reportError(io, flags, result.error);
  const report = result.value;
  printData(io, flags, report, () => formatReport(report));
  if (!report.success) return report.error?._tag === 'CancelledError' ? EXIT.interrupted : EXIT.failed;
  if (flags.json !== true) {
    const i = report.instance;
    say(io, flags, `\nnext: dive status ${i} · dive history ${i} · dive metrics · dive down ${i}`);
  }
  return EXIT.ok;
}

/** `dive deploy`: deploy (or with --dry-run, plan) the topology. */
export async function deployCommand(
  io: CliIO,
  flags: GlobalFlags,
  opts: DeployFlags,
  signal: AbortSignal,
): Promise<ExitCode> {
  const loaded = await loadFor(io, opts.file, opts);
  if (loaded.isErr()) return reportError(io, flags, loaded.error);
  for (const w of loaded.value.warnings) say(io, flags, `warning: ${w}`);
  const lockTimeoutMs = parseDuration(flags.lockTimeout, '--lock-timeout');
  if (lockTimeoutMs.isErr()) return reportError(io, flags, lockTimeoutMs.error);
  const choices = deployChoices(opts);
  if (choices.isErr()) return reportError(io, flags, choices.error);
  const state = await stateFor(io, flags);
  if (state.isErr()) return reportError(io, flags, state.error);
  const backend = state.value;
  const runtime = runtimeFor(opts.runtime, loaded.value, backend.kind === 'file' ? backend.location : undefined);
  if (runtime.isErr()) {
    await backend[Symbol.asyncDispose]();
    return reportError(io, flags, runtime.error);
  }
  const rt = runtime.value;
  try {
    const common = {
      state: backend,
      ...(rt === undefined ? {} : { runtime: rt }),
      env: io.env,
      secretVariables: loaded.value.interpolated,
      secretEnvFiles: loaded.value.envFiles,
      logger: loggerFor(io, flags, loaded.value.secrets),
      ...(lockTimeoutMs.value === undefined ? {} : { lockTimeoutMs: lockTimeoutMs.value }),
    };
    if (opts.dryRun !== true)
      return await deployAndReport(io, flags, loaded.value.topology, { ...common, ...choices.value, signal });
    const p = await plan(loaded.value.topology, common);
    if (p.isErr()) return reportError(io, flags, p.error);
    printData(io, flags, p.value, () => formatPlan(p.value));
    return EXIT.ok;
  } finally {
    if (rt !== undefined) await rt[Symbol.asyncDispose]();
    await backend[Symbol.asyncDispose]();
  }
}
