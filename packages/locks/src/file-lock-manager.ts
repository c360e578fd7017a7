import { randomUUID } from 'node:crypto';
import { link, mkdir, readdir, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { CancelledError, type Clock, systemClock, toDiveError } from '@dive/errors';
import { errAsync, okAsync, ResultAsync } from 'neverthrow';
import { LockCorruptError, LockStoreError, LockTimeoutError } from './errors.js';
import { createHandle, withLockVia } from './internal/handle.js';
import { holderStatus, HOST, selfIdentity } from './internal/holder-identity.js';
import { nextToken, type TokenFloor } from './internal/token-counter.js';
import { type LockPaths, type LockRecord, ownedBy, readLock, reclaim, writeDurably } from './internal/lock-files.js';
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
  /**
   * Where a missing fencing-token counter starts (default 0): e.g. the state store's highest accepted token for
   * the resource, so tokens stay above it after the lock directory is lost. An existing counter is never lowered.
   */
  readonly tokenFloor?: TokenFloor;
  /**
   * Times polls, verifies and timeouts, and stamps `acquiredAt`. Default `systemClock`. Its `now()` must be epoch
   * milliseconds: it is compared with lock files' modification times (a fake clock: `createFakeClock(Date.now())`).
   */
  readonly clock?: Clock;
}

/** Sleep on the clock; an abort ends the sleep early. */
const sleep = (clock: Clock, ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const done = (): void => {
      clock.clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const t = clock.setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });

/** Let a real timer not keep the process alive (fake clocks' handles have no `unref`). */
const unref = (handle: unknown): void => {
  (handle as { unref?: () => void } | null)?.unref?.();
};

