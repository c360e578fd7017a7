import { status } from '../../operations/status.js';
import { instanceRuntime } from '../instance-runtime.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { formatStatus } from '../format.js';
import { printData, reportError, type CliIO, type GlobalFlags } from '../io.js';
import { checkInstance, withState } from './with-state.js';

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
    const rt = await instanceRuntime(state, instance, opts.runtime);
    if (rt.isErr()) return reportError(io, flags, rt.error);
    const r = await status(instance, { state, env: io.env, ...(rt.value === undefined ? {} : { runtime: rt.value }) });
    if (rt.value !== undefined) await rt.value[Symbol.asyncDispose]();
    if (r.isErr()) return reportError(io, flags, r.error);
    printData(io, flags, r.value, () => formatStatus(r.value));
    return EXIT.ok;
  });
}
