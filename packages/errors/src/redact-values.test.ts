import { describe, expect, it } from 'vitest';
import { createValueRedactor } from './redact-values.js';

describe('createValueRedactor', () => {
  const r = createValueRedactor(['s3cr3t-pa$$', 'tok"en\\line\nbreak', 'x', '']);

  it('replaces a secret wherever it appears in a string, every time', () => {
    expect(r.redactString('login s3cr3t-pa$$ failed; retry with s3cr3t-pa$$!')).toBe(
      'login [REDACTED] failed; retry with [REDACTED]!',
    );
    expect(r.redactString('prefixs3cr3t-pa$$suffix')).toBe('prefix[REDACTED]suffix');
  });

  it('finds the JSON-escaped, URL-encoded and base64 forms', () => {
    const json = JSON.stringify({ env: { TOKEN: 'tok"en\\line\nbreak' } });
    expect(json).not.toContain('tok"en');
    expect(r.redactString(json)).toBe('{"env":{"TOKEN":"[REDACTED]"}}');
    expect(r.redactString(`https://h/?p=${encodeURIComponent('s3cr3t-pa$$')}`)).toBe('https://h/?p=[REDACTED]');
    const basic = Buffer.from('s3cr3t-pa$$').toString('base64');
    expect(r.redactString(`Authorization: Basic ${basic}`)).not.toContain(basic.slice(0, 8));
  });

  it('walks objects, arrays, keys and errors, on top of the key-based redaction', () => {
    const out = r.redact({
      message: 'boot: s3cr3t-pa$$',
      lines: ['ok', 'echo s3cr3t-pa$$'],
      nested: { deeper: [{ note: 'tok"en\\line\nbreak' }] },
      password: 'not-in-the-set',
      'key-s3cr3t-pa$$': 1,
      error: new Error('cannot use s3cr3t-pa$$'),
    });
    expect(out).toEqual({
      message: 'boot: [REDACTED]',
      lines: ['ok', 'echo [REDACTED]'],
      nested: { deeper: [{ note: '[REDACTED]' }] },
      password: '[REDACTED]',
      'key-[REDACTED]': 1,
      error: { name: 'Error', message: 'cannot use [REDACTED]' },
    });
    expect(JSON.stringify(out)).not.toContain('s3cr3t');
  });

  it('ignores values shorter than minLength (default 6) and empty ones; a longer secret wins over its part', () => {
    expect(r.size).toBe(2);
    expect(r.redactString('x marks the spot')).toBe('x marks the spot');
    const short = createValueRedactor(['abc'], { minLength: 3, replacement: '***' });
    expect(short.redactString('abcabc')).toBe('******');
    const nested = createValueRedactor(['secret-one', 'secret-one-two']);
    expect(nested.redactString('secret-one-two secret-one')).toBe('[REDACTED] [REDACTED]');
  });

  it('with no secrets it is the key-based redaction only; nonsense options throw', () => {
    const none = createValueRedactor([]);
    expect(none.redactString('nothing to hide')).toBe('nothing to hide');
    expect(none.redact({ apiKey: 'k' })).toEqual({ apiKey: '[REDACTED]' });
    expect(() => createValueRedactor([], { minLength: 0 })).toThrow(RangeError);
  });
});
