import { randomUUID } from 'node:crypto';
import { link, mkdir, open, readdir, readFile, rename, rmdir, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { CancelledError, toDiveError } from '@dive/errors';
import { errAsync, okAsync, ResultAsync } from 'neverthrow';
import { LockCorruptError, LockStoreError, LockTimeoutError } from './errors.js';
import { createHandle, withLockVia } from './internal/handle.js';
import { checkAcquire, checkName, lockFileId } from './key.js';
import type { AcquireError, AcquireOptions, LockHandle, LockInfo, LockManager } from './types.js';

/** Options of {@link createFileLockManager}. */
export interface FileLockManagerOptions {
  /** The directory for lock files (created if missing). Processes sharing it share the locks. */
  readonly dir: string;
  /** How often a waiter looks again. Default 10 ms. */
  readonly pollMs?: number;
  /** How often a holder checks its lock file is still its own (for `onLost`). Default 1000 ms. */
  readonly verifyMs?: number;
  /** Recorded as the holder's application. Default `dive`. */
  readonly application?: string;
}

interface LockRecord {
  readonly type: string;
  readonly resource: string;
  readonly pid: number;
  readonly host: string;
  readonly application: string;
  readonly token: number;
  readonly acquiredAt: number;
  readonly owner: string;
}

const HOST = hostname();
/** An empty lock file younger than this is being written by its creator, not corrupt. */
const CREATING_GRACE_MS = 5_000;

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        resolve();
      },
      { once: true },
    );
  });

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

const isRecord = (v: unknown): v is LockRecord =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as LockRecord).pid === 'number' &&
  typeof (v as LockRecord).token === 'number' &&
  typeof (v as LockRecord).owner === 'string';

/**
 * The embedded lock manager: one lock file per (type, resource), created exclusively (`O_EXCL`), holding the
 * holder's pid, host, token and time. Fencing tokens come from a counter file next to it, written atomically, so
 * they keep increasing across processes and restarts.
 *
 * A lock left by a dead process on this host (its pid no longer exists) is reclaimed by the next waiter within one
 * poll interval — the *stale window*. A lock held from another host is never reclaimed automatically (this host
 * cannot see whether that process lives): use `forceRelease`. Waiters poll every `pollMs` (10 ms).
 *
 * @example
 * ```ts
 * const locks = createFileLockManager({ dir: '.dive/locks' });
 * const r = await locks.withLock('deployment', 'USA', async (lock) => deploy(lock.fencingToken), { timeoutMs: 5_000 });
 * ```
 */
