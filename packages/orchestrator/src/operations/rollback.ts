import { defineError, type DiveError } from '@dive/errors';
import { err, ok, ResultAsync } from 'neverthrow';
import { rollbackInstance } from '../engine/rollback.js';
import type { RollbackReport, RollbackStrategy } from '../report.js';
import type { CommonOptions } from './options.js';
import { setup } from './setup.js';
import { withInstanceLock } from './with-instance-lock.js';

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

/**
 * Roll an instance back to a checkpoint, under its deployment lock: `COMPLETE|FAILED → ROLLING_BACK → CLEANUP →
 * COMPLETE` (restored) or `→ UNKNOWN` (nothing to restore). A failed step ends `FAILED` with RollbackFailedError.
 * @returns Ok(RollbackReport) — check `finalState` and `error`; Err `CheckpointNotFoundError`,
 *   `CheckpointCorruptError`, `InvalidTransitionError`, `LockTimeoutError`, `StateStoreUnavailableError`
 */
export function rollback(
  instance: string,
  rollbackOptions: RollbackOptions = {},
  options: CommonOptions = {},
): ResultAsync<RollbackReport, DiveError> {
  const s = setup(options);
  const run = () =>
    withInstanceLock(s.ctx, instance, async ({ tx, emit, operationId }) => {
      const from = tx.current().state;
      if (from !== 'COMPLETE' && from !== 'FAILED') {
        return err(
          new RollbackNotAllowedError(`cannot roll back ${instance} while it is ${from}`, {
            context: { instance, state: from, allowed: ['COMPLETE', 'FAILED'] },
          }),
        );
      }
      let id = rollbackOptions.checkpointId;
      if (id === undefined) {
        const list = await s.ctx.state.listCheckpoints(instance);
        if (list.isErr()) return err(list.error);
        const good = list.value.filter((c) => c.state === 'COMPLETE');
        // From COMPLETE the newest good checkpoint is the running generation: go one further back.
        id = (from === 'COMPLETE' ? good[1] : good[0])?.id;
        if (id === undefined) {
          return err(
            new CheckpointNotFoundError(`${instance} has no earlier good checkpoint to roll back to`, {
              context: { instance, checkpoints: list.value.length },
            }),
          );
        }
      }
      const payload = await s.ctx.state.getCheckpoint(id);
      if (payload.isErr()) return err(payload.error);
      const report = await rollbackInstance(s.ctx, {
        instance,
        deploymentId: operationId,
        tx,
        emit,
        created: new Map(),
        checkpoint: { id, payload: payload.value },
        strategy: rollbackOptions.strategy ?? 'complete',
        reason: 'manual rollback',
      });
      return ok(report);
    }).finally(() => s.dispose());
  return new ResultAsync(run());
}
