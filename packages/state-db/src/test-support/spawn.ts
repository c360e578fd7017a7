import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The repository root: children run there so tsx finds the root tsconfig (its @dive/* paths). */
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** Start `node --import tsx <fixture> ...args`. */
export function spawnFixture(fixture: string, args: readonly string[]): ChildProcess {
  const file = fileURLToPath(new URL(`./fixtures/${fixture}`, import.meta.url));
  return spawn(process.execPath, ['--import', 'tsx', file, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Run a fixture to its end; resolve its stdout, reject on a non-zero exit. */
export function runFixture(fixture: string, args: readonly string[]): Promise<string> {
  const child = spawnFixture(fixture, args);
  let out = '';
  let errText = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (errText += d.toString()));
  return new Promise((resolve, reject) => {
    child.on('exit', (code) => {
      if (code === 0) resolve(out);
      else reject(new Error(`${fixture} exited ${code ?? 'by signal'}: ${errText}`));
    });
  });
}