export function createFileLockManager(options: FileLockManagerOptions): LockManager {
  const { dir } = options;
  if (typeof dir !== 'string' || dir === '') throw new TypeError('createFileLockManager: dir must be a non-empty path');
  const pollMs = options.pollMs ?? 10;
  const verifyMs = options.verifyMs ?? 1_000;
  if (!(pollMs > 0) || !(verifyMs > 0)) throw new RangeError('createFileLockManager: pollMs and verifyMs must be > 0');
  const application = options.application ?? 'dive';
  let ready: Promise<void> | undefined;
  const ensureDir = (): Promise<void> => (ready ??= mkdir(dir, { recursive: true }).then(() => undefined));
  const paths = (type: string, resource: string) => {
    const id = lockFileId(type, resource);
    return { lock: join(dir, `${id}.lock`), counter: join(dir, `${id}.token`), reclaim: join(dir, `${id}.reclaim`) };
  };
  const timers = new Set<NodeJS.Timeout>();
  const storeError = (what: string, e: unknown) =>
    new LockStoreError(`lock directory ${dir}: ${what}: ${toDiveError(e).message}`, { cause: e, context: { dir } });

  /** Read a lock file: the record, `creating` (empty and young), or a corrupt-file error. */
  async function readLock(path: string): Promise<LockRecord | 'missing' | 'creating' | LockCorruptError> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
      throw e;
    }
    if (text === '') {
      const s = await stat(path).catch(() => undefined);
      if (s === undefined) return 'missing';
      if (Date.now() - s.mtimeMs < CREATING_GRACE_MS) return 'creating';
    }
    try {
      const parsed: unknown = JSON.parse(text);
      if (isRecord(parsed)) return parsed;
    } catch {
      // fall through
    }
    return new LockCorruptError(
      `lock file ${path} is not a lock record (${text.length} bytes); remove it if no process holds the lock`,
      { context: { path } },
    );
  }

  async function writeDurably(path: string, text: string): Promise<void> {
    const fh = await open(path, 'w');
    try {
      await fh.writeFile(text);
      await fh.sync();
    } finally {
      await fh.close();
    }
  }

  async function nextToken(counter: string): Promise<number> {
    const current = await readFile(counter, 'utf8').then(
      (t) => Number.parseInt(t, 10),
      () => 0,
    );
    const token = (Number.isSafeInteger(current) ? current : 0) + 1;
    const tmp = `${counter}.${randomUUID()}.tmp`;
    const fh = await open(tmp, 'w');
    try {
      await fh.writeFile(String(token));
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, counter);
    return token;
  }

  /** Remove a lock whose holder is dead (this host only), under a reclaim mutex so only one waiter does it. */
  async function reclaim(p: ReturnType<typeof paths>, seen: LockRecord): Promise<void> {
    try {
      await mkdir(p.reclaim);
    } catch {
      const s = await stat(p.reclaim).catch(() => undefined);
      if (s !== undefined && Date.now() - s.mtimeMs > CREATING_GRACE_MS) await rmdir(p.reclaim).catch(() => undefined);
      return;
    }
    try {
      const again = await readLock(p.lock);
      if (typeof again === 'object' && !(again instanceof LockCorruptError) && again.owner === seen.owner)
        await unlink(p.lock).catch(() => undefined);
    } finally {
      await rmdir(p.reclaim).catch(() => undefined);
    }
  }

  /** One attempt: the handle, `busy` with the holder, or an error. */
  async function attempt(type: string, resource: string): Promise<LockHandle | { busy: LockRecord | 'creating' }> {
    await ensureDir();
    const p = paths(type, resource);
    const owner = randomUUID();
    const base = { type, resource, pid: process.pid, host: HOST, application, owner };
    // The lock file appears atomically with a complete record (written to a temp file, then hard-linked into place),
    // so a process killed at any moment leaves either no lock file or one naming its (dead) pid — never an empty one.
    const tmp = `${p.lock}.${owner}.tmp`;
    await writeDurably(tmp, JSON.stringify({ ...base, token: 0, acquiredAt: Date.now() }));
    try {
      await link(tmp, p.lock);
    } catch (e) {
      await unlink(tmp).catch(() => undefined);
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = await readLock(p.lock);
      if (holder === 'missing') return attempt(type, resource);
      if (holder instanceof LockCorruptError) throw holder;
      if (holder !== 'creating' && holder.host === HOST && !alive(holder.pid)) await reclaim(p, holder);
      return { busy: holder };
    }
    await unlink(tmp).catch(() => undefined);
    let record: LockRecord;
    try {
      // We hold the lock: bump the counter, then replace our lock file with the record carrying the token.
      const token = await nextToken(p.counter);
      record = { ...base, token, acquiredAt: Date.now() };
      const tmp2 = `${p.lock}.${owner}.tmp`;
      await writeDurably(tmp2, JSON.stringify(record));
      await rename(tmp2, p.lock);
    } catch (e) {
      await unlink(p.lock).catch(() => undefined);
      throw e;
    }
    const control = createHandle({
      type,
      resource,
      fencingToken: record.token,
      acquiredAt: record.acquiredAt,
      release: async () => {
        clearInterval(timer);
        timers.delete(timer);
        const now = await readLock(p.lock);
        if (typeof now === 'object' && !(now instanceof LockCorruptError) && now.owner === owner) await unlink(p.lock);
      },
    });
    // The holder checks now and then that the file is still its own (forceRelease, a reclaim by mistake).
    const timer = setInterval(() => {
      void readLock(p.lock).then(
        (now) => {
          if (!(typeof now === 'object' && !(now instanceof LockCorruptError) && now.owner === owner)) {
            clearInterval(timer);
            timers.delete(timer);
            control.lost('its lock file was removed or replaced');
          }
        },
        () => undefined,
      );
    }, verifyMs);
    timer.unref();
    timers.add(timer);
    return control.handle;
  }

  const acquire = (
    type: string,
    resource: string,
    opts: AcquireOptions = {},
  ): ResultAsync<LockHandle, AcquireError> => {
    const timeoutMs = checkAcquire(type, resource, opts.timeoutMs);
    const run = async (): Promise<LockHandle> => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if (opts.signal?.aborted === true)
          throw new CancelledError(`waiting for the ${type} lock on ${resource} was cancelled`, {
            context: { type, resource },
          });
        const r = await attempt(type, resource);
        if (!('busy' in r)) return r;
        if (Date.now() >= deadline) {
          const holder =
            r.busy === 'creating'
              ? undefined
              : {
                  pid: r.busy.pid,
                  host: r.busy.host,
                  application: r.busy.application,
                  since: new Date(r.busy.acquiredAt).toISOString(),
                };
          throw new LockTimeoutError(
            `the ${type} lock on ${resource} was not acquired in ${timeoutMs} ms${holder === undefined ? '' : `: held by pid ${holder.pid} on ${holder.host} (${holder.application}) since ${holder.since}`}`,
            { context: { type, resource, timeoutMs, ...(holder === undefined ? {} : { holder }) } },
          );
        }
        await sleep(Math.min(pollMs, Math.max(1, deadline - Date.now())), opts.signal);
      }
    };
    return ResultAsync.fromPromise(run(), (e) => {
      const d = toDiveError(e);
      return d._tag === 'LockTimeoutError' || d._tag === 'LockCorruptError' || d._tag === 'CancelledError'
        ? (d as AcquireError)
        : storeError('acquire', e);
    });
  };

  return {
    acquire,
    tryAcquire(type, resource) {
      checkName('type', type);
      checkName('resource', resource);
      return ResultAsync.fromPromise(attempt(type, resource), (e) => {
        const d = toDiveError(e);
        return d._tag === 'LockCorruptError' ? (d as LockCorruptError) : storeError('tryAcquire', e);
      }).map((r) => ('busy' in r ? undefined : r));
    },
    withLock: (type, resource, fn, opts) => withLockVia(acquire, type, resource, fn, opts),
    isLocked(type, resource) {
      const p = paths(type, resource);
      return ResultAsync.fromPromise(readLock(p.lock), (e) => storeError('isLocked', e)).andThen((r) => {
        if (r instanceof LockCorruptError) return errAsync(r);
        if (r === 'missing') return okAsync(false);
        if (r === 'creating') return okAsync(true);
        return okAsync(r.host !== HOST || alive(r.pid));
      });
    },
    list() {
      const run = async (): Promise<LockInfo[]> => {
        await ensureDir();
        const out: LockInfo[] = [];
        for (const f of await readdir(dir)) {
          if (!f.endsWith('.lock')) continue;
          const r = await readLock(join(dir, f));
          if (typeof r !== 'object' || r instanceof LockCorruptError) continue;
          if (r.host === HOST && !alive(r.pid)) continue; // stale: not held
          out.push({
            type: r.type,
            resource: r.resource,
            holder: { pid: r.pid, host: r.host, application: r.application },
            acquiredAt: r.acquiredAt,
            fencingToken: r.token,
            waiters: 0,
          });
        }
        return out.sort((a, b) => a.type.localeCompare(b.type) || a.resource.localeCompare(b.resource));
      };
      return ResultAsync.fromPromise(run(), (e) => storeError('list', e));
    },
    forceRelease(type, resource) {
      const p = paths(type, resource);
      return ResultAsync.fromPromise(
        unlink(p.lock).then(
          () => true,
          (e: unknown) => {
            if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
            throw e;
          },
        ),
        (e) => storeError('forceRelease', e),
      );
    },
    async [Symbol.asyncDispose]() {
      for (const t of timers) clearInterval(t);
      timers.clear();
    },
  };
}
