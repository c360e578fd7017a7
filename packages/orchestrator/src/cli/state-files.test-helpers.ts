// What a state directory holds, for the tests that look for a secret's value in it (secrets-by-value,
// checkpoint-secrets).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Every file under `root` except the runtime's own service logs (`<root>/logs`), as [relative path, contents]. */
export function stateFiles(root: string): [string, string][] {
  const out: [string, string][] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) {
        if (p !== join(root, 'logs')) walk(p);
      } else out.push([relative(root, p), readFileSync(p, 'latin1')]);
    }
  };
  walk(root);
  return out;
}
