import { Option, type Command } from 'commander';
import type { ExitCode } from '../exit-codes.js';
import type { CliIO, GlobalFlags } from '../io.js';

/** What every command's action needs: where to write, the global flags, where to put its exit code, Ctrl-C. */
export interface CommandContext {
  readonly io: CliIO;
  /** The global flags as parsed (read when the action runs, after parsing). */
  readonly flags: () => GlobalFlags;
  /** Record the command's exit code. */
  readonly done: (code: ExitCode) => void;
  /** Aborted on the first Ctrl-C. */
  readonly signal: AbortSignal;
}

/** `--runtime`, shared by every command that talks to where services run. */
export const runtimeOption = (): Option =>
  new Option('--runtime <kind>', 'where services run').choices(['auto', 'docker', 'process']);

const repeat = (value: string, previous: string[] = []): string[] => [...previous, value];

/** The compose flags of every command that reads a topology (`instance`: also `--instance`). */
export function composeOptions(command: Command, instance = true): Command {
  if (instance)
    command.option(
      '--instance <code>',
      'instance code of a compose file (else DIVE_INSTANCE, x-dive), or of a dive file without instance:',
    );
  return command
    .option('--env-file <file>', "compose: variables read instead of the file's .env (repeatable)", repeat)
    .option('--profile <name>', 'compose: activate a profile (repeatable; also COMPOSE_PROFILES)', repeat);
}
