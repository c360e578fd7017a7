import { createValueRedactor, UsageError } from '@dive/errors';
import { down } from '../../operations/down.js';
import { rollback } from '../../operations/rollback.js';
import { envFileSecretsRead } from '../../engine/env-file-secrets.js';
import { secretValuesOf } from '../../engine/redaction.js';
import { instanceSecrets } from '../../operations/instance-secrets.js';
import { loggerFor } from '../logger-for.js';
import { parseDuration } from '../parse-duration.js';
import { instanceRuntime } from '../instance-runtime.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { printData, reportError, useColor, type CliIO, type GlobalFlags } from '../io.js';
import { createProgressRenderer } from '../progress.js';
import { checkInstance, withState } from './with-state.js';

/** `; removed networks a, b; volumes c` for what `down` removed besides services, or nothing. */
function removedText(removed: { readonly networks: readonly string[]; readonly volumes: readonly string[] }): string {
  const parts = [
    ...(removed.networks.length === 0 ? [] : [`networks ${removed.networks.join(', ')}`]),
    ...(removed.volumes.length === 0 ? [] : [`volumes ${removed.volumes.join(', ')}`]),
  ];
  return parts.length === 0 ? '' : `; removed ${parts.join('; ')}`;
}

/** `dive rollback INSTANCE [CHECKPOINT]` and `dive down INSTANCE`. */
export function lifecycleCommand(
  io: CliIO,
  flags: GlobalFlags,
  kind: 'rollback' | 'down',
  instance: string,
  opts: {
    readonly checkpoint?: string;
    readonly strategy?: string;
    readonly runtime?: string;
    readonly volumes?: boolean;
  },
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
    const rt = await instanceRuntime(state, instance, opts.runtime);
    if (rt.isErr()) return reportError(io, flags, rt.error);
    const progress = createProgressRenderer({
      mode: flags.quiet === true ? 'quiet' : (flags.progress ?? 'auto'),
      stream: io.stderr,
      color: useColor(flags, io),
    });
    // No topology file here: the instance's secrets are named by its checkpoints. Events, logs and the report are
    // redacted by the operation; an Err is redacted here before it is printed.
    const secrets = await instanceSecrets(state.store, instance);
    const values = createValueRedactor([
      ...secretValuesOf(undefined, io.env, secrets.variables),
      ...envFileSecretsRead(secrets.envFiles, io.env).map((s) => s.value),
    ]);
    const common = {
      state,
      env: io.env,
      secretVariables: secrets.variables,
      secretEnvFiles: secrets.envFiles,
      signal,
      logger: loggerFor(io, flags),
      onEvent: (e: Parameters<typeof progress.onEvent>[0]) => progress.onEvent(e),
      ...(rt.value === undefined ? {} : { runtime: rt.value }),
      ...(lockTimeoutMs.value === undefined ? {} : { lockTimeoutMs: lockTimeoutMs.value }),
    };
    try {
      if (kind === 'down') {
        const r = await down(instance, { ...common, ...(opts.volumes === true ? { volumes: true } : {}) });
        progress.close();
        if (r.isErr()) return reportError(io, flags, r.error, values);
        printData(
          io,
          flags,
          r.value,
          () =>
            `${instance}: ${r.value.from} → ${r.value.status}; stopped ${r.value.stopped.join(', ') || 'nothing'}${removedText(r.value.removed)}`,
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
      if (r.isErr()) return reportError(io, flags, r.error, values);
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
