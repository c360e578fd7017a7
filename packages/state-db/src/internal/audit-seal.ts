import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** How a head is sealed: HMAC-SHA256 with the audit key, or plain SHA-256 when no key is configured. */
export type SealAlgorithm = 'hmac-sha256' | 'sha256';

/** The newest audit row of an instance, as a store keeps it apart from the log, with its seal. */
export interface SealedHead {
  readonly version: number;
  readonly hash: string;
  readonly alg: SealAlgorithm;
  /** Hex HMAC-SHA256 (or SHA-256) of the instance, version and hash. */
  readonly mac: string;
}

const lp = (s: string): string => `${Buffer.byteLength(s, 'utf8')}:${s}`;
const message = (instance: string, version: number, hash: string): string =>
  `dive-audit-head-v1|${lp(instance)}${lp(String(version))}${lp(hash)}`;

function digest(key: Buffer | undefined, text: string): string {
  return key === undefined
    ? createHash('sha256').update(text, 'utf8').digest('hex')
    : createHmac('sha256', key).update(text, 'utf8').digest('hex');
}

/** Seal the head `(version, hash)` of `instance` with `key` (HMAC-SHA256), or SHA-256 without one. */
export function sealHead(key: Buffer | undefined, instance: string, version: number, hash: string): SealedHead {
  return {
    version,
    hash,
    alg: key === undefined ? 'sha256' : 'hmac-sha256',
    mac: digest(key, message(instance, version, hash)),
  };
}

/** Whether `head` was sealed with `key` (constant-time compare); an unkeyed seal never passes when a key is set. */
export function sealMatches(key: Buffer | undefined, instance: string, head: SealedHead): boolean {
  if (head.alg !== (key === undefined ? 'sha256' : 'hmac-sha256')) return false;
  const want = Buffer.from(digest(key, message(instance, head.version, head.hash)), 'hex');
  const got = Buffer.from(typeof head.mac === 'string' ? head.mac : '', 'hex');
  return got.length === want.length && timingSafeEqual(got, want);
}
