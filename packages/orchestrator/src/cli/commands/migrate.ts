import { EXIT, type ExitCode } from '../exit-codes.js';
import { printData, reportError, type CliIO, type GlobalFlags } from '../io.js';
import { withState } from './with-state.js';

/** `dive db migrate`. */
export function migrateCommand(io: CliIO, flags: GlobalFlags): Promise<ExitCode> {
  return withState(io, flags, async (state) => {
    const r = await state.store.migrate();
    if (r.isErr()) return reportError(io, flags, r.error);
    // The lock tables too (PostgreSQL): so a schema owner can migrate and another role only write.
    const locks = await state.locks.list();
    if (locks.isErr()) return reportError(io, flags, locks.error);
    printData(io, flags, { location: state.location, applied: r.value.applied }, () =>
      r.value.applied.length === 0
        ? `state at ${state.location} is up to date`
        : `applied migrations ${r.value.applied.join(', ')} to ${state.location}`,
    );
    return EXIT.ok;
  });
}
