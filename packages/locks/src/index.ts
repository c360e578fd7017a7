export { createFileLockManager, type FileLockManagerOptions } from './file-lock-manager.js';
export type { TokenFloor } from './internal/token-counter.js';
export { createPostgresLockManager, type PostgresLockManagerOptions } from './postgres-lock-manager.js';
export {
  LockCorruptError,
  LockLostError,
  LockReleaseForbiddenError,
  LockStoreError,
  LockTimeoutError,
} from './errors.js';
export { lockKey } from './key.js';
export {
  LOCK_TYPES,
  type AcquireError,
  type AcquireOptions,
  type LockHandle,
  type LockHolder,
  type LockInfo,
  type LockManager,
} from './types.js';
