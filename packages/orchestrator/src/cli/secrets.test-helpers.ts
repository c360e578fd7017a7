// Helpers of the secrets tests: what DIVE wrote under a state directory, and which of it holds a value.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** A service's own log file (`logs/<instance>/<service>.log`): it holds what the service printed. */
const isServiceLog = (root: string, path: string): boolean =>
  relative(root, path).startsWith(`logs/`) && path.endsWith('.log');

/**
 * Every file DIVE wrote under a state directory, as [relative path, contents, mode]: checkpoints, audit, steps,
 * state, metrics, locks and the process runtime's records; the services' own log files are left out.
 */
export function stateFiles(root: string): [path: string, text: string, mode: number][] {
  const out: [string, string, number][] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const s = statSync(p);
      if (s.isDirectory()) walk(p);
      else if (!isServiceLog(root, p)) out.push([relative(root, p), readFileSync(p, 'latin1'), s.mode & 0o777]);
    }
  };
  walk(root);
  return out;
}

/** The files of {@link stateFiles} that hold any of `values`, by relative path (empty: nothing leaked). */
export const filesHolding = (root: string, values: readonly string[]): string[] =>
  stateFiles(root)
    .filter(([, text]) => values.some((v) => text.includes(v)))
    .map(([path]) => path);
