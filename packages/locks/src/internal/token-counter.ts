import { randomUUID } from 'node:crypto';
import { open, readFile, rename, unlink } from 'node:fs/promises';
import { LockCorruptError } from '../errors.js';

/** Where a missing counter starts: the highest token already used for this lock elsewhere (e.g. in the state store). */
export type TokenFloor = (type: string, resource: string) => number | Promise<number>;

/**
 * The next fencing token from a counter file, written atomically (temp file, fsync, rename), so it never goes
 * backwards: only a missing file starts again, from `floor` (default 0); an unreadable one is `LockCorruptError`
 * (thrown), never a restart from 0. Call it only while holding the lock.
 */
export async function nextToken(counter: string, floor: () => number | Promise<number>): Promise<number> {
  let text: string | undefined;
  try {
    text = await readFile(counter, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  let current: number;
  if (text === undefined) {
    current = await floor();
    if (!Number.isSafeInteger(current) || current < 0)
      throw new RangeError(`tokenFloor must give a non-negative safe integer, got ${String(current)}`);
  } else {
    current = /^\d+$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
    if (!Number.isSafeInteger(current))
      throw new LockCorruptError(
        `fencing-token counter ${counter} is not a number (${JSON.stringify(text.slice(0, 40))}); restore it or set it above the highest token used, never lower`,
        { context: { path: counter } },
      );
  }
  const token = current + 1;
  const tmp = `${counter}.${randomUUID()}.tmp`;
  const fh = await open(tmp, 'w', 0o600);
  try {
    await fh.writeFile(String(token));
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await rename(tmp, counter);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
  return token;
}
