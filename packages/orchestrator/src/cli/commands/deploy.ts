import { UsageError } from '@dive/errors';
import { createMetrics } from '@dive/metrics';
import { orchestrate } from '../../operations/orchestrate.js';
import { plan } from '../../operations/plan.js';
import { loggerFor } from '../logger-for.js';
import { parseDuration } from '../parse-duration.js';
import { runtimeFor } from '../runtime-for.js';
import { stateFor } from '../state-for.js';
import { loadFor } from '../topology-file.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { formatPlan, formatReport } from '../format.js';
import { printData, reportError, say, useColor, type CliIO, type GlobalFlags } from '../io.js';
import { createProgressRenderer } from '../progress.js';

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
  if (opts.schedule !== undefined && opts.schedule !== 'ready' && opts.schedule !== 'levels') {
    return reportError(
      io,
      flags,
      new UsageError(`--schedule must be ready or levels, got ${opts.schedule}`, { context: { flag: '--schedule' } }),
    );
  }
  if (opts.rollback !== undefined && opts.rollback !== 'auto' && opts.rollback !== 'never') {
    return reportError(
      io,
      flags,
      new UsageError(`--rollback must be auto or never, got ${opts.rollback}`, { context: { flag: '--rollback' } }),
    );
  }
  const concurrency = opts.concurrency === undefined ? undefined : Number(opts.concurrency);
  if (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency >= 1)) {
    return reportError(
      io,
      flags,
      new UsageError(`--concurrency must be a whole number ≥ 1, got ${opts.concurrency ?? ''}`, {
        context: { flag: '--concurrency' },
      }),
    );
  }
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
    if (opts.dryRun === true) {
      const p = await plan(loaded.value.topology, common);
      if (p.isErr()) return reportError(io, flags, p.error);
      printData(io, flags, p.value, () => formatPlan(p.value));
      return EXIT.ok;
    }
    // Metrics accumulate across CLI runs in the store: merge what is stored, record this run, save the total.
    const metrics = createMetrics();
    const stored = await backend.store.loadMetricsSnapshot();
    if (stored.isOk() && stored.value !== null && stored.value !== undefined) {
      const merged = metrics.merge(stored.value);
      if (merged.isErr()) say(io, flags, `warning: stored metrics ignored: ${merged.error.message}`);
    }
    const progress = createProgressRenderer({
      mode: flags.quiet === true ? 'quiet' : (flags.progress ?? 'auto'),
      stream: io.stderr,
      color: useColor(flags, io),
    });
    const result = await orchestrate(loaded.value.topology, {
      ...common,
      signal,
      onEvent: (e) => progress.onEvent(e),
      metrics,
      ...(opts.schedule === undefined ? {} : { schedule: opts.schedule }),
      ...(opts.rollback === undefined ? {} : { rollback: opts.rollback }),
      ...(concurrency === undefined ? {} : { concurrency }),
    });
    progress.close();
    const saved = await backend.store.saveMetricsSnapshot(metrics.snapshot());
    if (saved.isErr()) say(io, flags, `warning: metrics not saved: ${saved.error.message}`);
    if (result.isErr()) return reportError(io, flags, result.error);
    const report = result.value;
    printData(io, flags, report, () => formatReport(report));
    if (report.success) {
      if (flags.json !== true) {
        say(
          io,
          flags,
          `\nnext: dive status ${report.instance} · dive history ${report.instance} · dive metrics · dive down ${report.instance}`,
        );
      }
      return EXIT.ok;
    }
    return report.error?._tag === 'CancelledError' ? EXIT.interrupted : EXIT.failed;
  } finally {
    if (rt !== undefined) await rt[Symbol.asyncDispose]();
    await backend[Symbol.asyncDispose]();
  }
}
