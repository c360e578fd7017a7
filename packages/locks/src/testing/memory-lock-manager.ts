import { CancelledError, type Clock, systemClock } from '@dive/errors';
import { errAsync, okAsync, ResultAsync } from 'neverthrow';
import { LockTimeoutError } from '../errors.js';
import { createHandle, withLockVia, type HandleControl } from '../internal/handle.js';
import { checkAcquire } from '../key.js';
import type { AcquireError, AcquireOptions, LockHandle, LockInfo, LockManager } from '../types.js';

/** An in-memory lock manager with the same contract, for users' tests. `lose(type, resource)` simulates a lost lock. */
export interface MemoryLockManager extends LockManager {
  /** Make the current holder lose the lock (as if its session died): its `onLost` fires and the lock is free. */
  lose(type: string, resource: string): boolean;
}

interface Entry {
  holder?: HandleControl;
  token: number;
  waiters: (() => void)[];
}

/** Options of {@link createMemoryLockManager}. */
export interface MemoryLockManagerOptions {
  /** Recorded as the holder's application. Default `dive`. */
  readonly application?: string;
  /** Times waits out and stamps `acquiredAt`. Default `systemClock`; tests pass `createFakeClock()`. */
  readonly clock?: Clock;
}

/**
 * In-memory locks for one process: FIFO hand-off to waiters, fencing tokens that only grow.
 * @param options - `application`, `clock`
 * @returns a {@link MemoryLockManager}
 */
export function createMemoryLockManager(options: MemoryLockManagerOptions = {}): MemoryLockManager {
  const clock = options.clock ?? systemClock;
  const entries = new Map<string, Entry>();
  const keyOf = (type: string, resource: string) => `${type}\u0000${resource}`;
  const entry = (type: string, resource: string): Entry => {
    const k = keyOf(type, resource);
    let e = entries.get(k);
    if (e === undefined) {
      e = { token: 0, waiters: [] };
      entries.set(k, e);
    }
    return e;
  };
  const grant = (type: string, resource: string): LockHandle => {
    const e = entry(type, resource);
    e.token += 1;
    const control = createHandle({
      type,
      resource,
      fencingToken: e.token,
      acquiredAt: clock.now(),
      release: async () => {
        free(e, control);
      },
    });
    e.holder = control;
    return control.handle;
  };
  const free = (e: Entry, control: HandleControl): void => {
    if (e.holder !== control) return;
    delete e.holder;
    e.waiters.shift()?.();
  };
  const acquire = (
    type: string,
    resource: string,
    opts: AcquireOptions = {},
  ): ResultAsync<LockHandle, AcquireError> => {
    const timeoutMs = checkAcquire(type, resource, opts.timeoutMs);
    const e = entry(type, resource);
    if (e.holder === undefined) return okAsync(grant(type, resource));
    if (opts.signal?.aborted === true)
      return errAsync(new CancelledError(`waiting for the ${type} lock on ${resource} was cancelled`));
    return ResultAsync.fromPromise(
      new Promise<LockHandle>((resolve, reject) => {
        const wake = (): void => {
          clock.clearTimeout(timer);
          opts.signal?.removeEventListener('abort', onAbort);
          resolve(grant(type, resource));
        };
        const leave = (error: AcquireError): void => {
          e.waiters = e.waiters.filter((w) => w !== wake);
          reject(error);
        };
        const onAbort = (): void => {
          clock.clearTimeout(timer);
          leave(
            new CancelledError(`waiting for the ${type} lock on ${resource} was cancelled`, {
              context: { type, resource },
            }),
          );
        };
        const timer = clock.setTimeout(() => {
          opts.signal?.removeEventListener('abort', onAbort);
          leave(
            new LockTimeoutError(`the ${type} lock on ${resource} was not acquired in ${timeoutMs} ms`, {
              context: { type, resource, timeoutMs },
            }),
          );
        }, timeoutMs);
        opts.signal?.addEventListener('abort', onAbort, { once: true });
        e.waiters.push(wake);
      }),
      (err) => err as AcquireError,
    );
  };
  return {
    acquire,
    tryAcquire: (type, resource) =>
      okAsync(entry(type, resource).holder === undefined ? grant(type, resource) : undefined),
    withLock: (type, resource, fn, opts) => withLockVia(acquire, type, resource, fn, opts),
    isLocked: (type, resource) => okAsync(entry(type, resource).holder !== undefined),
    list: () =>
      okAsync(
        [...entries.values()]
          .filter((e): e is Entry & { holder: HandleControl } => e.holder !== undefined)
          .map((e): LockInfo => ({
            type: e.holder.handle.type,
            resource: e.holder.handle.resource,
            holder: { pid: process.pid, host: 'memory', application: options.application ?? 'dive' },
            acquiredAt: e.holder.handle.acquiredAt,
            fencingToken: e.holder.handle.fencingToken,
            waiters: e.waiters.length,
          })),
      ),
    forceRelease(type, resource) {
      const e = entry(type, resource);
      const h = e.holder;
      if (h === undefined) return okAsync(false);
      h.lost('force-released');
      free(e, h);
      return okAsync(true);
    },
    lose(type, resource) {
      const e = entry(type, resource);
      const h = e.holder;
      if (h === undefined) return false;
      h.lost('simulated loss');
      free(e, h);
      return true;
    },
    async [Symbol.asyncDispose]() {
      entries.clear();
    },
  };
}
