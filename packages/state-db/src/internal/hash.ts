import { createHash } from 'node:crypto';

/** JSON with object keys sorted, so equal values always give equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

/** The fields of an audit row that its hash covers. */
export interface HashedFields {
  readonly instance: string;
  readonly version: number;
  readonly from: string;
  readonly to: string;
  readonly fencingToken: number;
  readonly reason: string;
  readonly actor: string;
  readonly deploymentId: string | null;
  /** Canonical JSON of the metadata. */
  readonly metadataJson: string;
  readonly at: number;
}

const lp = (s: string): string => `${Buffer.byteLength(s, 'utf8')}:${s}`;

/**
 * sha256 (hex) of the previous hash and the row's fields, each length-prefixed by its UTF-8 byte length.
 * The PostgreSQL function `chain_hash` in the migrations computes exactly the same.
 */
export function chainHash(previous: string, f: HashedFields): string {
  const text =
    lp(previous) +
    lp(f.instance) +
    lp(String(f.version)) +
    lp(f.from) +
    lp(f.to) +
    lp(String(f.fencingToken)) +
    lp(f.reason) +
    lp(f.actor) +
    lp(f.deploymentId ?? '') +
    lp(f.metadataJson) +
    lp(String(f.at));
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** sha256 (hex) of a string. */
export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
