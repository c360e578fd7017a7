import { UsageError } from '@dive/errors';
import type { StateBackend } from '../../state.js';
import { stateFor } from '../state-for.js';
import type { ExitCode } from '../exit-codes.js';
import { reportError, type CliIO, type GlobalFlags } from '../io.js';

const INSTANCE = /^[A-Z]{3}$/;

/** An instance code is three upper-case letters; anything else is a UsageError naming the argument. */
export function checkInstance(instance: string | undefined): UsageError | undefined {
  if (instance === undefined || INSTANCE.test(instance)) return undefined;
  return new UsageError(`instance must be three upper-case letters (USA, EST, …), got '${instance}'`, {
    context: { argument: 'INSTANCE', value: instance },
  });
}

/** Run `fn` with the state backend, disposing it after; errors go through reportError. */
export async function withState(
  io: CliIO,
  flags: GlobalFlags,
  fn: (state: StateBackend) => Promise<ExitCode>,
): Promise<ExitCode> {
  const state = await stateFor(io, flags);
  if (state.isErr()) return reportError(io, flags, state.error);
  try {
    return await fn(state.value);
  } finally {
    await state.value[Symbol.asyncDispose]();
  }
}
