import { createMetrics } from '@dive/metrics';
import { UsageError } from '@dive/errors';
import { down } from '../../operations/down.js';
import { rollback } from '../../operations/rollback.js';
import { status } from '../../operations/status.js';
import type { StateBackend } from '../../state.js';
import { loggerFor, parseDuration, runtimeFor, stateFor } from '../context.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { formatStatus, table } from '../format.js';
import { printData, reportError, say, useColor, type CliIO, type GlobalFlags } from '../io.js';
import { createProgressRenderer } from '../progress.js';

const INSTANCE = /^[A-Z]{3}$/;

function checkInstance(instance: string | undefined): UsageError | undefined {
  if (instance === undefined || INSTANCE.test(instance)) return undefined;
  return new UsageError(`instance must be three upper-case letters (USA, EST, …), got '${instance}'`, {
    context: { argument: 'INSTANCE', value: instance },
  });
}

/** Run `fn` with the state backend, disposing it after; errors go through reportError. */
async function withState(
  io: CliIO,
  flags: GlobalFlags,
  fn: (state: StateBackend) => Promise<ExitCode>,
): Promise<ExitCode> {
  const state = stateFor(io, flags);
  if (state.isErr()) return reportError(io, flags, state.error);
  try {
    return await fn(state.value);
  } finally {
    await state.value[Symbol.asyncDispose]();
  }
}

/** `dive status [INSTANCE]`: reads the store without taking the lock. */
export function statusCommand(
  io: CliIO,
  flags: GlobalFlags,
  instance: string | undefined,
  opts: { readonly runtime?: string },
): Promise<ExitCode> {
  const bad = checkInstance(instance);
  if (bad !== undefined) return Promise.resolve(reportError(io, flags, bad));
  return withState(io, flags, async (state) => {
    const rt = runtimeFor(opts.runtime ?? 'process', undefined, state.kind === 'file' ? state.location : undefined);
    if (rt.isErr()) return reportError(io, flags, rt.error);
    const r = await status(instance, { state, env: io.env, ...(rt.value === undefined ? {} : { runtime: rt.value }) });
    if (rt.value !== undefined) await rt.value[Symbol.asyncDispose]();
    if (r.isErr()) return reportError(io, flags, r.error);
    printData(io, flags, r.value, () => formatStatus(r.value));
    return EXIT.ok;
  });
}

/** `dive history INSTANCE`: the audit log, newest first. */
export function historyCommand(
  io: CliIO,
  flags: GlobalFlags,
  instance: string,
  opts: { readonly limit?: string; readonly verify?: boolean },
): Promise<ExitCode> {
  const bad = checkInstance(instance);
  if (bad !== undefined) return Promise.resolve(reportError(io, flags, bad));
  const limit = opts.limit === undefined ? 50 : Number(opts.limit);
  if (!(Number.isInteger(limit) && limit >= 1))
    return Promise.resolve(
      reportError(io, flags, new UsageError(`--limit must be a whole number ≥ 1, got ${opts.limit ?? ''}`)),
    );
  return withState(io, flags, async (state) => {
    const rows = await state.store.history(instance, { limit });
    if (rows.isErr()) return reportError(io, flags, rows.error);
    const verified = opts.verify === true ? await state.store.verifyAuditLog(instance) : undefined;
    if (verified?.isErr() === true) return reportError(io, flags, verified.error);
    printData(
      io,
      flags,
      { instance, rows: rows.value, ...(verified?.isOk() === true ? { verified: verified.value } : {}) },
      () =>
        rows.value.length === 0
          ? `${instance}: no transitions recorded`
          : [
              table(
                ['VERSION', 'AT', 'FROM', 'TO', 'REASON', 'ACTOR', 'TOKEN'],
                rows.value.map((r) => [
                  String(r.version),
                  new Date(r.at).toISOString(),
                  r.from,
                  r.to,
                  r.reason,
                  r.actor,
                  String(r.fencingToken),
                ]),
              ),
              ...(verified?.isOk() === true
                ? [`audit log verified: ${verified.value.rows} rows, head ${verified.value.head ?? '-'}`]
                : []),
            ].join('\n'),
    );
    return EXIT.ok;
  });
}

