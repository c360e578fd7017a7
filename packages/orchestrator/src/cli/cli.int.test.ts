// End-to-end: the BUILT `dive` (dist/cli/bin.js, made by `pnpm build`) spawned as a user would, on file and
// PostgreSQL state, including the bad inputs users make. Asserts exit codes, one clear message, no stack trace.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, type TestDatabase } from '@dive/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../../dist/cli/bin.js', import.meta.url));
let dir: string;
let db: TestDatabase;
const ports: Record<string, string> = {};

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const a = s.address();
  await new Promise<void>((r) => s.close(() => r()));
  return typeof a === 'object' && a !== null ? a.port : 0;
}

const server = (port: string) => `require('http').createServer((q,s)=>s.end('ok')).listen(${port},'127.0.0.1')`;
const topology = (instance: string) => `instance: ${instance}
services:
  db:
    process: { command: node, args: ['-e', "${server('${DB_PORT}')}"] }
    health: [{ type: http, url: 'http://127.0.0.1:\${DB_PORT}/' }]
  api:
    process:
      command: node
      args: ['-e', "${server('${API_PORT}')}"]
      env: { TOKEN: { secret: API_TOKEN } }
    health: [{ type: http, url: 'http://127.0.0.1:\${API_PORT}/' }]
    dependsOn: [db]
`;

function dive(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, ...ports, API_TOKEN: 'sup3r-s3cret', NO_COLOR: '1', CI: 'true', ...env },
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const noStack = (s: string) => expect(s).not.toMatch(/\n\s+at .+:\d+:\d+/);

/** A service that listens only after `ms`: long enough to interrupt a deployment while it waits. */
const slowServer = (port: string, ms: number) => `setTimeout(() => ${server(port)}, ${ms})`;

/** `fast` then `slow` (healthy after `ms`), plus any extra services, as a topology file. */
const fastThenSlow = (
  instance: string,
  fastPort: string,
  slowPort: string,
  ms: number,
  extra = '',
) => `instance: ${instance}
services:
  fast:
    process: { command: node, args: ['-e', "${server(fastPort)}"] }
    health: [{ type: http, url: 'http://127.0.0.1:${fastPort}/' }]
  slow:
    process: { command: node, args: ['-e', "${slowServer(slowPort, ms)}"] }
    health: [{ type: http, url: 'http://127.0.0.1:${slowPort}/' }]
    dependsOn: [fast]
${extra}`;

