import type { Command } from 'commander';
import type { UiFlags } from '../commands/ui.js';
import type { CommandContext } from './context.js';

const fleetModule = () => import('../commands/fleet.js');
const uiModule = () => import('../commands/ui.js');
const migrateModule = () => import('../commands/migrate.js');

const FLEET_ACTIONS = [
  ['plan', 'waves, instances, hosts and gates, changing nothing'],
  ['deploy', 'deploy the waves in order (continues an unfinished run; --fresh starts a new one)'],
  ['status', 'the latest run: each instance, gate and approval, and the pause flag'],
  ['pause', 'stop new starts (from any machine); starts in flight finish'],
  ['resume', 'clear the pause flag: the orchestrator goes on'],
  ['approve', 'approve the gate waiting for approval (or --gate wave-N|final)'],
  ['down', 'stop and remove every instance of the fleet, last wave first'],
] as const;

/** `fleet …`, `ui` and `db migrate`. */
export function addServiceCommands(program: Command, { io, flags, done, signal }: CommandContext): void {
  const fleet = program.command('fleet').description('a hub and its spokes on several hosts, in waves with gates');
  for (const [action, description] of FLEET_ACTIONS) {
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
}
