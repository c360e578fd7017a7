import { Option, type Command } from 'commander';
import type { DeployFlags } from '../commands/deploy.js';
import type { PlanFlags } from '../commands/plan.js';
import { composeOptions, runtimeOption, type CommandContext } from './context.js';

// Each command's module is imported when the command runs, so `dive --version` or `dive status` never loads the
// Docker client, pg, OpenTelemetry or prom-client it does not use (docs/benchmarks.md: CLI start-up).
const deployModule = () => import('../commands/deploy.js');
const planModule = () => import('../commands/plan.js');

/** The commands that read a topology file: `deploy` and `plan`. */
export function addTopologyCommands(program: Command, { io, flags, done, signal }: CommandContext): void {
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

  const plan = program
    .command('plan')
    .description('order, levels, critical path and risk, changing nothing')
    .option('-f, --file <file>', 'topology file')
    .addOption(new Option('--format <format>', 'output').choices(['text', 'json', 'mermaid', 'dot']))
    .addOption(runtimeOption());
  composeOptions(plan).action(async (o: PlanFlags) => done(await (await planModule()).planCommand(io, flags(), o)));
}
