import { Option, type Command } from 'commander';
import type { HealthFlags } from '../commands/locks-health.js';
import { composeOptions, runtimeOption, type CommandContext } from './context.js';

const metricsModule = () => import('../commands/metrics.js');
const analyticsModule = () => import('../commands/analytics.js');
const breakerModule = () => import('../commands/circuit-breaker.js');
const locksHealthModule = () => import('../commands/locks-health.js');

/** The operator's commands: `metrics`, `analytics`, `health`, `circuit-breaker …`, `locks …`. */
export function addOperationsCommands(program: Command, { io, flags, done }: CommandContext): void {
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

  const health = program
    .command('health [instance]')
    .description("run every service's health checks now (exit 1 if any is unhealthy)")
    .option('-f, --file <file>', 'topology file')
    .addOption(runtimeOption());
  composeOptions(health, false).action(async (instance: string | undefined, o: HealthFlags) =>
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
}
