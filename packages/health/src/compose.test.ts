import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { checkAll, custom, demuxDockerLogs, layered, probe, type ProbeStatus } from './index.js';

describe('custom and layered', () => {
  it('custom maps booleans, statuses and throws', async () => {
    expect((await custom('a', () => Promise.resolve(true)).run()).status).toBe('healthy');
    expect((await custom('b', () => Promise.resolve('starting')).run()).status).toBe('starting');
    const thrown = await custom('c', () => Promise.reject(new Error('boom'))).run();
    expect(thrown).toMatchObject({ status: 'unhealthy', check: 'c', detail: 'boom' });
  });

  it('layered: first conclusive answer wins, unknown falls through, later levels skipped', async () => {
    const later = vi.fn(() => Promise.resolve(true));
    const r = await layered([
      custom('exists', () => Promise.resolve(true)),
      custom('docker', () => Promise.resolve({ status: 'unhealthy', detail: 'exited' })),
      custom('endpoint', later),
    ]).run();
    expect(r.status).toBe('unhealthy');
    expect(r.check).toContain('docker');
    expect(later).not.toHaveBeenCalled();
    const fell = await layered([
      custom('docker', () => Promise.resolve('unknown')),
      custom('http', () => Promise.resolve(true)),
    ]).run();
    expect(fell.status).toBe('healthy');
    expect((await layered([custom('docker', () => Promise.resolve('unknown'))]).run()).status).toBe('unknown');
  });
});

describe('demuxDockerLogs', () => {
  it('strips 8-byte frame headers from stdout and stderr frames', () => {
    const frame = (t: number, s: string): Buffer => {
      const h = Buffer.alloc(8);
      h[0] = t;
      h.writeUInt32BE(Buffer.byteLength(s), 4);
      return Buffer.concat([h, Buffer.from(s)]);
    };
    expect(demuxDockerLogs(Buffer.concat([frame(1, 'out\n'), frame(2, 'err\n')]))).toBe('out\nerr\n');
    expect(demuxDockerLogs(Buffer.from('plain tty text\n'))).toBe('plain tty text\n');
  });
});

describe('probe (fake clock)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('Kubernetes thresholds, faster start-up period, then steady period', async () => {
    const answers = [false, true, true, false, false, false];
    const fn = vi.fn(() => Promise.resolve(answers.shift() ?? false));
    const seen: ProbeStatus[] = [];
    using p = probe(custom('svc', fn), {
      periodMs: 10_000,
      startupPeriodMs: 1000,
      successThreshold: 2,
      failureThreshold: 3,
    });
    p.onChange((s) => seen.push(s));
    await vi.advanceTimersByTimeAsync(0); // initial run: fail
    expect(p.status()).toBe('starting');
    await vi.advanceTimersByTimeAsync(1000); // success 1
    expect(p.status()).toBe('starting');
    await vi.advanceTimersByTimeAsync(1000); // success 2 → healthy
    expect(p.status()).toBe('healthy');
    expect(fn).toHaveBeenCalledTimes(3);
    await vi.advanceTimersByTimeAsync(9_999); // steady period now 10 s
    expect(fn).toHaveBeenCalledTimes(3);
    await vi.advanceTimersByTimeAsync(1 + 20_000); // three failures
    expect(p.status()).toBe('unhealthy');
    expect(seen).toEqual(['healthy', 'unhealthy']);
  });

  it('a run longer than timeoutMs is a failure', async () => {
    const never = custom('hang', () => new Promise<boolean>(() => undefined));
    using p = probe(never, { timeoutMs: 500, failureThreshold: 1, startupPeriodMs: 1000 });
    await vi.advanceTimersByTimeAsync(500);
    expect(p.status()).toBe('unhealthy');
    expect(p.lastResult()?.detail).toMatch(/timed out after 500 ms/);
  });

  it('checkAll keeps order and reports cut-off checks as unknown at the deadline', async () => {
    const slow = custom('slow', () => new Promise<boolean>((r) => setTimeout(() => r(true), 5000)));
    const quick = custom('quick', () => Promise.resolve(true));
    const pending = checkAll([slow, quick], { concurrency: 2, deadlineMs: 1000 });
    await vi.advanceTimersByTimeAsync(1000);
    const r = await pending;
    expect(r.map((x) => `${x.check}:${x.status}`)).toEqual(['slow:unknown', 'quick:healthy']);
  });
});
