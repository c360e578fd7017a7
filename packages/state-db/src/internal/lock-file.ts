import { link, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';

/**
 * A small cross-process mutex: an atomic `link()` of a file holding our pid to `path` (fails with EEXIST like
 * `O_EXCL`). A lock whose pid is no longer alive
 * (a writer killed with `kill -9`) is taken over by renaming it away first, so only one waiter wins.
 * (Private: used until @dive/locks' file lock manager is available.)
 */
export async function withLockFile<T>(path: string, timeoutMs: number, fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let delay = 1;
  // the pid is written to a private file first and hard-linked into place, so a lock file is never empty
  const mine = `${path}.${process.pid}-${randomBytes(4).toString('hex')}`;
  await writeFile(mine, String(process.pid));
  try {
    for (;;) {
      try {
        await link(mine, path);
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        await breakIfStale(path);
        if (Date.now() > deadline) throw new Error(`lock file ${path} still held after ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, delay));
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
