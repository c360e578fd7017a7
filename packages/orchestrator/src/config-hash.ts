import { createHash } from 'node:crypto';

/** Canonical JSON: keys sorted at every level, so equal values hash equally. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * The config hash of a service: sha256 over its spec and its resolved environment (secret values included in the
 * hash, so a rotated secret redeploys; the hash does not reveal them). Equal hashes mean "nothing changed".
 */
export function configHash(spec: unknown, env: Readonly<Record<string, string>>): string {
  return createHash('sha256').update(canonicalJson({ spec, env })).digest('hex').slice(0, 16);
}
