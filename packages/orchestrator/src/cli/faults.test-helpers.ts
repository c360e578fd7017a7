// Helpers of the CLI fault tests: the BUILT `dive` spawned as a user (or a CI job) would, on a temporary directory.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';

export const bin = fileURLToPath(new URL('../../dist/cli/bin.js', import.meta.url));

/** Fail loudly when the build is missing (the test command builds first). */
export function requireBuiltBin(): void {
  if (!existsSync(bin)) throw new Error(`${bin} is missing: run \`npx pnpm@10 build\` first (the test command does)`);
}

/** A fresh temporary directory (the test removes it). */
export const tempDir = (label: string): string => mkdtempSync(join(tmpdir(), `dive-${label}-`));

/** A fault suite's working directory and the clean-ups it runs at the end (e.g. a `dive down` per instance). */
export interface FaultSuite {
  readonly dir: string;
  readonly cleanups: (() => void)[];
}

/**
 * Set up a fault suite of the built CLI: the bin must exist (checked before all tests), a fresh temporary directory,
 * and after all tests its clean-ups run and the directory is removed.
 */
export function faultSuite(label: string): FaultSuite {
  const suite: FaultSuite = { dir: tempDir(label), cleanups: [] };
  beforeAll(() => requireBuiltBin());
  afterAll(() => {
    for (const c of suite.cleanups) c();
    rmSync(suite.dir, { recursive: true, force: true });
  }, 60_000);
  return suite;
}

/** A free loopback port. */
export async function freePort(): Promise<string> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const a = s.address();
  await new Promise<void>((r) => s.close(() => r()));
  return String(typeof a === 'object' && a !== null ? a.port : 0);
}

/** Node code for an HTTP server on `port` that listens after `listenAfterMs` and answers after `answerAfterMs`. */
export const server = (port: string, listenAfterMs = 0, answerAfterMs = 0): string =>
  `setTimeout(() => require('http').createServer((q,s)=>setTimeout(()=>s.end('ok'),${answerAfterMs})).listen(${port},'127.0.0.1'), ${listenAfterMs})`;

/** A service of a topology file: a node server, healthy by HTTP, optionally depending on others. */
export const service = (
  name: string,
  port: string,
  o: { listenAfterMs?: number; answerAfterMs?: number; dependsOn?: string } = {},
): string => `  ${name}:
    process: { command: node, args: ['-e', "${server(port, o.listenAfterMs, o.answerAfterMs)}"] }
    health: [{ type: http, url: 'http://127.0.0.1:${port}/', timeoutMs: 10000 }]
${o.dependsOn === undefined ? '' : `    dependsOn: [${o.dependsOn}]\n`}`;

const baseEnv = (env: Record<string, string>): NodeJS.ProcessEnv => ({
  ...process.env,
  NO_COLOR: '1',
  CI: 'true',
  ...env,
});

/** Run `dive args` to the end in `cwd`. */
export function dive(cwd: string, args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env: baseEnv(env), timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A running `dive` whose stderr is collected; `until` resolves once a stderr line passes `test`. */
export interface RunningDive {
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  readonly stderr: () => string;
  readonly stdout: () => string;
  readonly until: (test: (line: string) => boolean) => Promise<string>;
}

/** Spawn `dive args` in `cwd` (its own process group is not used: signals go to `dive` itself). */
export function spawnDive(cwd: string, args: string[], env: Record<string, string> = {}): RunningDive {
  const child = spawn(process.execPath, [bin, ...args], { cwd, env: baseEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  let out = '';
  const waiters: { test: (line: string) => boolean; resolve: (l: string) => void }[] = [];
  const exited = new Promise<number | null>((r) => child.on('exit', (c, s) => r(c ?? (s === null ? null : -1))));
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  let pending = '';
  child.stderr.on('data', (c: Buffer) => {
    err += c.toString();
    pending += c.toString();
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines)
      for (const w of [...waiters])
        if (w.test(line)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(line);
        }
  });
  const until = (test: (line: string) => boolean): Promise<string> =>
    new Promise<string>((resolve, reject) => {
      waiters.push({ test, resolve });
      void exited.then(() => reject(new Error(`dive exited before the expected line; stderr:\n${err}`)));
    });
  return { child, exited, stderr: () => err, stdout: () => out, until };
}

/** Whether a progress JSON line is the event `type` with the given fields. */
export function isEvent(line: string, type: string, fields: Record<string, unknown> = {}): boolean {
  if (!line.startsWith('{')) return false;
  try {
    const e = JSON.parse(line) as Record<string, unknown>;
    return e['type'] === type && Object.entries(fields).every(([k, v]) => e[k] === v);
  } catch {
    return false;
  }
}

/** Whether anything still answers on the loopback port. */
export const portOpen = (port: string): Promise<boolean> =>
  fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(5_000) }).then(
    () => true,
    () => false,
  );
