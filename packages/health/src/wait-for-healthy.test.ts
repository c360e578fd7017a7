import { createFakeClock, driveUntilSettled } from '@dive/errors/testing';
import { describe, expect, it } from 'vitest';
import { custom, waitForHealthy } from './index.js';

describe('waitForHealthy on a check (injected fake clock)', () => {
  it('runs the check every intervalMs until healthy and reports the elapsed time by the clock', async () => {
    const clock = createFakeClock();
    const answers = [false, false, true];
    const check = custom('svc', () => Promise.resolve(answers.shift() ?? false));
    const r = await driveUntilSettled(clock, waitForHealthy(check, { clock, intervalMs: 100, deadlineMs: 60_000 }));
    expect(r._unsafeUnwrap()).toMatchObject({ target: 'svc', elapsedMs: 200, runningOnly: false });
  });

  it('times out at deadlineMs by the clock with the last outputs, or fails at the first unhealthy when asked', async () => {
    const clock = createFakeClock();
    const never = custom('svc', () => Promise.resolve({ status: 'unhealthy', detail: 'down' }));
    const timedOut = await driveUntilSettled(clock, waitForHealthy(never, { clock, intervalMs: 100, deadlineMs: 450 }));
    expect(timedOut._unsafeUnwrapErr()._tag).toBe('HealthTimeoutError');
    expect(clock.now()).toBe(450);
    expect(timedOut._unsafeUnwrapErr().context['lastOutputs']).toEqual(['down', 'down', 'down', 'down', 'down']);
    const failed = await waitForHealthy(never, { clock, failOnUnhealthy: true });
    expect(failed._unsafeUnwrapErr()._tag).toBe('HealthCheckFailedError');
  });

  it('an abort ends the wait with CancelledError', async () => {
    const clock = createFakeClock();
    const ac = new AbortController();
    const waiting = waitForHealthy(
      custom('svc', () => Promise.resolve(false)),
      { clock, signal: ac.signal },
    );
    clock.setTimeout(() => ac.abort(), 1_000);
    expect((await driveUntilSettled(clock, waiting))._unsafeUnwrapErr()._tag).toBe('CancelledError');
    expect(clock.now()).toBe(1_000);
  });
});
