// Checkpoints keep `${VAR}`, never its value: the BUILT `dive` deploys a process service whose environment and
// arguments hold an interpolated secret, then a failing redeploy (rolled back), then `dive rollback`. No file under
// the state directory (the services' own log files aside; the process records included, 0600) holds the value; rollback reads it again from the environment and
// names the variable when it is unset; a variable listed in `x-dive.plain` is kept as written. A rollback's Err is
// printed redacted by value.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dive, freePort, requireBuiltBin, tempDir } from './faults.test-helpers.js';
import { stateFiles } from './secrets.test-helpers.js';

const PASSWORD = 'pw-cp-51d0e8a2b7f4';
const MODE = 'mode-plain-3c9e71';
let dir: string;
let port: string;

const topology = (generation: string, fail: boolean): string => {
  const code = fail
    ? 'setTimeout(() => process.exit(3), 300)'
    : `require('http').createServer((q,s)=>s.end(process.env.PW+'|'+process.argv.at(-1))).listen(${port},'127.0.0.1')`;
  return `instance: CPS
x-dive: { plain: [APP_MODE] }
services:
  api:
    process:
      command: node
      args: ['-e', "${code}", '--', '--password', '\${DB_PASSWORD}']
      env: { PW: '\${DB_PASSWORD}', URL: 'postgres://app:\${DB_PASSWORD}@db/app', MODE: '\${APP_MODE}', GEN: '${generation}' }
    health: [{ type: http, url: 'http://127.0.0.1:${port}/', timeoutMs: 10000 }]
    retry: { policy: none, attempts: 1 }
`;
};

beforeAll(async () => {
  requireBuiltBin();
  dir = tempDir('cp-secrets');
  port = await freePort();
});
afterAll(() => {
  dive(dir, ['--state', `file:${join(dir, '.dive')}`, 'down', 'CPS'], { DB_PASSWORD: PASSWORD, APP_MODE: MODE });
  rmSync(dir, { recursive: true, force: true });
});

describe('checkpoints hold ${VAR}, not its value', () => {
  it('deploy, failed deploy, rollback: the value is in no state file; rollback re-reads it or names it', async () => {
    const env = { DB_PASSWORD: PASSWORD, APP_MODE: MODE };
    const state = ['--state', `file:${join(dir, '.dive')}`];
    writeFileSync(join(dir, 'one.yaml'), topology('one', false));
    writeFileSync(join(dir, 'two.yaml'), topology('two', true));
    const one = dive(dir, [...state, 'deploy', '-f', 'one.yaml'], env);
    expect(one.code, one.stderr).toBe(0);
    const two = dive(dir, [...state, 'deploy', '-f', 'two.yaml'], env);
    expect(two.code, two.stderr).toBe(1);

    const unset = dive(dir, [...state, 'rollback', 'CPS'], { APP_MODE: MODE });
    expect(unset.code).not.toBe(0);
    expect(unset.stderr).toMatch(/DB_PASSWORD/);
    expect(unset.stderr).not.toMatch(/\n\s+at /); // no stack trace

    const back = dive(dir, [...state, 'rollback', 'CPS'], env);
    expect(back.code, back.stderr).toBe(0);
    // The restored service got the value read again from the environment, in its environment and its arguments.
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe(`${PASSWORD}|${PASSWORD}`);

    // A rollback Err is printed redacted by value (here the checkpoint id asked for is the secret itself).
    const refused = dive(dir, [...state, '--json', '--verbose', 'rollback', 'CPS', PASSWORD], env);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('CheckpointNotFoundError');
    expect(`${refused.stdout}${refused.stderr}`).toContain('[REDACTED]');
    expect(`${refused.stdout}${refused.stderr}`).not.toContain(PASSWORD);

    const files = stateFiles(join(dir, '.dive'));
    const checkpoints = files.filter(([p]) => p.includes('checkpoints'));
    expect(checkpoints.length).toBeGreaterThan(0);
    expect(checkpoints.some(([, text]) => text.includes('${DB_PASSWORD}'))).toBe(true);
    expect(checkpoints.some(([, text]) => text.includes(MODE))).toBe(true); // x-dive.plain: kept as written
    for (const [path, text, mode] of files) {
      expect({ path, leaks: text.includes(PASSWORD), mode }).toEqual({ path, leaks: false, mode: 0o600 });
    }
    // The process records keep the command line with `${DB_PASSWORD}`; so does the line DIVE writes into the
    // service's log before each start (the service itself never prints the value here).
    const records = files.filter(([p]) => /^logs\/CPS\/api\.\d+\.json$/.test(p));
    expect(records.length).toBe(1);
    expect(records[0]?.[1]).toContain('--password ${DB_PASSWORD}');
    const log = readFileSync(join(dir, '.dive', 'logs', 'CPS', 'api.log'), 'utf8');
    expect(log).toMatch(/starting node .* --password \$\{DB_PASSWORD\}/);
    expect(log).not.toContain(PASSWORD);
  }, 120_000);
});
