import { Command, CommanderError, Option } from 'commander';
import { UsageError } from '@dive/errors';
import { EXIT, type ExitCode } from './exit-codes.js';
import { reportError, type CliIO, type GlobalFlags } from './io.js';
import type { CommandContext } from './program/context.js';
import { addInstanceCommands } from './program/instance-commands.js';
import { addOperationsCommands } from './program/operations-commands.js';
import { addServiceCommands } from './program/service-commands.js';
import { addTopologyCommands } from './program/topology-commands.js';

const EXAMPLES = `
Examples:
  dive deploy                         deploy ./dive.yaml with the embedded state in ./.dive
  dive deploy -f compose.yml --progress plain --json > report.json
  dive plan --format mermaid          the dependency graph as a Mermaid diagram
  dive status USA                     state and services of the USA instance
  dive history USA --verify           the audit log, with its hash chain checked
  dive rollback USA                   back to the latest good checkpoint
  DIVE_STATE_URL=postgres://… dive db migrate

Exit codes: 0 ok · 1 failed · 2 invalid usage/config/input · 3 lock busy · 4 store or runtime unreachable · 130 interrupted`;

/** The root `dive` command with its global flags; commander reports through `io` and never exits the process. */
function rootCommand(io: CliIO): Command {
  return new Command('dive')
    .description(
      'Deploy interdependent services safely: as-soon-as-ready starts, health checks, locks, state, rollback.',
    )
    .version('0.1.0', '-V, --version')
    .option('--state <url>', 'state store: postgres://… or file:PATH (default DIVE_STATE_URL or file:.dive)')
    .option('--json', 'machine output on stdout')
    .addOption(
      new Option('--progress <mode>', 'progress on stderr')
        .choices(['auto', 'tty', 'plain', 'json', 'quiet'])
        .default('auto'),
    )
    .option('--no-color', 'no colors (also NO_COLOR)')
    .option('-q, --quiet', 'no progress or messages, only data and errors')
    .option('-v, --verbose', 'JSON logs and full errors on stderr')
    .option('--lock-timeout <duration>', 'how long to wait for the instance lock (30s, 500ms, 2m)')
    .addHelpText('after', EXAMPLES)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      outputError: () => undefined,
    })
    .showHelpAfterError(false);
}

/**
 * Run the `dive` CLI with `argv` (without the node and script entries). Never throws; resolves to the exit code.
 * `signal` is aborted on the first Ctrl-C (no new starts, rollback per policy); the bin exits at once on the second.
 */
export async function runCli(
  argv: readonly string[],
  io: CliIO,
  signal: AbortSignal = new AbortController().signal,
): Promise<ExitCode> {
  let code: ExitCode = EXIT.ok;
  const program = rootCommand(io);
  const flags = (): GlobalFlags => program.opts<GlobalFlags>();
  const done = (c: ExitCode): void => {
    code = c;
  };
  const context: CommandContext = { io, flags, done, signal };
  // Registration order is the order `dive --help` lists the commands in.
  addTopologyCommands(program, context);
  addInstanceCommands(program, context);
  addOperationsCommands(program, context);
  addServiceCommands(program, context);

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help')
        return EXIT.ok;
      const message = e.message.replace(/^error: /, '');
      return reportError(io, flags(), new UsageError(`${message} (see dive --help)`, { context: { argv: [...argv] } }));
    }
    return reportError(io, flags(), e);
  }
}
