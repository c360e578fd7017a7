import { describe, expect, it } from 'vitest';
import { isSecretKey, redact, redactString, REDACTED } from './redact.js';

describe('redaction', () => {
  it('recognises secret-looking keys but not fencing tokens', () => {
    for (const k of [
      'password',
      'PGPASSWORD',
      'passwd',
      'secret',
      'clientSecret',
      'api_key',
      'apiKey',
      'authorization',
      'accessToken',
      'refresh_token',
      'privateKey',
      'credentials',
      'cookie',
    ]) {
      expect(isSecretKey(k), k).toBe(true);
    }
    for (const k of ['fencingToken', 'instance', 'service', 'passes', 'bypassed', 'author']) {
      expect(isSecretKey(k), k).toBe(false);
    }
  });

  it('masks URL passwords in strings', () => {
    expect(redactString('postgres://dive:s3cret@127.0.0.1:5432/dive')).toBe(
      `postgres://dive:${REDACTED}@127.0.0.1:5432/dive`,
    );
    expect(redactString('no url here')).toBe('no url here');
  });

  it('redacts extra keys, bigints, dates and deep objects', () => {
    const out = redact({ MY_VAR: 'x', n: 10n, d: new Date(0), deep: { a: { b: { c: 1 } } } }, new Set(['MY_VAR']), 2);
    expect(out).toEqual({ MY_VAR: REDACTED, n: '10', d: '1970-01-01T00:00:00.000Z', deep: { a: '[Truncated]' } });
  });
});