/**
 * The embedded lock manager: one lock file per (type, resource), created exclusively (`O_EXCL`), holding the
 * holder's pid, host, token and time. Fencing tokens come from a counter file next to it, written atomically, so
 * they keep increasing across processes and restarts. The directory is created 0700 and every file 0600.
 *
 * A lock file records its holder's host, boot id (`/proc/sys/kernel/random/boot_id`) and process start time
 * (`/proc/<pid>/stat` field 22). A lock left by a dead process on this host — its pid gone, its pid reused by a
 * process that started at another time, or written in another boot — is reclaimed by the next waiter within one
 * poll interval — the *stale window*. A lock held from another host is never reclaimed automatically (this host
 * cannot see whether that process lives): a waiter times out naming that host; use `forceRelease`. The token
 * counter never goes backwards: only a missing counter starts again (from `tokenFloor`, default 0). Waiters poll every `pollMs` (10 ms); every wait,
 * poll and verify runs on the injected `clock`.
 * @param options - `dir`, `pollMs`, `verifyMs`, `application`, `clock`, `tokenFloor`
 * @returns a {@link LockManager}
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
  const tokenFloor = options.tokenFloor ?? (() => 0);
  const self = selfIdentity();
  const clock = options.clock ?? systemClock;
  let ready: Promise<void> | undefined;
  const ensureDir = (): Promise<void> => (ready ??= mkdir(dir, { recursive: true, mode: 0o700 }).then(() => undefined));
  const paths = (type: string, resource: string): LockPaths => {
    const id = lockFileId(type, resource);
    return { lock: join(dir, `${id}.lock`), counter: join(dir, `${id}.token`), reclaim: join(dir, `${id}.reclaim`) };
  };
  const stops = new Set<() => void>();
  const storeError = (what: string, e: unknown) =>
    new LockStoreError(`lock directory ${dir}: ${what}: ${toDiveError(e).message}`, { cause: e, context: { dir } });

  const readNow = (path: string) => readLock(path, clock.now());

  /** One attempt: the handle, `busy` with the holder, or an error. */
  async function attempt(type: string, resource: string): Promise<LockHandle | { busy: LockRecord | 'creating' }> {
    await ensureDir();
    const p = paths(type, resource);
    const owner = randomUUID();
    const base = { type, resource, ...self, application, owner };
    // The lock file appears atomically with a complete record (written to a temp file, then hard-linked into place),
    // so a process killed at any moment leaves either no lock file or one naming its (dead) pid — never an empty one.
    const tmp = `${p.lock}.${owner}.tmp`;
    await writeDurably(tmp, JSON.stringify({ ...base, token: 0, acquiredAt: clock.now() }));
    try {
      await link(tmp, p.lock);
    } catch (e) {
      await unlink(tmp).catch(() => undefined);
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = await readNow(p.lock);
      if (holder === 'missing') return attempt(type, resource);
      if (holder instanceof LockCorruptError) throw holder;
      if (holder !== 'creating' && holderStatus(holder) === 'dead') await reclaim(p, holder, () => clock.now());
      return { busy: holder };
    }
    await unlink(tmp).catch(() => undefined);
    let record: LockRecord;
    try {
      // We hold the lock: bump the counter, then replace our lock file with the record carrying the token.
      const token = await nextToken(p.counter, () => tokenFloor(type, resource));
      record = { ...base, token, acquiredAt: clock.now() };
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
        stop();
        if (ownedBy(await readNow(p.lock), owner)) await unlink(p.lock);
      },
    });
    // The holder checks now and then that the file is still its own (forceRelease, a reclaim by mistake).
    let timer: unknown;
    let stopped = false;
    const stop = (): void => {
      stopped = true;
      clock.clearTimeout(timer);
      stops.delete(stop);
    };
    const verify = (): void => {
      void readNow(p.lock).then(
        (now) => {
          if (stopped) return;
          if (ownedBy(now, owner)) {
            arm();
            return;
          }
          stop();
          control.lost('its lock file was removed or replaced');
        },
        () => {
          if (!stopped) arm();
        },
      );
    };
    const arm = (): void => {
      timer = clock.setTimeout(verify, verifyMs);
      unref(timer);
    };
    arm();
    stops.add(stop);
    return control.handle;
  }

  const acquire = (
    type: string,
    resource: string,
    opts: AcquireOptions = {},
  ): ResultAsync<LockHandle, AcquireError> => {
    const timeoutMs = checkAcquire(type, resource, opts.timeoutMs);
    const run = async (): Promise<LockHandle> => {
      const deadline = clock.now() + timeoutMs;
      for (;;) {
        if (opts.signal?.aborted === true)
          throw new CancelledError(`waiting for the ${type} lock on ${resource} was cancelled`, {
            context: { type, resource },
          });
        const r = await attempt(type, resource);
        if (!('busy' in r)) return r;
        if (clock.now() >= deadline) {
          const holder =
            r.busy === 'creating'
              ? undefined
              : {
                  pid: r.busy.pid,
                  host: r.busy.host,
                  application: r.busy.application,
                  since: new Date(r.busy.acquiredAt).toISOString(),
                };
          const remote = holder !== undefined && holder.host !== HOST ? ' — another host: not taken over here' : '';
          throw new LockTimeoutError(
            `the ${type} lock on ${resource} was not acquired in ${timeoutMs} ms${holder === undefined ? '' : `: held by pid ${holder.pid} on ${holder.host} (${holder.application}) since ${holder.since}${remote}`}`,
            { context: { type, resource, timeoutMs, ...(holder === undefined ? {} : { holder }) } },
          );
        }
        await sleep(clock, Math.min(pollMs, Math.max(1, deadline - clock.now())), opts.signal);
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
      return ResultAsync.fromPromise(readNow(p.lock), (e) => storeError('isLocked', e)).andThen((r) => {
        if (r instanceof LockCorruptError) return errAsync(r);
        if (r === 'missing') return okAsync(false);
        if (r === 'creating') return okAsync(true);
        return okAsync(holderStatus(r) !== 'dead');
      });
    },
    list() {
      const run = async (): Promise<LockInfo[]> => {
        await ensureDir();
        const out: LockInfo[] = [];
        for (const f of await readdir(dir)) {
          if (!f.endsWith('.lock')) continue;
          const r = await readNow(join(dir, f));
          if (typeof r !== 'object' || r instanceof LockCorruptError) continue;
          if (holderStatus(r) === 'dead') continue; // stale: not held
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
      for (const stop of [...stops]) stop();
    },
  };
}
