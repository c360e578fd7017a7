import { randomBytes } from 'node:crypto';
import { link, open, readFile, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { StateCorruptError } from '../errors.js';
import { mkdirPrivate, PRIVATE_FILE_MODE } from './private-files.js';

/** What a store id looks like: 32 lower-case hex digits (128 random bits). */
export const STORE_ID_PATTERN = /^[0-9a-f]{32}$/;

/** A new random store id. */
export function newStoreId(): string {
  return randomBytes(16).toString('hex');
}

async function readId(path: string): Promise<string | undefined> {
  try {
    return (await readFile(path, 'utf8')).trim();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/**
 * The file store's id, kept in `path` (0600): read it, or make it the first time. The new id is written to a temp
 * file and hard-linked into place, which fails when another process got there first; both then read that one.
 * @throws StateCorruptError when the file holds something that is not a store id; I/O errors
 */
export async function fileStoreId(path: string): Promise<string> {
  let id = await readId(path);
  if (id === undefined) {
    await mkdirPrivate(dirname(path));
    const tmp = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
    try {
      const handle = await open(tmp, 'wx', PRIVATE_FILE_MODE);
      try {
        await handle.writeFile(`${newStoreId()}\n`);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await link(tmp, path).catch((e: unknown) => {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      });
    } finally {
      await unlink(tmp).catch(() => undefined);
    }
    id = (await readId(path)) ?? '';
  }
  if (!STORE_ID_PATTERN.test(id)) {
    throw new StateCorruptError(`store id file ${path} does not hold a store id (32 hex digits)`, {
      context: { file: path },
      remediation: 'Restore it from a backup; a new id would disown every container this store deployed.',
    });
  }
  return id;
}
