// A process service that prints its secrets and fails: neither secret may leave the process — not in the audit log,
// steps, checkpoints, state files (the service's own log file under logs/ is its own), nor in `--json`, the
// progress lines or the verbose logs. One secret comes from a `{ secret }` reference, one from `${VAR}`.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './main.js';
import { stateFiles } from './secrets.test-helpers.js';

const TOKEN = 'tok-9f3a7c51e2d84b06';
const PASSWORD = 'pw-interp-4471aa93c0';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dive-secrets-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function collect(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (c: Buffer) => (text += c.toString('utf8')));
  return { stream, text: () => text };
}

const leaks = (text: string): boolean =>
  [TOKEN, PASSWORD].some((s) => text.includes(s) || text.includes(Buffer.from(s).toString('base64').slice(0, 12)));

describe('secrets by value', () => {
  it('a failing service that prints its token leaks it nowhere but its own log file', async () => {
    const script =
      'console.log("token=" + process.env.TOKEN + " pw=" + process.env.PW); setTimeout(() => process.exit(3), 300)';
    writeFileSync(
      join(dir, 'dive.yaml'),
      `instance: LKS
services:
  api:
    process:
      command: node
      args: ['-e', '${script}']
      env: { TOKEN: { secret: API_TOKEN }, PW: '\${DB_PASSWORD}' }
    health: [{ type: http, url: 'http://127.0.0.1:1/' }]
    retry: { policy: none, attempts: 1 }
`,
    );
    const stdout = collect();
    const stderr = collect();
    const state = join(dir, '.dive');
    const code = await runCli(
      ['--state', `file:${state}`, '--json', '--verbose', '--progress', 'json', 'deploy', '-f', 'dive.yaml'],
      {
        stdout: stdout.stream,
        stderr: stderr.stream,
        env: { ...process.env, API_TOKEN: TOKEN, DB_PASSWORD: PASSWORD },
        cwd: dir,
      },
    );
    expect(code).toBe(1);
    const report = JSON.parse(stdout.text()) as {
      success: boolean;
      error?: { context: { logs?: string[] } };
      services: { error?: { context: { logs?: string[] } } }[];
    };
    expect(report.success).toBe(false);
    // The in-memory report keeps the log tail, with the secrets replaced.
    const logs = report.services[0]?.error?.context.logs ?? [];
    expect(logs.join('\n')).toContain('token=[REDACTED] pw=[REDACTED]');
    expect(leaks(stdout.text())).toBe(false);
    expect(leaks(stderr.text())).toBe(false);
    // The service's own log file has it (that is where a user looks); nothing else under the state directory does.
    expect(readFileSync(join(state, 'logs', 'LKS', 'api.log'), 'utf8')).toContain(TOKEN);
    const files = stateFiles(state);
    expect(files.map(([p]) => p)).toEqual(expect.arrayContaining([expect.stringMatching(/audit/)]));
    for (const [path, text] of files) {
      expect({ path, leaks: leaks(text) }).toEqual({ path, leaks: false });
      // Log tails stay out of what is persisted.
      expect({ path, tail: text.includes('token=') }).toEqual({ path, tail: false });
    }
  }, 60_000);
});
