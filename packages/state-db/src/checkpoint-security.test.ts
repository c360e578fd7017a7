import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { createFileStateStore } from './file-store.js';
import { checkpointSecurityContract } from './testing/index.js';

const dir = mkdtempSync(join(tmpdir(), 'dive-cp-security-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});
const key = Buffer.alloc(32, 7).toString('hex');

function fileOf(id: string): string {
  const root = join(dir, 'checkpoints');
  const name = `${encodeURIComponent(id)}.json`;
  for (const d of readdirSync(root)) if (readdirSync(join(root, d)).includes(name)) return join(root, d, name);
  throw new Error(`no file for checkpoint ${id}`);
}

describe('file store: checkpoint security contract', () => {
  let n = 0;
  const cases = checkpointSecurityContract({
    keyed: createFileStateStore({ dir, checkpointKey: key }),
    plain: createFileStateStore({ dir, checkpointKey: '' }),
    key,
    instance: () => `cp-${n++}`,
    rewrite: (id, edit) => {
      const f = fileOf(id);
      writeFileSync(f, edit(readFileSync(f, 'utf8')));
      return Promise.resolve();
    },
  });
  for (const c of cases) it(c.name, c.run);
});
