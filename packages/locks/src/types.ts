import type { ResultAsync } from 'neverthrow';
import type {
  LockLostError,
  LockStoreError,
  LockTimeoutError,
  LockCorruptError,
  LockReleaseForbiddenError,
} from './errors.js';
import type { CancelledError } from '@dive/errors';

/** The lock types of the seeds. Any other string is allowed too. */
export const LOCK_TYPES = Object.freeze({
  deployment: 'deployment',
  federation: 'federation',
  stateWrite: 'state_write',
  rollback: 'rollback',
} as const);

/** Who holds a lock. */
export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  readonly application: string;
  /** The PostgreSQL backend pid holding the session lock (PostgreSQL only). */
  readonly backendPid?: number;
}

/** A held lock, as `list()` reports it. */
export interface LockInfo {
  readonly type: string;
  readonly resource: string;
  readonly holder: LockHolder;
  /** Epoch milliseconds. */
  readonly acquiredAt: number;
  readonly fencingToken: number;
  /** Sessions waiting for it (PostgreSQL; the file backend cannot see waiters and reports 0). */
  readonly waiters: number;
}

/** A lock this process holds. Release it on every path (`await using`, or `withLock`). */
export interface LockHandle extends AsyncDisposable {
  readonly type: string;
  readonly resource: string;
  /**
   * Strictly increasing per type and resource, across processes and restarts: pass it with every write, so the
   * store can refuse a writer that lost its lock to a newer holder.
   */
  readonly fencingToken: number;
  /** Epoch milliseconds. */
  readonly acquiredAt: number;
  /** `false` once released or lost. */
  readonly isHeld: boolean;
  /** Release it. Releasing twice, or after the lock was lost, succeeds. */
  release(): ResultAsync<void, LockStoreError>;
  /** Called once if the lock is lost (its session died, its file was removed). */
  onLost(listener: (error: LockLostError) => void): Disposable;
}

/** Options of {@link LockManager.acquire}. */
export interface AcquireOptions {
  /** How long to wait for a holder to release it. Default 30 000. 0 means try once. */
  readonly timeoutMs?: number;
  /** Abort the wait: the result is `CancelledError` and nothing is left waiting. */
  readonly signal?: AbortSignal;
}

/** Errors `acquire` can return. */
export type AcquireError = LockTimeoutError | LockStoreError | LockCorruptError | CancelledError;

/** One interface for the PostgreSQL, file and in-memory lock managers. */
export interface LockManager extends AsyncDisposable {
  /** Wait up to `timeoutMs` for the lock. */
  acquire(type: string, resource: string, options?: AcquireOptions): ResultAsync<LockHandle, AcquireError>;
  /** Take it if free, else Ok(undefined), at once. */
  tryAcquire(type: string, resource: string): ResultAsync<LockHandle | undefined, LockStoreError | LockCorruptError>;
  /** Run `fn` holding the lock, releasing it on every path (also when `fn` throws). */
  withLock<T, E>(
    type: string,
    resource: string,
    fn: (handle: LockHandle) => ResultAsync<T, E> | Promise<T>,
    options?: AcquireOptions,
  ): ResultAsync<T, E | AcquireError>;
  isLocked(type: string, resource: string): ResultAsync<boolean, LockStoreError | LockCorruptError>;
  /** Every held lock. */
  list(): ResultAsync<readonly LockInfo[], LockStoreError>;
  /** Take a lock away from its holder (PostgreSQL: terminate its session). Ok(false) when it was not held. */
  forceRelease(type: string, resource: string): ResultAsync<boolean, LockStoreError | LockReleaseForbiddenError>;
}