/** `dive checkpoint list INSTANCE`: newest first. */
export function checkpointListCommand(io: CliIO, flags: GlobalFlags, instance: string): Promise<ExitCode> {
  const bad = checkInstance(instance);
  if (bad !== undefined) return Promise.resolve(reportError(io, flags, bad));
  return withState(io, flags, async (state) => {
    const list = await state.store.listCheckpoints(instance);
    if (list.isErr()) return reportError(io, flags, list.error);
    const rows = [...list.value].sort((a, b) => b.createdAt - a.createdAt);
    printData(io, flags, rows, () =>
      rows.length === 0
        ? `${instance}: no checkpoints`
        : table(
            ['ID', 'CREATED', 'ENCRYPTED'],
            rows.map((c) => [c.id, new Date(c.createdAt).toISOString(), c.encrypted ? 'yes' : 'no']),
          ),
    );
    return EXIT.ok;
  });
}

/** `dive rollback INSTANCE [CHECKPOINT]` and `dive down INSTANCE`. */
export function lifecycleCommand(
  io: CliIO,
  flags: GlobalFlags,
  kind: 'rollback' | 'down',
  instance: string,
  opts: { readonly checkpoint?: string; readonly strategy?: string; readonly runtime?: string },
  signal: AbortSignal,
): Promise<ExitCode> {
  const bad = checkInstance(instance);
  if (bad !== undefined) return Promise.resolve(reportError(io, flags, bad));
  const strategies = ['stop', 'config', 'containers', 'complete'];
  if (opts.strategy !== undefined && !strategies.includes(opts.strategy)) {
    return Promise.resolve(
      reportError(
        io,
        flags,
        new UsageError(`--strategy must be one of ${strategies.join(', ')}, got ${opts.strategy}`),
      ),
    );
  }
  const lockTimeoutMs = parseDuration(flags.lockTimeout, '--lock-timeout');
  if (lockTimeoutMs.isErr()) return Promise.resolve(reportError(io, flags, lockTimeoutMs.error));
  return withState(io, flags, async (state) => {
    const rt = runtimeFor(opts.runtime ?? 'process', undefined, state.kind === 'file' ? state.location : undefined);
    if (rt.isErr()) return reportError(io, flags, rt.error);
    const progress = createProgressRenderer({
      mode: flags.quiet === true ? 'quiet' : (flags.progress ?? 'auto'),
      stream: io.stderr,
      color: useColor(flags, io),
    });
    const common = {
      state,
      env: io.env,
      signal,
      logger: loggerFor(io, flags),
      onEvent: (e: Parameters<typeof progress.onEvent>[0]) => progress.onEvent(e),
      ...(rt.value === undefined ? {} : { runtime: rt.value }),
      ...(lockTimeoutMs.value === undefined ? {} : { lockTimeoutMs: lockTimeoutMs.value }),
    };
    try {
      if (kind === 'down') {
        const r = await down(instance, common);
        progress.close();
        if (r.isErr()) return reportError(io, flags, r.error);
        printData(
          io,
          flags,
          r.value,
          () => `${instance}: ${r.value.from} → ${r.value.status}; stopped ${r.value.stopped.join(', ') || 'nothing'}`,
        );
        return EXIT.ok;
      }
      const r = await rollback(
        instance,
        {
          ...(opts.checkpoint === undefined ? {} : { checkpointId: opts.checkpoint }),
          ...(opts.strategy === undefined ? {} : { strategy: opts.strategy as 'complete' }),
        },
        common,
      );
      progress.close();
      if (r.isErr()) return reportError(io, flags, r.error);
      printData(io, flags, r.value, () =>
        [
          `${instance}: rollback (${r.value.strategy}) → ${r.value.finalState}; removed ${r.value.removed.join(', ') || 'nothing'}; restored ${r.value.restored.join(', ') || 'nothing'}`,
          ...(r.value.error === undefined
            ? []
            : [`error: ${r.value.error.message}`, `  what to do: ${r.value.error.remediation}`]),
        ].join('\n'),
      );
      return r.value.error === undefined ? EXIT.ok : EXIT.failed;
    } finally {
      if (rt.value !== undefined) await rt.value[Symbol.asyncDispose]();
    }
  });
}

