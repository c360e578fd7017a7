import { describe, expect, it } from 'vitest';
import { defineError } from './define-error.js';
import { DiveError } from './dive-error.js';
import { TimeoutError } from './errors.js';
import { REDACTED } from './redact.js';

class LockTimeoutError extends defineError('LockTimeoutError') {}

describe('DiveError', () => {
  it('takes tag, code, severity and remediation from the taxonomy', () => {
    const e = new LockTimeoutError('lock on USA not acquired in 50 ms', { context: { resource: 'USA' } });
    expect(e._tag).toBe('LockTimeoutError');
    expect(e.code).toBe(5001);
    expect(e.severity).toBe('HIGH');
    expect(e.category).toBe('lock');
    expect(e.remediation).toMatch(/lock/i);
    expect(e.name).toBe('LockTimeoutError');
    expect(e.context).toEqual({ resource: 'USA' });
    expect(Object.isFrozen(e.context)).toBe(true);
    expect(e.stack?.split('\n')[0]).toBe('LockTimeoutError: lock on USA not acquired in 50 ms');
    expect(LockTimeoutError.code).toBe(5001);
    expect(LockTimeoutError.tag).toBe('LockTimeoutError');
  });

  it('lets severity and remediation be overridden and keeps the cause', () => {
    const cause = new Error('socket closed');
    const e = new TimeoutError('slow', { severity: 'LOW', remediation: 'wait', cause });
    expect(e.severity).toBe('LOW');
    expect(e.remediation).toBe('wait');
    expect(e.cause).toBe(cause);
  });

  it('is recognised across copies by a global brand, not by instanceof', () => {
    const e = new TimeoutError('x');
    expect(DiveError.is(e)).toBe(true);
    // A copy from another installed version: same brand symbol, different class.
    const foreign = Object.create(null) as Record<symbol, unknown>;
    Object.defineProperty(foreign, Symbol.for('@dive/errors.DiveError'), { value: true });
    expect(DiveError.is(foreign)).toBe(true);
    expect(DiveError.is(new Error('x'))).toBe(false);
    expect(DiveError.is(null)).toBe(false);
    expect(DiveError.is({ _tag: 'TimeoutError', code: 2001 })).toBe(false);
  });

  it('serialises safely: secret-looking keys and URL passwords redacted, fencing tokens kept', () => {
    const e = new TimeoutError('connect to postgres://dive:hunter2@127.0.0.1/dive timed out', {
      context: {
        password: 'hunter2',
        apiKey: 'k',
        accessToken: 't',
        fencingToken: 42,
        nested: { DB_SECRET: 's', url: 'https://u:p@example.test/x' },
        list: [{ clientSecret: 'x' }],
      },
      cause: Object.assign(new Error('inner postgres://a:b@h/d'), { code: 'ETIMEDOUT' }),
    });
    const json = e.toJSON();
    const text = JSON.stringify(e);
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain(':p@');
    expect(text).not.toContain(':b@');
    expect(json.context).toEqual({
      password: REDACTED,
      apiKey: REDACTED,
      accessToken: REDACTED,
      fencingToken: 42,
      nested: { DB_SECRET: REDACTED, url: `https://u:${REDACTED}@example.test/x` },
      list: [{ clientSecret: REDACTED }],
    });
    expect(json).toMatchObject({ _tag: 'TimeoutError', code: 2001, severity: 'HIGH', category: 'network' });
    expect(json.cause).toMatchObject({ name: 'Error', code: 'ETIMEDOUT' });
  });

  it('survives cyclic context', () => {
    const ctx: Record<string, unknown> = { a: 1 };
    ctx['self'] = ctx;
    const e = new TimeoutError('x', { context: ctx });
    expect(JSON.stringify(e)).toContain('[Circular]');
  });

  it('refuses to define an error whose tag is not in the taxonomy', () => {
    expect(() => defineError('NotATag' as 'TimeoutError')).toThrow(TypeError);
  });
});
