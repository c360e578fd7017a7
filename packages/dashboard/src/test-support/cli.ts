import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/** The BUILT `dive` (packages/orchestrator/dist/cli/bin.js, made by `pnpm build`). */
export const diveBin = fileURLToPath(new URL('../../../orchestrator/dist/cli/bin.js', import.meta.url));

export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const a = s.address();
  await new Promise<void>((r) => s.close(() => r()));
  return typeof a === 'object' && a !== null ? a.port : 0;
}

/** Run `dive` to completion. */
export function dive(cwd: string, args: readonly string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [diveBin, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', CI: 'true' },
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** `dive ui …` started in the background: its URL (first stdout line), the token it printed, and the process. */
export async function startUi(
  cwd: string,
  args: readonly string[],
): Promise<{ url: string; token: string | undefined; child: ChildProcess; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [diveBin, 'ui', ...args], { cwd, env: { ...process.env, NO_COLOR: '1' } });
  let out = '';
  let err = '';
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`dive ui printed no URL: ${err}`)), 30_000);
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n') && line !== undefined) {
        clearTimeout(timer);
        resolve(line);
      }
    });
    child.on('exit', () => reject(new Error(`dive ui exited: ${err}`)));
  });
  await new Promise((r) => setTimeout(r, 100)); // the token line follows the URL on stderr
  const token = /token \(shown once\): (\S+)/.exec(err)?.[1];
  return {
    url,
    token,
    child,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGINT');
      await exited;
    },
  };
}
