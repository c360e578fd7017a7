/**
 * The README's demo: the DIVE hub (nine services) deployed as local processes with the embedded file state —
 * no Docker, no database. Run from the repository root with `npx -y pnpm@10 demo`.
 *
 *   demo.ts                 deploy (services keep running; `--down` tears them down at the end)
 *   demo.ts --fail keycloak make keycloak fail during start-up, to see the retries and the rollback
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../../packages/orchestrator/src/cli/main.js';

const here = dirname(fileURLToPath(import.meta.url));
const SERVICES = ['postgres', 'mongodb', 'redis', 'opa', 'keycloak', 'backend', 'frontend', 'kas', 'opal'] as const;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return address.port;
}

/** Ports are kept in .dive/ports.json so that a second run finds the services unchanged. */
async function ports(stateDir: string): Promise<Record<string, string>> {
  const file = join(stateDir, 'ports.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
  const chosen: Record<string, string> = {};
  for (const s of SERVICES) chosen[`${s.toUpperCase()}_PORT`] = String(await freePort());
  mkdirSync(stateDir, { recursive: true });
  writeFileSync(file, JSON.stringify(chosen, null, 2));
  return chosen;
}

/**
 * Run the demo. `stateDir` (default `examples/hub/.dive`) holds the state, the ports and the services' logs; tests
 * pass a temporary directory of their own, so they never touch a user's demo.
 */
export async function demo(
  args: readonly string[],
  out: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream } = process,
  stateDir: string = join(here, '.dive'),
): Promise<number> {
  const failIndex = args.indexOf('--fail');
  const fail = failIndex >= 0 ? args[failIndex + 1] : undefined;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...(await ports(stateDir)),
    KEYCLOAK_ADMIN_PASSWORD: process.env['KEYCLOAK_ADMIN_PASSWORD'] ?? 'demo-only-secret',
    ...(fail === undefined ? {} : { [`FAIL_${fail.toUpperCase().replace('-CLIENT', '')}`]: '1' }),
  };
  const io = { stdout: out.stdout, stderr: out.stderr, env, cwd: here };
  const shown = relative(join(here, '..', '..'), stateDir); // as typed from the repository root
  const state = ['--state', `file:${stateDir}`];
  const progress = args.includes('--json-progress') ? ['--progress', 'json'] : [];
  out.stderr.write(
    `DIVE demo: the hub (9 services) as local processes, state in ${relative(join(here, '..', '..'), stateDir)}\n\n`,
  );
  const code = await runCli([...state, ...progress, 'deploy', '-f', 'dive.yaml'], io);
  if (code === 0) {
    out.stderr.write(
      [
        '',
        'Try next (from the repository root):',
        `  npx -y pnpm@10 dive status USA --state file:${shown}`,
        `  npx -y pnpm@10 dive history USA --verify --state file:${shown}`,
        `  npx -y pnpm@10 dive metrics --state file:${shown}`,
        '  npx -y pnpm@10 demo -- --fail keycloak      # a failure during a redeploy: retries, then a rollback',
        `  npx -y pnpm@10 dive down USA --state file:${shown}   # stop the services`,
        '',
      ].join('\n'),
    );
  }
  if (args.includes('--down')) await runCli([...state, '--quiet', 'down', 'USA'], io);
  return code;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = await demo(process.argv.slice(2));
}
