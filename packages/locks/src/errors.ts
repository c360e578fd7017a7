import { defineError } from '@dive/errors';

/** 5001: the lock was not acquired in time; another operation holds it. `context.holder` names it. */
export class LockTimeoutError extends defineError('LockTimeoutError') {}
/** 5002: a held lock was lost (its session died, its file was removed). */
export class LockLostError extends defineError('LockLostError') {}
/** 5004: the lock store (database or directory) could not be used. */
export class LockStoreError extends defineError('LockStoreError') {}
/** 5005: a lock record could not be read. `context.path` names the file. */
export class LockCorruptError extends defineError('LockCorruptError') {}
/** 5006: the lock could not be force-released with the current permissions. */
export class LockReleaseForbiddenError extends defineError('LockReleaseForbiddenError') {}
