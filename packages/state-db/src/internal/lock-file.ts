import { link, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { type Clock, systemClock } from '@dive/errors';

/**
 * A small cross-process mutex: an atomic `link()` of a file holding our pid to `path` (fails with EEXIST like
 * `O_EXCL`). A lock whose pid is no longer alive
 * (a writer killed with `kill -9`) is taken over by renaming it away first, so only one waiter wins. Waits and
 * the timeout run on `clock`.
 *
 * Private on purpose, not @dive/locks' file lock: this guards one write (held for milliseconds) and needs no fencing
 * token, while a @dive/locks lock is a lease with a durable token counter (three fsyncs an acquire: 17 ms against
 * 5 ms per write on the 2-core test machine; see the README).
 */
export async function withLockFile<T>(
  path: string,
  timeoutMs: number,
  fn: () => Promise<T>,
  clock: Clock = systemClock,
): Promise<T> {
  const deadline = clock.now() + timeoutMs;
  let delay = 1;
  // the pid is written to a private file first and hard-linked into place, so a lock file is never empty
  const mine = `${path}.${process.pid}-${randomBytes(4).toString('hex')}`;
  await writeFile(mine, String(process.pid), { mode: 0o600 }).catch(async (e: unknown) => {
    await unlink(mine).catch(() => undefined); // a full disk: created, not written
    throw e;
  });
  try {
    for (;;) {
      try {
        await link(mine, path);
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        await breakIfStale(path);
        if (clock.now() > deadline) throw new Error(`lock file ${path} still held after ${timeoutMs} ms`);
        await new Promise((r) => clock.setTimeout(() => r(undefined), delay));
        delay = Math.min(delay * 2, 20);
      }
    }
  } finally {
    await unlink(mine).catch(() => undefined);
  }
  try {
    return await fn();
  } finally {
    await unlink(path).catch(() => undefined);
  }
}

async function breakIfStale(path: string): Promise<void> {
  const pid = Number(await readFile(path, 'utf8').catch(() => ''));
  if (!Number.isInteger(pid) || pid <= 0 || alive(pid)) return;
  const aside = `${path}.stale-${randomBytes(4).toString('hex')}`;
  try {
    await rename(path, aside);
  } catch {
    return;
  }
  const again = Number(await readFile(aside, 'utf8').catch(() => ''));
  if (again === pid) await unlink(aside).catch(() => undefined);
  else await rename(aside, path).catch(() => undefined);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
