import { describe, expect, it } from 'vitest';
import { TimeoutError } from './errors.js';
import { fromPromise, toDiveError, tryAsync, trySync } from './from-unknown.js';

const sysError = (code: string): Error => Object.assign(new Error(`connect ${code} 127.0.0.1:1`), { code });

describe('toDiveError', () => {
  it.each([
    ['ECONNREFUSED', 'NetworkUnreachableError', 2002],
    ['EHOSTUNREACH', 'NetworkUnreachableError', 2002],
    ['ETIMEDOUT', 'TimeoutError', 2001],
    ['ENOTFOUND', 'DnsFailureError', 2003],
    ['EAI_AGAIN', 'DnsFailureError', 2003],
    ['ECONNRESET', 'ConnectionResetError', 2004],
    ['EPIPE', 'ConnectionResetError', 2004],
  ])('maps %s to %s (%i)', (code, tag, num) => {
    const e = toDiveError(sysError(code), { target: 'db' });
    expect(e._tag).toBe(tag);
    expect(e.code).toBe(num);
    expect(e.context).toEqual({ target: 'db', errno: code });
  });

  it('looks through fetch-style wrappers to the socket error', () => {
    const wrapped = new TypeError('fetch failed', { cause: sysError('ECONNREFUSED') });
    expect(toDiveError(wrapped)._tag).toBe('NetworkUnreachableError');
  });

  it('maps aborts to CancelledError and passes DiveErrors through', () => {
    const controller = new AbortController();
    controller.abort();
    expect(toDiveError(controller.signal.reason)._tag).toBe('CancelledError');
    const original = new TimeoutError('x');
    expect(toDiveError(original)).toBe(original);
  });

  it('wraps anything else as UnexpectedError with the original as cause', () => {
    const e = toDiveError('a string was thrown');
    expect(e._tag).toBe('UnexpectedError');
    expect(e.code).toBe(8001);
    expect(e.message).toBe('a string was thrown');
    expect(toDiveError({ weird: true }).message).toBe('{"weird":true}');
    expect(toDiveError(new RangeError('bad')).cause).toBeInstanceOf(RangeError);
  });
});

describe('neverthrow helpers', () => {
  it('fromPromise never rejects', async () => {
    const r = await fromPromise(Promise.reject(sysError('ECONNREFUSED')), { op: 'x' });
    expect(r.isErr() && r.error._tag).toBe('NetworkUnreachableError');
    const ok = await fromPromise(Promise.resolve(5));
    expect(ok._unsafeUnwrap()).toBe(5);
  });

  it('tryAsync catches synchronous throws too', async () => {
    const r = await tryAsync(() => {
      throw sysError('ETIMEDOUT');
    });
    expect(r.isErr() && r.error._tag).toBe('TimeoutError');
  });

  it('trySync wraps a throwing function', () => {
    expect(trySync(() => JSON.parse('{') as unknown).isErr()).toBe(true);
    expect(trySync(() => 1)._unsafeUnwrap()).toBe(1);
  });
});
