import { createMetrics } from '@dive/metrics';
import { UsageError } from '@dive/errors';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { reportError, say, type CliIO, type GlobalFlags } from '../io.js';
import { withState } from './with-state.js';

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
