import { randomBytes } from 'node:crypto';

/**
 * Checkpoint ids sort by creation: time, then a per-store counter (so two in the same millisecond keep their
 * order), then randomness (so two processes never collide).
 */
export function checkpointIds(): (at: number) => string {
  let seq = 0;
  return (at) => {
    seq = (seq + 1) % 36 ** 4;
    return `${at.toString(36).padStart(9, '0')}-${seq.toString(36).padStart(4, '0')}-${randomBytes(5).toString('hex')}`;
  };
}
