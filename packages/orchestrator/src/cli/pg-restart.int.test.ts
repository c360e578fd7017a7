// Fault suite (issue 15): PostgreSQL stopped and started again while the BUILT `dive deploy` runs. The test runs
// its own cluster (initdb into a temp directory as the postgres user, its own loopback port, pg_ctl start/stop) and
// never touches the shared one. The run ends in bounded time with exit 4 or 1; once the database is back the lock
// is free (`down` and a new deploy succeed) and the audit log verifies, gap-free, no row lost or duplicated.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  dive,
  freePort,
  isEvent,
  portOpen,
  requireBuiltBin,
  service,
  spawnDive,
  tempDir,
} from './faults.test-helpers.js';

const root = '/usr/lib/postgresql';
const pgBin = (): string => {
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  const found = versions.map((v) => join(root, v, 'bin')).find((d) => existsSync(join(d, 'pg_ctl')));
  if (found === undefined) throw new Error(`no PostgreSQL server binaries under ${root}`);
  return found;
};

let dir: string;
let data: string;
let port: string;
const asPostgres = (cmd: string, args: string[]): void => {
  // as root: runuser; otherwise sudo, as scripts/test-services.sh does
  const [run, pre] =
    process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--']] : ['sudo', ['-n', '-u', 'postgres', '--']];
  execFileSync(run, [...pre, join(pgBin(), cmd), ...args], { stdio: 'pipe', timeout: 60_000 });
};
const start = (): void =>
  asPostgres('pg_ctl', [
    '-D',
    data,
    '-l',
    join(dir, 'pg.log'),
    '-w',
    '-t',
    '60',
    '-o',
    `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${dir} -c fsync=off`,
    'start',
  ]);
const stop = (): void => asPostgres('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '60', 'stop']);

beforeAll(async () => {
  requireBuiltBin();
  dir = tempDir('pg-restart');
  chmodSync(dir, 0o777);
  data = join(dir, 'data');
  port = await freePort();
  execFileSync(process.getuid?.() === 0 ? 'chown' : 'sudo', [
    ...(process.getuid?.() === 0 ? [] : ['-n', 'chown']),
    'postgres',
    dir,
  ]);
  asPostgres('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  start();
}, 120_000);

afterAll(() => {
  try {
    stop();
  } catch {
    // already stopped
  }
  rmSync(dir, { recursive: true, force: true });
}, 120_000);

describe('PostgreSQL stopped and restarted mid-deploy', () => {
  it('ends in bounded time with exit 4 or 1; then the lock is free and the audit log is whole', async () => {
    const state = `postgres://postgres@127.0.0.1:${port}/postgres`;
    const ports = [await freePort(), await freePort()] as const;
    const file = join(dir, 'pgr.yaml');
    // `slow` listens after 4 s: the database goes away while the deployment waits for it.
    writeFileSync(
      file,
      `instance: PGR\nservices:\n${service('fast', ports[0])}${service('slow', ports[1], { listenAfterMs: 4000, dependsOn: 'fast' })}`,
    );
    expect(dive(dir, ['--state', state, 'db', 'migrate']).code).toBe(0);
    const run = spawnDive(dir, ['--state', state, '--progress', 'json', 'deploy', '-f', file]);
    await run.until((l) => isEvent(l, 'service-started', { service: 'slow' }));
    const stoppedAt = Date.now();
    stop();
    const code = await run.exited;
    const tookMs = Date.now() - stoppedAt;
    expect([1, 4], run.stderr()).toContain(code);
    expect(tookMs).toBeLessThan(90_000);
    start();

    // The lock died with the connection: down takes it at once and closes what was left.
    const down = dive(dir, ['--state', state, '--lock-timeout', '5s', 'down', 'PGR']);
    expect(down.code, down.stderr).toBe(0);
    for (const p of ports) expect(await portOpen(p), `a service on ${p} survived down`).toBe(false);
    const again = dive(dir, ['--state', state, '--json', 'deploy', '-f', file]);
    expect(again.code, again.stderr).toBe(0);

    const history = dive(dir, ['--state', state, '--json', 'history', 'PGR', '--verify']);
    expect(history.code, history.stderr).toBe(0);
    const rows = (JSON.parse(history.stdout) as { rows: { version: number }[] }).rows.map((r) => r.version);
    expect(new Set(rows).size).toBe(rows.length); // nothing duplicated
    expect([...rows].sort((a, b) => a - b)).toEqual(Array.from({ length: rows.length }, (_, i) => i + 1)); // nothing lost
    expect(dive(dir, ['--state', state, 'down', 'PGR']).code).toBe(0);
  }, 240_000);
});
