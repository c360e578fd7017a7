import type { DiveError } from '@dive/errors';
import { err, ok, type Result } from 'neverthrow';
import { closeUnion, OPERATION_ERROR_TAGS, type LockError } from '../../errors.js';
import type { EngineContext, EngineEvent } from '../context.js';
import type { LockLease } from '../ports.js';

/** What the lease phase needs. */
export interface LeaseInput {
  readonly ctx: EngineContext;
  readonly instance: string;
  readonly emit: (event: EngineEvent) => void;
}

/** Errors of the lease phase: the lock was not granted (`LockTimeoutError`, `LockStoreError`, …). */
export type LeaseError = LockError;

/**
 * Lease: take the instance's `deployment` lock (rollback and teardown must not overlap a deployment); its fencing
 * token goes on every state write. Emits `lock-waiting` and `lock-acquired`.
 * @returns Ok the lease; Err {@link LeaseError}
 */
export async function lease(input: LeaseInput): Promise<Result<LockLease, LeaseError>> {
  const { ctx, instance, emit } = input;
  const started = ctx.clock.now();
  emit({ type: 'lock-waiting', lock: 'deployment' });
  const acquired = await ctx.locks.acquire('deployment', instance, {
    timeoutMs: ctx.lockTimeoutMs,
    ...(ctx.signal === undefined ? {} : { signal: ctx.signal }),
  });
  if (acquired.isErr()) return err(closeUnion(OPERATION_ERROR_TAGS.lock, acquired.error));
  const held = acquired.value;
  emit({
    type: 'lock-acquired',
    lock: 'deployment',
    fencingToken: held.fencingToken,
    waitedMs: ctx.clock.now() - started,
  });
  return ok(held);
}

/** Give the lease back; a failure is logged (the lock expires or is freed when its holder goes). */
export async function releaseLease(
  ctx: EngineContext,
  held: LockLease,
  instance: string,
): Promise<DiveError | undefined> {
  const released = await held.release();
  if (released.isOk()) return undefined;
  ctx.logger.warn({ err: released.error.toJSON(), instance }, 'releasing the deployment lock failed');
  return released.error;
}
