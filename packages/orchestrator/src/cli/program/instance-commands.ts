import { Option, type Command } from 'commander';
import { ROLLBACK_STRATEGIES } from '../../report.js';
import { runtimeOption, type CommandContext } from './context.js';

const statusModule = () => import('../commands/status.js');
const historyModule = () => import('../commands/history.js');
const lifecycleModule = () => import('../commands/lifecycle.js');

/** The commands about one recorded instance: `status`, `history`, `checkpoint list`, `rollback`, `down`. */
export function addInstanceCommands(program: Command, { io, flags, done, signal }: CommandContext): void {
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
    .addOption(new Option('--strategy <strategy>', 'what to restore').choices(ROLLBACK_STRATEGIES))
    .addOption(runtimeOption())
    .action(async (instance: string, checkpoint: string | undefined, o: { strategy?: string; runtime?: string }) => {
      const options = { ...o, ...(checkpoint === undefined ? {} : { checkpoint }) };
      const { lifecycleCommand } = await lifecycleModule();
      done(await lifecycleCommand(io, flags(), 'rollback', instance, options, signal));
    });

  program
    .command('down <instance>')
    .description('stop and remove the services of an instance (and the networks it made)')
    .addOption(runtimeOption())
    .option('--volumes', "also remove the instance's volumes (their data is lost)")
    .action(async (instance: string, o: { runtime?: string; volumes?: boolean }) =>
      done(await (await lifecycleModule()).lifecycleCommand(io, flags(), 'down', instance, o, signal)),
    );
}
