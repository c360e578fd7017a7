import { open, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { randomBytes } from 'node:crypto';
import { PRIVATE_FILE_MODE } from './private-files.js';

/**
 * Write `text` to `path` atomically (mode 0600): a temp file beside it, fsync, rename, fsync of the directory. On any failure
 * (a full disk included) the temp file is removed and `path` keeps its previous content.
 */
export async function writeAtomic(path: string, text: string): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    const handle = await open(tmp, 'w', PRIVATE_FILE_MODE);
    try {
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
  const dir = await open(dirname(path), 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}

/**
 * Append `text` to `path` (created 0600) and fsync it. A failed append (a full disk) is cut back to the previous end of the file,
 * so it never leaves half a line for the next append to run into.
 */
export async function appendDurable(path: string, text: string): Promise<void> {
  const handle = await open(path, 'a', PRIVATE_FILE_MODE);
  try {
    const before = (await handle.stat()).size;
    try {
      await handle.writeFile(text);
      await handle.sync();
    } catch (e) {
      await handle.truncate(before).catch(() => undefined);
      throw e;
    }
  } finally {
    await handle.close();
  }
}
