import { CheckpointTooLargeError } from '../errors.js';

/** Default largest checkpoint written or read: 16 MiB as stored (a real one is a few KiB). */
export const CHECKPOINT_MAX_BYTES = 16 * 1024 * 1024;

/**
 * The store's checkpoint size limit: `checkpointMaxBytes`, else {@link CHECKPOINT_MAX_BYTES}.
 * @throws RangeError when it is not a positive integer (a programmer error, at construction)
 */
export function checkpointLimit(maxBytes: number | undefined): number {
  const limit = maxBytes ?? CHECKPOINT_MAX_BYTES;
  if (!Number.isSafeInteger(limit) || limit <= 0)
    throw new RangeError(`checkpointMaxBytes must be a positive integer, got ${String(maxBytes)}`);
  return limit;
}

/** The error of a checkpoint above the limit, on write (nothing was written) or on read (it was not read). */
export function checkpointTooLarge(
  what: { readonly id: string; readonly instance?: string },
  size: number,
  limit: number,
  when: 'write' | 'read',
): CheckpointTooLargeError {
  const of = what.instance === undefined ? '' : ` of ${what.instance}`;
  return new CheckpointTooLargeError(
    when === 'write'
      ? `checkpoint ${what.id}${of} is ${size} bytes, above the ${limit}-byte limit; it was not written (the checkpoints stored are unchanged)`
      : `checkpoint ${what.id}${of} is ${size} bytes, above the ${limit}-byte limit; it was not read`,
    {
      context: {
        checkpointId: what.id,
        ...(what.instance === undefined ? {} : { instance: what.instance }),
        size,
        limit,
        when,
      },
    },
  );
}
