import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFileStateStore } from './file-store.js';
import { createMemoryStateStore } from './memory-store.js';

const dirs: string[] = [];
const tempDir = async (): Promise<string> => {
  const d = await mkdtemp(join(tmpdir(), 'dive-store-id-'));
  dirs.push(d);
  return d;
};
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

describe('storeId', () => {
  it('a file store makes its id once, 0600, and a second store object on the same directory reads the same', async () => {
    const dir = await tempDir();
    const ids = await Promise.all(
      Array.from({ length: 8 }, () =>
        createFileStateStore({ dir })
          .storeId()
          .then((r) => r._unsafeUnwrap()),
      ),
    );
    expect(new Set(ids).size).toBe(1);
    expect(ids[0]).toMatch(/^[0-9a-f]{32}$/);
    expect((await stat(join(dir, 'store-id'))).mode & 0o777).toBe(0o600);
    expect((await createFileStateStore({ dir }).storeId())._unsafeUnwrap()).toBe(ids[0]);
  });

  it('two file stores and two memory stores have different ids', async () => {
    const [a, b] = [await tempDir(), await tempDir()];
    const fa = (await createFileStateStore({ dir: a }).storeId())._unsafeUnwrap();
    const fb = (await createFileStateStore({ dir: b }).storeId())._unsafeUnwrap();
    expect(fa).not.toBe(fb);
    const ma = (await createMemoryStateStore().storeId())._unsafeUnwrap();
    expect(ma).not.toBe((await createMemoryStateStore().storeId())._unsafeUnwrap());
  });

  it('a store-id file that holds something else is StateCorruptError naming the file, never replaced', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'store-id'), 'not an id\n', { mode: 0o600 });
    const r = await createFileStateStore({ dir }).storeId();
    expect(r._unsafeUnwrapErr()._tag).toBe('StateCorruptError');
    expect(r._unsafeUnwrapErr().message).toContain(join(dir, 'store-id'));
  });
});
