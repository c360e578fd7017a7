import { Command, CommanderError, Option } from 'commander';
import { UsageError } from '@dive/errors';
import type { DeployFlags } from './commands/deploy.js';
import type { HealthFlags } from './commands/locks-health.js';
import type { PlanFlags } from './commands/plan.js';
import type { UiFlags } from './commands/ui.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { reportError, type CliIO, type GlobalFlags } from './io.js';

// Each command's module is imported when the command runs, so `dive --version` or `dive status` never loads the
// Docker client, pg, OpenTelemetry or prom-client it does not use (docs/benchmarks.md: CLI start-up).
const deployModule = () => import('./commands/deploy.js');
const planModule = () => import('./commands/plan.js');
const statusModule = () => import('./commands/status.js');
const historyModule = () => import('./commands/history.js');
const lifecycleModule = () => import('./commands/lifecycle.js');
const metricsModule = () => import('./commands/metrics.js');
const analyticsModule = () => import('./commands/analytics.js');
const migrateModule = () => import('./commands/migrate.js');
const breakerModule = () => import('./commands/circuit-breaker.js');
const locksHealthModule = () => import('./commands/locks-health.js');
const fleetModule = () => import('./commands/fleet.js');
const uiModule = () => import('./commands/ui.js');

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
  const program = new Command('dive')
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

  const flags = (): GlobalFlags => program.opts<GlobalFlags>();
  const done = (c: ExitCode): void => {
    code = c;
  };
  const runtimeOption = () =>
    new Option('--runtime <kind>', 'where services run').choices(['auto', 'docker', 'process']);
  const repeat = (value: string, previous: string[] = []): string[] => [...previous, value];
  /** The compose flags of every command that reads a topology. */
  const composeOptions = (command: Command, instance = true): Command => {
    if (instance)
      command.option(
        '--instance <code>',
        'instance code of a compose file (else DIVE_INSTANCE, x-dive), or of a dive file without instance:',
      );
    return command
      .option('--env-file <file>', "compose: variables read instead of the file's .env (repeatable)", repeat)
      .option('--profile <name>', 'compose: activate a profile (repeatable; also COMPOSE_PROFILES)', repeat);
  };

  const deploy = program
    .command('deploy')
    .description('deploy the topology (--dry-run: print the plan only)')
    .option('-f, --file <file>', 'topology file (dive.yaml, dive.json, docker-compose.yml)')
    .option('--dry-run', 'print the plan, change nothing')
    .addOption(runtimeOption())
    .addOption(
      new Option('--schedule <mode>', 'ready: as soon as dependencies are ready; levels: level by level').choices([
        'ready',
        'levels',
      ]),
    )
    .addOption(new Option('--rollback <mode>', 'roll back on failure').choices(['auto', 'never']))
    .option('--concurrency <n>', 'most services starting at once');
  composeOptions(deploy).action(async (o: DeployFlags) =>
    done(await (await deployModule()).deployCommand(io, flags(), o, signal)),
  );

  const planCmd = program
    .command('plan')
    .description('order, levels, critical path and risk, changing nothing')
    .option('-f, --file <file>', 'topology file')
    .addOption(new Option('--format <format>', 'output').choices(['text', 'json', 'mermaid', 'dot']))
    .addOption(runtimeOption());
  composeOptions(planCmd).action(async (o: PlanFlags) => done(await (await planModule()).planCommand(io, flags(), o)));

  program
    .command('status [instance]')
    .description('current state of one or all instances (takes no lock)')
    .addOption(runtimeOption())
    .action(async (instance: string | undefined, o: { runtime?: string }) =>
      done(await (await statusModule()).statusCommand(io, flags(), instance, o)),
    );

  program
    .command('history <instance>')
    .description('the audit log of transitions, newest first')
    .option('--limit <n>', 'rows', '50')
    .option('--verify', 'check the audit log hash chain')
    .action(async (instance: string, o: { limit?: string; verify?: boolean }) =>
      done(await (await historyModule()).historyCommand(io, flags(), instance, o)),
    );

  program
    .command('checkpoint')
    .description('checkpoints')
    .command('list <instance>')
    .description('checkpoints of an instance, newest first')
    .action(async (instance: string) =>
      done(await (await historyModule()).checkpointListCommand(io, flags(), instance)),
    );

  program
    .command('rollback <instance> [checkpoint]')
    .description('roll back to a checkpoint (the latest good one by default)')
    .addOption(
      new Option('--strategy <strategy>', 'what to restore').choices(['stop', 'config', 'containers', 'complete']),
    )
    .addOption(runtimeOption())
    .action(async (instance: string, checkpoint: string | undefined, o: { strategy?: string; runtime?: string }) =>
      done(
        await (
          await lifecycleModule()
        ).lifecycleCommand(
          io,
          flags(),
          'rollback',
          instance,
          { ...o, ...(checkpoint === undefined ? {} : { checkpoint }) },
          signal,
        ),
      ),
    );

  program
    .command('down <instance>')
    .description('stop and remove the services of an instance (and the networks it made)')
    .addOption(runtimeOption())
    .option('--volumes', "also remove the instance's volumes (their data is lost)")
    .action(async (instance: string, o: { runtime?: string; volumes?: boolean }) =>
      done(await (await lifecycleModule()).lifecycleCommand(io, flags(), 'down', instance, o, signal)),
    );

  program
    .command('metrics')
    .description('metrics of recorded deployments')
    .addOption(new Option('--format <format>', 'output').choices(['prometheus', 'json']))
    .action(async (o: { format?: string }) => done(await (await metricsModule()).metricsCommand(io, flags(), o)));

  program
    .command('analytics [instance]')
    .description('error trends: counts by code and severity over time, top causes')
    .option('--since <duration>', 'look back (default 1440m)')
    .addOption(new Option('--bucket <bucket>', 'bucket width').choices(['minute', 'hour', 'day']))
    .action(async (instance: string | undefined, o: { since?: string; bucket?: string }) =>
      done(await (await analyticsModule()).analyticsCommand(io, flags(), instance, o)),
    );

  const healthCmd = program
    .command('health [instance]')
    .description("run every service's health checks now (exit 1 if any is unhealthy)")
    .option('-f, --file <file>', 'topology file')
    .addOption(runtimeOption());
  composeOptions(healthCmd, false).action(async (instance: string | undefined, o: HealthFlags) =>
    done(await (await locksHealthModule()).healthCommand(io, flags(), instance, o)),
  );

  const breakers = program.command('circuit-breaker').description('circuit breakers shared through the state store');
  breakers
    .command('status')
    .description('every shared breaker: state, failures in a row, opened at, next probe')
    .action(async () => done(await (await breakerModule()).circuitBreakerCommand(io, flags(), 'status')));
  breakers
    .command('reset <name>')
    .description('close a breaker now (after fixing its cause)')
    .action(async (name: string) =>
      done(await (await breakerModule()).circuitBreakerCommand(io, flags(), 'reset', name)),
    );

  const locks = program.command('locks').description('deployment locks and their holders');
  locks
    .command('list')
    .description('held locks with holder, fencing token and waiters')
    .action(async () => done(await (await locksHealthModule()).locksCommand(io, flags(), 'list', {})));
  locks
    .command('release <type> <resource>')
    .description('take a lock away from its holder (PostgreSQL: ends its session)')
    .option('--force', 'confirm')
    .action(async (type: string, resource: string, o: { force?: boolean }) =>
      done(await (await locksHealthModule()).locksCommand(io, flags(), 'release', { type, resource, ...o })),
    );

  const fleet = program.command('fleet').description('a hub and its spokes on several hosts, in waves with gates');
  const fleetActions = [
    ['plan', 'waves, instances, hosts and gates, changing nothing'],
    ['deploy', 'deploy the waves in order (continues an unfinished run; --fresh starts a new one)'],
    ['status', 'the latest run: each instance, gate and approval, and the pause flag'],
    ['pause', 'stop new starts (from any machine); starts in flight finish'],
    ['resume', 'clear the pause flag: the orchestrator goes on'],
    ['approve', 'approve the gate waiting for approval (or --gate wave-N|final)'],
    ['down', 'stop and remove every instance of the fleet, last wave first'],
  ] as const;
  for (const [action, description] of fleetActions) {
    fleet
      .command(action)
      .description(description)
      .option('-f, --file <file>', 'fleet file (default fleet.yaml)')
      .option('--fresh', 'deploy: start a new run even if the latest did not finish')
      .option('--gate <gate>', 'approve: the gate (wave-N or final)')
      .action(async (o: { file?: string; fresh?: boolean; gate?: string }) =>
        done(await (await fleetModule()).fleetCommand(io, flags(), action, o, signal)),
      );
  }

  program
    .command('ui')
    .description('the live web dashboard; prints its URL first on stdout and serves until interrupted')
    .option('--host <host>', 'address to bind (beyond 127.0.0.1 a token is required)', '127.0.0.1')
    .option('--port <n>', 'port (0: any free one)', '0')
    .option('--open', 'open it in the browser')
    .option('--allow-actions', 'allow rollback and down from the page (behind the token and CSRF)')
    .option('--token <token>', 'the access token (default: generated and printed once when needed)')
    .action(async (o: UiFlags) => done(await (await uiModule()).uiCommand(io, flags(), o, signal)));

  program
    .command('db')
    .description('the state store')
    .command('migrate')
    .description('create or upgrade the state schema')
    .action(async () => done(await (await migrateModule()).migrateCommand(io, flags())));

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
