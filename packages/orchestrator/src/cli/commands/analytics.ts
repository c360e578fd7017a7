import { UsageError } from '@dive/errors';
import { parseDuration } from '../parse-duration.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { table } from '../format.js';
import { printData, reportError, type CliIO, type GlobalFlags } from '../io.js';
import { checkInstance, withState } from './with-state.js';

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
