import { redact, REDACTED } from './redact.js';

/** Options of {@link createValueRedactor}. */
export interface ValueRedactorOptions {
  /**
   * Secrets shorter than this are not redacted (default 6): replacing `1`, `on` or `dive` everywhere would
   * garble every message while hiding nothing worth hiding. Such values should not be secrets.
   */
  readonly minLength?: number;
  /** What a secret is replaced with (default `[REDACTED]`). */
  readonly replacement?: string;
}

/** Replaces known secret values wherever they appear; see {@link createValueRedactor}. */
export interface ValueRedactor {
  /** `text` with every occurrence of a secret (and its encoded forms) replaced. */
  redactString(text: string): string;
  /**
   * A copy of `value` safe to persist or print: the key-based {@link redact} (secret-looking keys, URL
   * passwords, cycles, depth), then every string — values, array items, error messages — redacted by value.
   */
  redact(value: unknown): unknown;
  /** How many secret values are being redacted (after dropping the too-short ones). */
  readonly size: number;
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The forms a value takes when it is embedded somewhere: as is, inside JSON, in a URL, in base64. */
function forms(secret: string): string[] {
  return [
    secret,
    JSON.stringify(secret).slice(1, -1),
    encodeURIComponent(secret),
    Buffer.from(secret, 'utf8').toString('base64').replace(/=+$/, ''),
  ];
}

function mapStrings(value: unknown, fn: (s: string) => string): unknown {
  if (typeof value === 'string') return fn(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, fn));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[fn(k)] = mapStrings(v, fn);
    return out;
  }
  return value;
}

/**
 * Redaction by value, on top of the key-based {@link redact}: give it the resolved secrets of a deployment and it
 * replaces each of them wherever it appears — as a substring of a log line, JSON-escaped inside serialised JSON
 * (`"a\"b"`), URL-encoded, or base64 of the value on its own — in strings and in every string of an object
 * (keys included). Longer secrets are matched first, so one that contains another is replaced whole. Values shorter
 * than `minLength` (default 6) are ignored. The secrets are kept only inside the redactor.
 * @param secrets - the secret values (duplicates and empty strings are fine)
 * @param options - `minLength` (default 6), `replacement` (default `[REDACTED]`)
 * @returns a {@link ValueRedactor}
 * @throws RangeError if `minLength` is not a positive integer
 * @example
 * ```ts
 * const r = createValueRedactor([process.env.DB_PASSWORD ?? '']);
 * log.error(r.redact({ msg: `connect failed: ${error.message}` }));
 * ```
 */
export function createValueRedactor(secrets: Iterable<string>, options: ValueRedactorOptions = {}): ValueRedactor {
  const minLength = options.minLength ?? 6;
  if (!Number.isSafeInteger(minLength) || minLength < 1)
    throw new RangeError(`createValueRedactor: minLength must be a positive integer, got ${String(minLength)}`);
  const replacement = options.replacement ?? REDACTED;
  const kept = new Set([...secrets].filter((s) => typeof s === 'string' && s.length >= minLength));
  const variants = [...new Set([...kept].flatMap(forms))].filter((v) => v.length >= minLength);
  variants.sort((a, b) => b.length - a.length);
  const pattern = variants.length === 0 ? undefined : new RegExp(variants.map(escapeRegExp).join('|'), 'g');
  const redactString = (text: string): string => (pattern === undefined ? text : text.replace(pattern, replacement));
  return {
    redactString,
    redact: (value) => mapStrings(redact(value), redactString),
    size: kept.size,
  };
}