/** `dive db migrate`. */
export function migrateCommand(io: CliIO, flags: GlobalFlags): Promise<ExitCode> {
  return withState(io, flags, async (state) => {
    const r = await state.store.migrate();
    if (r.isErr()) return reportError(io, flags, r.error);
    printData(io, flags, { location: state.location, applied: r.value.applied }, () =>
      r.value.applied.length === 0
        ? `state at ${state.location} is up to date`
        : `applied migrations ${r.value.applied.join(', ')} to ${state.location}`,
    );
    return EXIT.ok;
  });
}

/** `dive metrics [--format prometheus|json]`: the metrics of recorded deployments. */
export function metricsCommand(io: CliIO, flags: GlobalFlags, opts: { readonly format?: string }): Promise<ExitCode> {
  const format = opts.format ?? (flags.json === true ? 'json' : 'prometheus');
  if (format !== 'prometheus' && format !== 'json')
    return Promise.resolve(
      reportError(io, flags, new UsageError(`--format must be prometheus or json, got ${format}`)),
    );
  return withState(io, flags, async (state) => {
    const snap = await state.store.loadMetricsSnapshot();
    if (snap.isErr()) return reportError(io, flags, snap.error);
    const metrics = createMetrics();
    if (snap.value !== null && snap.value !== undefined) {
      const merged = metrics.merge(snap.value);
      if (merged.isErr()) return reportError(io, flags, merged.error);
    }
    if (format === 'json') io.stdout.write(`${JSON.stringify(metrics.snapshot(), null, 2)}\n`);
    else io.stdout.write(await metrics.toPrometheus());
    if (snap.value === null || snap.value === undefined) say(io, flags, 'no deployments recorded yet');
    return EXIT.ok;
  });
}

/** `dive analytics [INSTANCE]`: error counts by code and severity over time, top causes, trend. */
export function analyticsCommand(
  io: CliIO,
  flags: GlobalFlags,
  instance: string | undefined,
  opts: { readonly since?: string; readonly bucket?: string },
): Promise<ExitCode> {
  const bad = checkInstance(instance);
  if (bad !== undefined) return Promise.resolve(reportError(io, flags, bad));
  const bucket = opts.bucket ?? 'hour';
  if (bucket !== 'minute' && bucket !== 'hour' && bucket !== 'day')
    return Promise.resolve(
      reportError(io, flags, new UsageError(`--bucket must be minute, hour or day, got ${bucket}`)),
    );
  const since = parseDuration(opts.since ?? '1440m', '--since');
  if (since.isErr()) return Promise.resolve(reportError(io, flags, since.error));
  return withState(io, flags, async (state) => {
    const r = await state.store.errorAnalytics({
      bucket,
      since: Date.now() - (since.value ?? 0),
      ...(instance === undefined ? {} : { instance }),
    });
    if (r.isErr()) return reportError(io, flags, r.error);
    const a = r.value;
    printData(io, flags, a, () =>
      [
        `errors: ${a.total} (${Object.entries(a.bySeverity)
          .map(([k, v]) => `${v} ${k}`)
          .join(', ')}), trend ${a.trend}`,
        a.byCode.length === 0
          ? ''
          : table(
              ['CODE', 'TAG', 'COUNT'],
              a.byCode.map((c) => [String(c.code), c.tag, String(c.count)]),
            ),
        a.topCauses.length === 0
          ? ''
          : `top causes:\n${a.topCauses.map((c) => `  ${c.count}× ${c.tag}: ${c.message}`).join('\n')}`,
      ]
        .filter((l) => l !== '')
        .join('\n'),
    );
    return EXIT.ok;
  });
}
