import { createValueRedactor, UsageError, type ValueRedactor } from '@dive/errors';
import type { CommonOptions } from '../../operations/options.js';
import { ROLLBACK_STRATEGIES, type RollbackStrategy } from '../../report.js';
import type { StateBackend } from '../../state.js';
import { down } from '../../operations/down.js';
import { rollback } from '../../operations/rollback.js';
import { envFileSecretsRead } from '../../engine/env-file-secrets.js';
import { secretValuesOf } from '../../engine/redaction.js';
import { instanceSecrets } from '../../operations/instance-secrets.js';
import { loggerFor } from '../logger-for.js';
import { parseDuration } from '../parse-duration.js';
import { instanceRuntime } from '../instance-runtime.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { printData, reportError, type CliIO, type GlobalFlags } from '../io.js';
import type { ProgressRenderer } from '../progress.js';
import { progressFor } from '../progress-for.js';
import { checkInstance, withState } from './with-state.js';

/** `; removed networks a, b; volumes c` for what `down` removed besides services, or nothing. */
function removedText(removed: { readonly networks: readonly string[]; readonly volumes: readonly string[] }): string {
  const parts = [
    ...(removed.networks.length === 0 ? [] : [`networks ${removed.networks.join(', ')}`]),
    ...(removed.volumes.length === 0 ? [] : [`volumes ${removed.volumes.join(', ')}`]),
  ];
  return parts.length === 0 ? '' : `; removed ${parts.join('; ')}`;
}

/** Flags of `dive rollback` and `dive down`. */
export interface LifecycleFlags {
  readonly checkpoint?: string;
  readonly strategy?: string;
  readonly runtime?: string;
  readonly volumes?: boolean;
}

const isStrategy = (s: string): s is RollbackStrategy => (ROLLBACK_STRATEGIES as readonly string[]).includes(s);

/** What both commands pass to their operation. */
type Common = CommonOptions & { readonly state: StateBackend };

/** One run of either command: its options, progress and the redactor of its secret values. */
interface Run {
  readonly opts: LifecycleFlags;
  readonly common: Common;
  readonly progress: ProgressRenderer;
  readonly values: ValueRedactor;
}

async function downAndReport(io: CliIO, flags: GlobalFlags, instance: string, run: Run): Promise<ExitCode> {
  const r = await down(instance, { ...run.common, ...(run.opts.volumes === true ? { volumes: true } : {}) });
  run.progress.close();
  if (r.isErr()) return reportError(io, flags, r.error, run.values);
  const { from, status, stopped, removed } = r.value;
  printData(io, flags, r.value, () => {
    return `${instance}: ${from} → ${status}; stopped ${stopped.join(', ') || 'nothing'}${removedText(removed)}`;
  });
  return EXIT.ok;
}

async function rollbackAndReport(io: CliIO, flags: GlobalFlags, instance: string, run: Run): Promise<ExitCode> {
  const { checkpoint, strategy } = run.opts;
  const r = await rollback(
    instance,
    {
      ...(checkpoint === undefined ? {} : { checkpointId: checkpoint }),
      ...(strategy === undefined || !isStrategy(strategy) ? {} : { strategy }),
    },
    run.common,
  );
  run.progress.close();
  if (r.isErr()) return reportError(io, flags, r.error, run.values);
  const { removed, restored, error } = r.value;
  printData(io, flags, r.value, () =>
    [
      `${instance}: rollback (${r.value.strategy}) → ${r.value.finalState}; removed ${removed.join(', ') || 'nothing'}; restored ${restored.join(', ') || 'nothing'}`,
      ...(error === undefined ? [] : [`error: ${error.message}`, `  what to do: ${error.remediation}`]),
    ].join('\n'),
  );
  return error === undefined ? EXIT.ok : EXIT.failed;
}

/** `dive rollback INSTANCE [CHECKPOINT]` and `dive down INSTANCE`. */
export function lifecycleCommand(
  io: CliIO,
  flags: GlobalFlags,
  kind: 'rollback' | 'down',
  instance: string,
  opts: LifecycleFlags,
  signal: AbortSignal,
): Promise<ExitCode> {
  const bad = checkInstance(instance);
  if (bad !== undefined) return Promise.resolve(reportError(io, flags, bad));
  if (opts.strategy !== undefined && !isStrategy(opts.strategy)) {
    const message = `--strategy must be one of ${ROLLBACK_STRATEGIES.join(', ')}, got ${opts.strategy}`;
    return Promise.resolve(reportError(io, flags, new UsageError(message)));
  }
  const lockTimeoutMs = parseDuration(flags.lockTimeout, '--lock-timeout');
  if (lockTimeoutMs.isErr()) return Promise.resolve(reportError(io, flags, lockTimeoutMs.error));
  return withState(io, flags, async (state) => {
    const rt = await instanceRuntime(state, instance, opts.runtime);
    if (rt.isErr()) return reportError(io, flags, rt.error);
    const progress = progressFor(io, flags);
    // No topology file here: the instance's secrets are named by its checkpoints. Events, logs and the report are
    // redacted by the operation; an Err is redacted here before it is printed.
    const secrets = await instanceSecrets(state.store, instance);
    const values = createValueRedactor([
      ...secretValuesOf(undefined, io.env, secrets.variables),
      ...envFileSecretsRead(secrets.envFiles, io.env).map((s) => s.value),
    ]);
    const common: Common = {
      state,
      env: io.env,
      secretVariables: secrets.variables,
      secretEnvFiles: secrets.envFiles,
      signal,
      logger: loggerFor(io, flags),
      onEvent: (e) => progress.onEvent(e),
      ...(rt.value === undefined ? {} : { runtime: rt.value }),
      ...(lockTimeoutMs.value === undefined ? {} : { lockTimeoutMs: lockTimeoutMs.value }),
    };
    const run: Run = { opts, common, progress, values };
    try {
      return kind === 'down'
        ? await downAndReport(io, flags, instance, run)
        : await rollbackAndReport(io, flags, instance, run);
    } finally {
      if (rt.value !== undefined) await rt.value[Symbol.asyncDispose]();
    }
  });
}
