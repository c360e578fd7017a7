import { describe, expect, it } from 'vitest';
import { withTimeout } from './index.js';
import { createFakeClock } from './testing/index.js';

describe('withTimeout', () => {
  it('returns the value and clears its timer when fn settles first', async () => {
    const clock = createFakeClock();
    const r = await withTimeout(() => Promise.resolve(3), 1000, { clock });
    expect(r._unsafeUnwrap()).toBe(3);
    expect(clock.pendingTimers()).toBe(0);
  });
  it('times out with TimeoutError (2001) and aborts the signal it handed to fn', async () => {
    const clock = createFakeClock();
    let seen: AbortSignal | undefined;
    const result = withTimeout((signal) => ((seen = signal), new Promise<never>(() => undefined)), 500, { clock });
    clock.advance(499);
    expect(seen?.aborted).toBe(false);
    clock.advance(1);
    const e = (await result)._unsafeUnwrapErr();
    expect([e._tag, e.code, e.context['timeoutMs']]).toEqual(['TimeoutError', 2001, 500]);
    expect(seen?.aborted).toBe(true);
  });
  it("forwards a caller's abort; fn's rejection becomes CancelledError; no timer left", async () => {
    const clock = createFakeClock();
    const controller = new AbortController();
    const result = withTimeout(
      (signal) =>
        new Promise<never>((_, reject) =>
          signal.addEventListener('abort', () => reject(new DOMException('x', 'AbortError'))),
        ),
      1000,
      { clock, signal: controller.signal },
    );
    controller.abort();
    expect((await result)._unsafeUnwrapErr()._tag).toBe('CancelledError');
    expect(clock.pendingTimers()).toBe(0);
  });
  it('throws RangeError on a bad deadline', () => {
    expect(() => withTimeout(() => Promise.resolve(1), 0)).toThrow(RangeError);
  });
});

describe('withTimeout with a ResultAsync', () => {
  it("returns fn's own error value and leaves no timer", async () => {
    const { errAsync } = await import('neverthrow');
    const clock = createFakeClock();
    const r = await withTimeout(() => errAsync({ _tag: 'Mine' as const }), 1000, { clock });
    expect(r._unsafeUnwrapErr()).toEqual({ _tag: 'Mine' });
    expect(clock.pendingTimers()).toBe(0);
  });
  it('an already aborted caller signal reaches fn aborted', async () => {
    let seen: boolean | undefined;
    await withTimeout((s) => ((seen = s.aborted), Promise.resolve(1)), 1000, {
      clock: createFakeClock(),
      signal: AbortSignal.abort(),
    });
    expect(seen).toBe(true);
  });
});

describe('withTimeout with a fn that declares no parameter', () => {
  it('keeps the deadline: TimeoutError at the deadline, no timer left afterwards', async () => {
    const clock = createFakeClock();
    const result = withTimeout(() => new Promise<never>(() => undefined), 200, { clock });
    clock.advance(200);
    const e = (await result)._unsafeUnwrapErr();
    expect([e._tag, e.context['timeoutMs']]).toEqual(['TimeoutError', 200]);
    expect(clock.pendingTimers()).toBe(0);
  });
  it('maps a throw and a rejection to a DiveError, clearing the timer', async () => {
    const clock = createFakeClock();
    const thrown = await withTimeout(
      () => {
        throw new Error('sync');
      },
      100,
      { clock },
    );
    const rejected = await withTimeout(() => Promise.reject(new Error('async')), 100, { clock });
    expect(thrown._unsafeUnwrapErr().message).toContain('sync');
    expect(rejected._unsafeUnwrapErr().message).toContain('async');
    expect(clock.pendingTimers()).toBe(0);
  });
  it('every fn receives the signal (no source inspection), and a caller signal is honoured', async () => {
    const clock = createFakeClock();
    let viaRest: unknown;
    await withTimeout((...args: unknown[]) => ((viaRest = args[0]), Promise.resolve(1)), 100, { clock });
    expect(viaRest).toBeInstanceOf(AbortSignal);
    const controller = new AbortController();
    const pending = withTimeout(() => new Promise<never>(() => undefined), 100, { clock, signal: controller.signal });
    clock.advance(100);
    expect((await pending)._unsafeUnwrapErr()._tag).toBe('TimeoutError');
  });
});
