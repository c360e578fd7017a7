/** What a redacted value is replaced with. */
export const REDACTED = '[REDACTED]';

/**
 * Keys whose values look secret. `fencingToken` is a lock's public sequence number, not a secret, so plain
 * `token` only counts when it is not preceded by `fencing`.
 */
const SECRET_KEY =
  /pass(word|wd|phrase)?$|^pwd$|secret|api[-_]?key|access[-_]?key|private[-_]?key|credential|authorization|cookie|session[-_]?id|(?<!fencing)token/i;

/** `scheme://user:password@host` — the password part of a URL. */
const URL_PASSWORD = /([a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:)([^@\s/]+)(@)/gi;

/** Whether a key name looks like it holds a secret (`password`, `apiKey`, `DB_SECRET`, `accessToken`, …). */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

/** Replace the password of every `scheme://user:password@host` URL in a string. */
export function redactString(value: string): string {
  return value.replace(URL_PASSWORD, `$1${REDACTED}$3`);
}

/**
 * A copy of `value` that is safe to log: values under secret-looking keys are replaced with `[REDACTED]`,
 * passwords inside URLs are masked, and cycles and depth beyond `maxDepth` are cut.
 * @param value - anything
 * @param extraKeys - further key names to redact exactly (for example the names of a topology's secrets)
 */
export function redact(value: unknown, extraKeys: ReadonlySet<string> = new Set(), maxDepth = 8): unknown {
  const seen = new WeakSet<object>();
  const walk = (v: unknown, depth: number): unknown => {
    if (typeof v === 'string') return redactString(v);
    if (typeof v === 'bigint') return v.toString();
    if (v === null || typeof v !== 'object') return v;
    if (v instanceof Date) return v.toISOString();
    if (seen.has(v)) return '[Circular]';
    if (depth >= maxDepth) return '[Truncated]';
    seen.add(v);
    if (Array.isArray(v)) return v.map((item) => walk(item, depth + 1));
    if (v instanceof Error) return { name: v.name, message: redactString(v.message) };
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(v)) {
      out[key] = isSecretKey(key) || extraKeys.has(key) ? REDACTED : walk(inner, depth + 1);
    }
    return out;
  };
  return walk(value, 0);
}
