import { createHash } from 'node:crypto';

/**
 * The 64-bit advisory-lock key of a (type, resource) pair: the first 8 bytes of sha256(type NUL resource), as a
 * signed bigint (PostgreSQL's bigint). 32-bit hashes (hashtext) collide after ~77,000 names; 64 bits do not in
 * practice.
 */
export function lockKey(type: string, resource: string): bigint {
  const digest = createHash('sha256').update(type).update('\u0000').update(resource).digest();
  return digest.readBigInt64BE(0);
}

/** A file-name-safe id of a (type, resource) pair (hex of the same hash). */
export function lockFileId(type: string, resource: string): string {
  return createHash('sha256').update(type).update('\u0000').update(resource).digest('hex').slice(0, 32);
}

/** Validate type and resource: non-empty strings without NUL, at most 200 characters. */
export function checkName(what: 'type' | 'resource', value: string): void {
  if (typeof value !== 'string' || value.length === 0 || value.length > 200 || value.includes('\u0000')) {
    throw new TypeError(
      `lock ${what} must be a non-empty string of at most 200 characters without NUL, got ${JSON.stringify(value)}`,
    );
  }
}

/** Validate `acquire`'s arguments (programmer errors throw) and return the timeout, default 30 s. */
export function checkAcquire(type: string, resource: string, timeoutMs: number | undefined): number {
  checkName('type', type);
  checkName('resource', resource);
  const ms = timeoutMs ?? 30_000;
  if (!(ms >= 0)) throw new RangeError(`timeoutMs must be ≥ 0, got ${ms}`);
  return ms;
}
