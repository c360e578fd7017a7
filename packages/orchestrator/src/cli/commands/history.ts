import { UsageError } from '@dive/errors';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { table } from '../format.js';
import { printData, reportError, type CliIO, type GlobalFlags } from '../io.js';
import { checkInstance, withState } from './with-state.js';

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
