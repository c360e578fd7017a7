import { randomUUID } from 'node:crypto';
import { err, type Result } from 'neverthrow';
import { createBestEffort, type BestEffort } from '../engine/best-effort.js';
import { emitterFor, type EngineContext, type EngineEvent } from '../engine/context.js';
import { guardedContext } from '../engine/guarded-context.js';
import { lease, releaseLease } from '../engine/phases/lease.js';
import { transitioner, type Transitioner } from '../engine/transitions.js';
import { closeUnion, OPERATION_ERROR_TAGS, type LockError, type StateError } from '../errors.js';

/** What an operation under the instance lock gets. */
export interface LockedOperation {
  readonly operationId: string;
  readonly fencingToken: number;
  /** The context with guarded ports (every runtime and store call bounded; runtime calls end on the signal). */
  readonly ctx: EngineContext;
  readonly tx: Transitioner;
  readonly emit: (e: EngineEvent) => void;
  /** Best-effort writes, flushed before the lock is released. */
  readonly writes: BestEffort;
}

/**
 * Run `work` holding the instance's `deployment` lock (rollback and teardown must not overlap a deployment),
 * with a transitioner that carries the lock's fencing token. Best-effort writes are flushed and the lock is
 * released on every path.
 * @returns Ok what `work` returned; Err `work`'s error, or {@link LockError} | {@link StateError}
 */
export async function withInstanceLock<T, E>(
  base: EngineContext,
  instance: string,
  work: (op: LockedOperation) => Promise<Result<T, E>>,
): Promise<Result<T, E | LockError | StateError>> {
  const operationId = randomUUID();
  const emit = emitterFor(base, instance, operationId);
  const writes = createBestEffort(base.logger.child({ instance, operation: operationId }), (f) => {
    emit({ type: 'warning', message: `${f.what} failed: ${f.error._tag}: ${f.error.message}` });
  });
  const ctx = guardedContext(base, { ...(base.signal === undefined ? {} : { signal: base.signal }), writes });
  const held = await lease({ ctx, instance, emit });
  if (held.isErr()) return err(held.error);
  try {
    const current = await ctx.state.getState(instance);
    if (current.isErr()) return err(closeUnion(OPERATION_ERROR_TAGS.state, current.error));
    const tx = transitioner(ctx, emit, instance, operationId, held.value.fencingToken, current.value);
    return await work({ operationId, fencingToken: held.value.fencingToken, ctx, tx, emit, writes });
  } finally {
    await writes.flush();
    await releaseLease(ctx, held.value, instance);
  }
}
