import { randomUUID } from 'node:crypto';
import type { DiveError } from '@dive/errors';
import { err, type Result } from 'neverthrow';
import { emitterFor, type EngineContext, type EngineEvent } from '../engine/context.js';
import { transitioner, type Transitioner } from '../engine/transitions.js';

/** What an operation under the instance lock gets. */
export interface LockedOperation {
  readonly operationId: string;
  readonly fencingToken: number;
  readonly tx: Transitioner;
  readonly emit: (e: EngineEvent) => void;
}

/**
 * Run `work` holding the instance's `deployment` lock (rollback and teardown must not overlap a deployment),
 * with a transitioner that carries the lock's fencing token. The lock is released on every path.
 */
export async function withInstanceLock<T>(
  ctx: EngineContext,
  instance: string,
  work: (op: LockedOperation) => Promise<Result<T, DiveError>>,
): Promise<Result<T, DiveError>> {
  const operationId = randomUUID();
  const emit = emitterFor(ctx, instance, operationId);
  const started = ctx.now();
  emit({ type: 'lock-waiting', lock: 'deployment' });
  const lease = await ctx.locks.acquire('deployment', instance, {
    timeoutMs: ctx.lockTimeoutMs,
    ...(ctx.signal === undefined ? {} : { signal: ctx.signal }),
  });
  if (lease.isErr()) return err(lease.error);
  emit({
    type: 'lock-acquired',
    lock: 'deployment',
    fencingToken: lease.value.fencingToken,
    waitedMs: ctx.now() - started,
  });
  try {
    const current = await ctx.state.getState(instance);
    if (current.isErr()) return err(current.error);
    const tx = transitioner(ctx, emit, instance, operationId, lease.value.fencingToken, current.value);
    return await work({ operationId, fencingToken: lease.value.fencingToken, tx, emit });
  } finally {
    const released = await lease.value.release();
    if (released.isErr())
      ctx.logger.warn({ err: released.error.toJSON(), instance }, 'releasing the deployment lock failed');
  }
}
