import { defineError } from '@dive/errors';
import { err, ok, ResultAsync, type Result } from 'neverthrow';
import type { EngineContext } from '../engine/context.js';
import { leftoverRetired } from '../engine/leftover-retired.js';
import { recover } from '../engine/phases/recover.js';
import { rollbackInstance } from '../engine/rollback.js';
import { closeUnion, OPERATION_ERROR_TAGS, type RollbackError } from '../errors.js';
import type { RollbackReport, RollbackStrategy } from '../report.js';
import type { CommonOptions } from './options.js';
import { setup } from './setup.js';
import { withInstanceSecrets } from './with-instance-secrets.js';
import { withInstanceLock, type LockedOperation } from './with-instance-lock.js';

/** 7001: no checkpoint to roll back to. */
export class CheckpointNotFoundError extends defineError('CheckpointNotFoundError') {}
/** 6002: rollback is not allowed in the current state. */
class RollbackNotAllowedError extends defineError('InvalidTransitionError') {}

/** Options of `rollback()`. */
export interface RollbackOptions {
  /** The checkpoint to restore. Default: the latest good one before the current generation. */
  readonly checkpointId?: string;
  /** Default `complete`. */
  readonly strategy?: RollbackStrategy;
}

/** The checkpoint to go back to: the one asked for, or the newest good one before the running generation. */
async function checkpointToRestore(
  op: LockedOperation,
  instance: string,
  asked: string | undefined,
): Promise<Result<string, RollbackError>> {
  if (asked !== undefined) return ok(asked);
  const list = await op.ctx.state.listCheckpoints(instance);
  if (list.isErr()) return err(closeUnion(OPERATION_ERROR_TAGS.rollback, list.error));
  const good = list.value.filter((c) => c.state === 'COMPLETE');
  // From COMPLETE the newest good checkpoint is the running generation: go one further back.
  const id = (op.tx.current().state === 'COMPLETE' ? good[1] : good[0])?.id;
  if (id !== undefined) return ok(id);
  return err(
    new CheckpointNotFoundError(`${instance} has no earlier good checkpoint to roll back to`, {
      context: { instance, checkpoints: list.value.length },
    }),
  );
}

async function rollBack(
  base: EngineContext,
  instance: string,
  options: RollbackOptions,
  op: LockedOperation,
): Promise<Result<RollbackReport, RollbackError>> {
  // A deployment interrupted mid-way (its process killed) is closed first (→ FAILED, `interrupted`), then rolled back.
  const recovered = await recover({ tx: op.tx, log: op.ctx.logger.child({ instance, operation: op.operationId }) });
  if (recovered.isErr()) return err(recovered.error);
  const from = op.tx.current().state;
  if (from !== 'COMPLETE' && from !== 'FAILED') {
    return err(
      new RollbackNotAllowedError(`cannot roll back ${instance} while it is ${from}`, {
        context: { instance, state: from, allowed: ['COMPLETE', 'FAILED'] },
      }),
    );
  }
  const id = await checkpointToRestore(op, instance, options.checkpointId);
  if (id.isErr()) return err(id.error);
  const payload = await op.ctx.state.getCheckpoint(id.value);
  if (payload.isErr()) return err(closeUnion(OPERATION_ERROR_TAGS.rollback, payload.error));
  const report = await rollbackInstance(base, {
    instance,
    deploymentId: op.operationId,
    tx: op.tx,
    emit: op.emit,
    created: new Map(),
    // Predecessors a killed (or `rollback: 'never'`) deployment set aside come back as they were.
    retired: await leftoverRetired(op.ctx.runtime, instance, op.emit),
    checkpoint: { id: id.value, payload: payload.value },
    strategy: options.strategy ?? 'complete',
    reason: 'manual rollback',
    writes: op.writes,
  });
  return ok(report);
}

/**
 * Roll an instance back to a checkpoint, under its deployment lock: `COMPLETE|FAILED → ROLLING_BACK → CLEANUP →
 * COMPLETE` (restored) or `→ UNKNOWN` (nothing to restore). A deployment that was interrupted (its process killed:
 * a non-final state, the lock free) is first closed (`→ FAILED`, reason `interrupted`). A failed step — or the overall deadline
 * (`rollbackTimeoutMs`, default 10 min) — ends `FAILED` with RollbackFailedError in the report.
 * @returns Ok(RollbackReport) — check `finalState` and `error`; Err {@link RollbackError}: `CheckpointNotFoundError`,
 *   `CheckpointCorruptError`, `InvalidTransitionError`, `LockTimeoutError`, `StateStoreUnavailableError`,
 *   `TimeoutError`
 */
export function rollback(
  instance: string,
  rollbackOptions: RollbackOptions = {},
  options: CommonOptions = {},
): ResultAsync<RollbackReport, RollbackError> {
  const run = async (): Promise<Result<RollbackReport, RollbackError>> => {
    const prepared = await withInstanceSecrets(instance, options);
    const s = setup(prepared.options);
    try {
      return await withInstanceLock(s.ctx, instance, (op) => rollBack(s.ctx, instance, rollbackOptions, op));
    } finally {
      await s.dispose();
      await prepared.dispose();
    }
  };
  return new ResultAsync(run());
}
