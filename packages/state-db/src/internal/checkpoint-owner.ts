import { errAsync, okAsync, type ResultAsync } from 'neverthrow';
import { CheckpointNotFoundError } from '../errors.js';
import type { Checkpoint, CheckpointReadOptions } from '../types.js';

/** Refuse (as not found) a verified checkpoint that belongs to another instance than the caller asked for. */
export function ownedBy(
  checkpoint: Checkpoint,
  options: CheckpointReadOptions | undefined,
): ResultAsync<Checkpoint, CheckpointNotFoundError> {
  const wanted = options?.instance;
  if (wanted === undefined || wanted === checkpoint.instance) return okAsync(checkpoint);
  return errAsync(
    new CheckpointNotFoundError(
      `no checkpoint with id ${checkpoint.id} for ${wanted} (it belongs to ${checkpoint.instance})`,
      {
        context: { id: checkpoint.id, instance: wanted, belongsTo: checkpoint.instance },
      },
    ),
  );
}
