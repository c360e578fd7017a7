import { fileState } from '../state.js';
import { instanceSecrets } from './instance-secrets.js';
import type { CommonOptions } from './options.js';

/** The options of an operation, and what to release after it. */
export interface WithInstanceSecrets<O> {
  readonly options: O;
  /** Release the state backend opened here (none when the caller gave one). */
  dispose(): Promise<void>;
}

/**
 * The options of an operation that has no topology (`down`, `rollback`), with the instance's secrets named by its
 * newest checkpoints (`secretVariables`, `secretEnvFiles`, `{ secret }` references) when the caller named none, so
 * that what the operation writes (a restarted process's record, events, logs, the store) holds no value the
 * checkpoint re-resolved. Options that name any secret are used as they are.
 * @param instance - the instance code
 * @param options - the operation's options
 * @returns the options to set the operation up with
 */
export async function withInstanceSecrets<O extends CommonOptions>(
  instance: string,
  options: O,
): Promise<WithInstanceSecrets<O>> {
  if (options.secretVariables !== undefined || options.secretEnvFiles !== undefined) {
    return { options, dispose: () => Promise.resolve() };
  }
  const state = options.state ?? fileState('.dive');
  const secrets = await instanceSecrets(state.store, instance);
  return {
    options: { ...options, state, secretVariables: secrets.variables, secretEnvFiles: secrets.envFiles },
    dispose: async () => {
      if (options.state === undefined) await state[Symbol.asyncDispose]();
    },
  };
}