/** Spawn `dive deploy -f file` with plain progress and resolve once its stderr shows `marker`. */
async function deployUntil(file: string, marker: string) {
  const child = spawn(process.execPath, [bin, '--progress', 'plain', 'deploy', '-f', file], {
    cwd: dir,
    env: { ...process.env, NO_COLOR: '1', CI: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  const exited = new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
  await new Promise<void>((resolve) => {
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
      if (stderr.includes(marker)) resolve();
    });
  });
  return { child, exited, stderr: () => stderr };
}

beforeAll(async () => {
  if (!existsSync(bin)) throw new Error(`${bin} is missing: run \`npx pnpm@10 build\` first (the test command does)`);
  dir = mkdtempSync(join(tmpdir(), 'dive-cli-'));
  ports['DB_PORT'] = String(await freePort());
  ports['API_PORT'] = String(await freePort());
  writeFileSync(join(dir, 'dive.yaml'), topology('TST'));
  db = await createTestDatabase('cli');
}, 60_000);

afterAll(async () => {
  dive(['down', 'TST']);
  dive(['--state', db.url, 'down', 'PGS']);
  await db.drop();
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe('dive on file state', () => {
  it('deploy → status → history --verify → checkpoint list → metrics → analytics → down', () => {
    const d = dive(['--progress', 'plain', 'deploy']);
    expect(d.stderr + d.stdout).not.toContain('sup3r-s3cret');
    expect(d.code, d.stderr).toBe(0);
    expect(d.stdout).toMatch(/TST: deployed — state COMPLETE/);
    expect(d.stderr).toMatch(/db: healthy after/);

    const s = dive(['--json', 'status', 'TST']);
    expect(s.code).toBe(0);
    const status = JSON.parse(s.stdout) as { state: string; services: unknown[] }[];
    expect(status[0]).toMatchObject({ state: 'COMPLETE' });
    expect(status[0]?.services).toHaveLength(2);

    const health = dive(['health', 'TST']);
    expect(health.code, health.stderr).toBe(0);
    expect(health.stdout).toMatch(/db\s+healthy\s+http/);
    expect(dive(['locks', 'list']).stdout).toContain('no locks held');
    const noForce = dive(['locks', 'release', 'deployment', 'TST']);
    expect(noForce.code).toBe(2);
    expect(noForce.stderr).toContain('--force');

    const h = dive(['history', 'TST', '--verify']);
    expect(h.code).toBe(0);
    expect(h.stdout).toMatch(/VERIFYING\s+COMPLETE/);
    expect(h.stdout).toMatch(/audit log verified: 5 rows/);

    expect(dive(['checkpoint', 'list', 'TST']).stdout).toMatch(/[0-9a-f-]{8,}/);
    const m = dive(['metrics']);
    expect(m.code).toBe(0);
    expect(m.stdout).toMatch(/dive_deployments_total\{instance="TST",result="success"\} 1/);
    expect(dive(['analytics', 'TST']).code).toBe(0);

    const again = dive(['--json', 'deploy']);
    expect(again.code).toBe(0);
    expect((JSON.parse(again.stdout) as { services: { status: string }[] }).services.map((x) => x.status)).toEqual([
      'unchanged',
      'unchanged',
    ]);

    const down = dive(['down', 'TST']);
    expect(down.code, down.stderr).toBe(0);
    expect(down.stdout).toMatch(/COMPLETE → UNKNOWN/);
  }, 120_000);

  it('plan prints levels and critical path, and the graph as Mermaid and DOT', () => {
    const p = dive(['plan']);
    expect(p.code).toBe(0);
    expect(p.stdout).toMatch(/0: db/);
    expect(p.stdout).toMatch(/critical path: db → api/);
    expect(p.stdout).toMatch(/risk: \d+%/);
    expect(dive(['plan', '--format', 'mermaid']).stdout).toMatch(/^(graph|flowchart)/m);
    expect(dive(['plan', '--format', 'dot']).stdout).toMatch(/digraph/);
    expect(JSON.parse(dive(['plan', '--format', 'json']).stdout)).toHaveProperty('order', ['db', 'api']);
  }, 60_000);
});

describe('dive on PostgreSQL state', () => {
  it('db migrate → deploy → status → down', () => {
    writeFileSync(join(dir, 'pg.yaml'), topology('PGS'));
    const state = ['--state', db.url];
    expect(dive([...state, 'db', 'migrate']).code).toBe(0);
    const d = dive([...state, 'deploy', '-f', 'pg.yaml']);
    expect(d.code, d.stderr).toBe(0);
    expect(JSON.parse(dive([...state, '--json', 'status', 'PGS']).stdout)[0]).toMatchObject({ state: 'COMPLETE' });
    // Every read command works on PostgreSQL state too.
    expect(dive([...state, 'history', 'PGS', '--verify']).stdout).toMatch(/audit log verified: 5 rows/);
    expect(dive([...state, 'checkpoint', 'list', 'PGS']).code).toBe(0);
    expect(dive([...state, 'health', 'PGS', '-f', 'pg.yaml']).code).toBe(0);
    expect(dive([...state, 'locks', 'list']).stdout).toContain('no locks held');
    expect(dive([...state, 'analytics', 'PGS']).code).toBe(0);
    expect(dive([...state, 'plan', '-f', 'pg.yaml']).stdout).toMatch(/unchanged/);
    // A service that cannot start: its breaker's failure is shared through PostgreSQL.
    writeFileSync(
      join(dir, 'pgfail.yaml'),
      "instance: PGF\nservices:\n  bad:\n    process: { command: node, args: ['-e', 'setTimeout(() => process.exit(3), 300)'] }\n    health: [{ type: tcp, port: 1 }]\n    retry: { policy: none, attempts: 1 }\n",
    );
    expect(dive([...state, 'deploy', '-f', 'pgfail.yaml']).code).toBe(1);
    const breakers = dive([...state, 'circuit-breaker', 'status']);
    expect(breakers.code, breakers.stderr).toBe(0);
    expect(breakers.stdout).toMatch(/PGF\/bad\s+CLOSED\s+1/);
    expect(dive([...state, 'circuit-breaker', 'reset', 'PGF/bad']).code).toBe(0);
    expect(dive([...state, 'circuit-breaker', 'status']).stdout).not.toContain('PGF/bad');
    expect(dive(['circuit-breaker', 'status']).stdout).toContain('no shared circuit breakers');
    expect(dive([...state, 'down', 'PGS']).code).toBe(0);
  }, 120_000);
});

describe('bad input: the right exit code, one clear message, no stack trace', () => {
  const write = (name: string, text: string) => writeFileSync(join(dir, name), text);

  it.each([
    ['malformed YAML', 'bad.yaml', 'instance: USA\nservices: [unclosed\n', /bad\.yaml/],
    [
      'a cycle',
      'cycle.yaml',
      'instance: USA\nservices:\n  a: { process: { command: x }, dependsOn: [b] }\n  b: { process: { command: x }, dependsOn: [a] }\n',
      /cycle/i,
    ],
    [
      'an unknown dependency',
      'unknown.yaml',
      'instance: USA\nservices:\n  a: { process: { command: x }, dependsOn: [nope] }\n',
      /nope/,
    ],
    ['a bad instance code', 'code.yaml', 'instance: usa\nservices:\n  a: { process: { command: x } }\n', /instance/],
    [
      'a negative timeout',
      'timeout.yaml',
      'instance: USA\nservices:\n  a: { process: { command: x }, startTimeoutMs: -5 }\n',
      /startTimeoutMs/,
    ],
  ])('%s → exit 2', (_what, file, text, pattern) => {
    write(file, text);
    const r = dive(['deploy', '-f', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(pattern);
    expect(r.stderr.match(/^error /gm)).toHaveLength(1);
    noStack(r.stderr);
  });

  it('a missing file, an unknown flag, a bad instance argument → exit 2', () => {
    for (const args of [['deploy', '-f', 'nope.yaml'], ['deploy', '--frobnicate'], ['status', 'usa'], ['history']]) {
      const r = dive(args);
      expect(r.code, args.join(' ')).toBe(2);
      noStack(r.stderr);
    }
  });

  it('a missing secret → exit 2 naming the variable, never a value', () => {
    const env = { ...process.env, ...ports, NO_COLOR: '1' } as Record<string, string | undefined>;
    delete env['API_TOKEN'];
    const res = spawnSync(process.execPath, [bin, 'deploy'], {
      cwd: dir,
      encoding: 'utf8',
      env: env,
    });
    expect(res.status).toBe(2);
    expect(res.stderr).toContain('API_TOKEN');
  });

  it('an unreachable database → exit 4', () => {
    const r = dive(['--state', 'postgres://dive:dive@127.0.0.1:1/dive', 'status']);
    expect(r.code).toBe(4);
    expect(r.stderr).not.toContain(':dive@');
    noStack(r.stderr);
  }, 30_000);

  it('an unreachable Docker engine → exit 4', () => {
    write('docker.yaml', 'instance: DKR\nservices:\n  a: { container: { image: busybox } }\n');
    const r = dive(['deploy', '-f', 'docker.yaml'], { DOCKER_HOST: 'tcp://127.0.0.1:1' });
    expect(r.code).toBe(4);
    noStack(r.stderr);
  }, 30_000);

  it('--help and --version exit 0', () => {
    expect(dive(['--help']).code).toBe(0);
    expect(dive(['deploy', '--help']).stdout).toMatch(/--dry-run/);
    expect(dive(['--version']).code).toBe(0);
  });
});

describe('start-up: a command loads only what it uses', () => {
  // NODE_DEBUG=module makes Node's CommonJS loader name every package it loads (ESM imports of them included).
  const loaded = (args: string[]): string[] => {
    const r = dive(args, { NODE_DEBUG: 'module' });
    expect(r.code).toBe(0);
    return [
      ...new Set([...r.stderr.matchAll(/node_modules\/(?:\.pnpm\/)?((?:@[^/"]+\/)?[^/@"]+)/g)].map((m) => m[1] ?? '')),
    ];
  };
  const heavy = ['dockerode', 'pg', 'prom-client', 'zod', 'yaml', '@opentelemetry'];

  it('dive --version and dive status on file state load none of dockerode, pg, prom-client, zod, yaml', () => {
    for (const args of [['--version'], ['--state', `file:${join(dir, 'startup-state')}`, 'status']]) {
      const packages = loaded(args);
      expect(packages, args.join(' ')).toContain('commander');
      for (const h of heavy)
        expect(
          packages.filter((p) => p.startsWith(h)),
          args.join(' '),
        ).toEqual([]);
    }
  });

  it('a command that needs pg loads it then', () => {
    expect(loaded(['--state', db.url, 'db', 'migrate'])).toContain('pg');
  });
});

describe('scenario 5: the orchestrating process is killed with kill -9 mid-deployment', () => {
  it('the next run records the deployment as interrupted, deploys cleanly, and nothing is orphaned', async () => {
    const slowPort = String(await freePort());
    const fastPort = String(await freePort());
    writeFileSync(join(dir, 'killed.yaml'), fastThenSlow('KIL', fastPort, slowPort, 2500));
    const run = await deployUntil('killed.yaml', 'slow: started');
    run.child.kill('SIGKILL');
    await run.exited;

    const st = JSON.parse(dive(['--json', 'status', 'KIL']).stdout) as { state: string }[];
    expect(st[0]?.state).toBe('DEPLOYING'); // left behind by the killed process

    const again = dive(['--json', 'deploy', '-f', 'killed.yaml']);
    expect(again.code, again.stderr).toBe(0);
    const report = JSON.parse(again.stdout) as { interruptedPrevious?: { state: string }; status: string };
    expect(report.interruptedPrevious?.state).toBe('DEPLOYING');
    expect(report.status).toBe('COMPLETE');
    const history = dive(['--json', 'history', 'KIL']);
    const rows = (JSON.parse(history.stdout) as { rows: { to: string; reason: string }[] }).rows;
    expect(rows.some((r) => r.to === 'FAILED' && r.reason === 'interrupted')).toBe(true);

    // Every service the killed process started is either reused or replaced: after down, nothing is left.
    expect(dive(['down', 'KIL']).code).toBe(0);
    const after = JSON.parse(dive(['--json', 'status', 'KIL']).stdout) as { services: unknown[] }[];
    expect(after[0]?.services).toHaveLength(0);
    for (const port of [slowPort, fastPort]) {
      const open = await fetch(`http://127.0.0.1:${port}/`).then(
        () => true,
        () => false,
      );
      expect(open, `a service on ${port} survived`).toBe(false);
    }
  }, 120_000);
});

describe('Ctrl-C and rollback from the CLI', () => {
  it('SIGINT once: no new starts, the deployment is recorded as cancelled and rolled back, exit 130', async () => {
    const fastPort = String(await freePort());
    const slowPort = String(await freePort());
    const last = `  last:\n    process: { command: node, args: ['-e', "${server(String(await freePort()))}"] }\n    dependsOn: [slow]\n`;
    writeFileSync(join(dir, 'ctrlc.yaml'), fastThenSlow('INT', fastPort, slowPort, 1500, last));
    const run = await deployUntil('ctrlc.yaml', 'slow: started');
    run.child.kill('SIGINT');
    const code = await run.exited;
    const stderr = run.stderr();
    expect(code).toBe(130);
    expect(stderr).not.toContain('last: starting');
    const rows = (JSON.parse(dive(['--json', 'history', 'INT']).stdout) as { rows: { to: string; reason: string }[] })
      .rows;
    expect(rows.some((r) => r.to === 'FAILED' && r.reason === 'cancelled')).toBe(true);
    expect(rows[0]?.to).toBe('UNKNOWN'); // rolled back: a first deployment is torn down
    const st = JSON.parse(dive(['--json', 'status', 'INT']).stdout) as { services: unknown[] }[];
    expect(st[0]?.services).toHaveLength(0);
  }, 60_000);

  it('dive rollback INSTANCE goes back to the previous good checkpoint', async () => {
    const port = String(await freePort());
    const topo = (version: string) => `instance: RBK
services:
  web:
    process: { command: node, args: ['-e', "${server(port)}"], env: { VERSION: '${version}' } }
    health: [{ type: http, url: 'http://127.0.0.1:${port}/' }]
`;
    writeFileSync(join(dir, 'rbk.yaml'), topo('1'));
    expect(dive(['deploy', '-f', 'rbk.yaml']).code).toBe(0);
    writeFileSync(join(dir, 'rbk.yaml'), topo('2'));
    expect(dive(['deploy', '-f', 'rbk.yaml']).code).toBe(0);
    const r = dive(['--json', 'rollback', 'RBK']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ finalState: 'COMPLETE', restored: ['web'] });
    expect(dive(['rollback', 'RBK', 'no-such-checkpoint']).code).toBe(2);
    expect(dive(['down', 'RBK']).code).toBe(0);
  }, 90_000);
});
