// `dive` run in-process (runCli) on a test's own file state, its output captured: the CLI tests' one way to run it.
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { runCli } from './main.js';

/** What one in-process `dive` run gave: its exit code and what it wrote. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of {@link inProcessDive}. */
export interface InProcessDiveOptions {
  /** Arguments put before every call's own (e.g. `--progress quiet`). */
  readonly args?: readonly string[];
  /** Environment added to the process's own for each call (a function, so values set in `beforeAll` are seen). */
  readonly env?: () => Readonly<Record<string, string>>;
}

/**
 * A `dive(...args)` that runs the CLI in-process with `--state file:<dir>/state`, `cwd` `dir` and `NO_COLOR`,
 * and returns its exit code and output.
 */
export function inProcessDive(dir: string, options: InProcessDiveOptions = {}): (...args: string[]) => Promise<CliRun> {
  return async (...args) => {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = '';
    let errText = '';
    stdout.on('data', (c: Buffer) => (out += c.toString()));
    stderr.on('data', (c: Buffer) => (errText += c.toString()));
    const code = await runCli(['--state', `file:${join(dir, 'state')}`, ...(options.args ?? []), ...args], {
      stdout,
      stderr,
      env: { ...process.env, ...options.env?.(), NO_COLOR: '1' },
      cwd: dir,
    });
    return { code, stdout: out, stderr: errText };
  };
}
