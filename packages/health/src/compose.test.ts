import { createFakeClock, driveUntilSettled } from '@dive/errors/testing';
import { describe, expect, it, vi } from 'vitest';
import { checkAll, custom, demuxDockerLogs, layered, probe, type HealthStatus, type ProbeStatus } from './index.js';

/** Let pending promise callbacks run (a check's answer) without moving time. */
const flush = async (): Promise<void> => {
  for (let i = 0; i < 10; i += 1) await Promise.resolve();
};

describe('custom and layered', () => {
  it('custom maps booleans, statuses and throws', async () => {
    expect((await custom('a', () => Promise.resolve(true)).run()).status).toBe('healthy');
    expect((await custom('b', () => Promise.resolve('starting')).run()).status).toBe('starting');
    const thrown = await custom('c', () => Promise.reject(new Error('boom'))).run();
    expect(thrown).toMatchObject({ status: 'unhealthy', check: 'c', detail: 'boom' });
  });

  const answer = (name: string, status: HealthStatus) => {
    const run = vi.fn(() => Promise.resolve(status));
    return { check: custom(name, run), run };
  };

  it.each([
    // [layers' answers, verdict, deciding layer, layers run]
    [['healthy', 'unhealthy'], 'healthy', 'L0', 1],
    [['unhealthy', 'healthy'], 'unhealthy', 'L0', 1],
    [['starting', 'healthy'], 'starting', 'L0', 1],
    [['unknown', 'healthy'], 'healthy', 'L1', 2],
    [['unknown', 'unknown', 'unhealthy'], 'unhealthy', 'L2', 3],
    [['unknown', 'unknown'], 'unknown', undefined, 2],
  ] as const)('layered %j: the first conclusive answer wins → %s', async (answers, verdict, decider, ran) => {
    const layers = answers.map((a, i) => answer(`L${String(i)}`, a));
    const r = await layered(layers.map((l) => l.check)).run();
    expect(r.status).toBe(verdict);
    if (decider !== undefined) expect(r.check).toMatch(new RegExp(`: ${decider}$`));
    expect(layers.filter((l) => l.run.mock.calls.length > 0)).toHaveLength(ran);
  });

  it('layered with no layers is unknown', async () => {
    expect((await layered([]).run()).status).toBe('unknown');
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

describe('probe and checkAll (injected fake clock)', () => {
  it('Kubernetes thresholds, faster start-up period, then steady period', async () => {
    const answers = [false, true, true, false, false, false];
    const fn = vi.fn(() => Promise.resolve(answers.shift() ?? false));
    const seen: ProbeStatus[] = [];
    const clock = createFakeClock();
    const step = async (ms: number): Promise<void> => {
      clock.advance(ms);
      await flush();
    };
    using p = probe(custom('svc', fn), {
      clock,
      periodMs: 10_000,
      startupPeriodMs: 1000,
      successThreshold: 2,
      failureThreshold: 3,
    });
    p.onChange((s) => seen.push(s));
    await step(0); // initial run: fail
    expect(p.status()).toBe('starting');
    await step(1000); // success 1
    expect(p.status()).toBe('starting');
    await step(1000); // success 2 → healthy
    expect(p.status()).toBe('healthy');
    expect(fn).toHaveBeenCalledTimes(3);
    await step(9_999); // steady period now 10 s
    expect(fn).toHaveBeenCalledTimes(3);
    for (const ms of [1, 10_000, 10_000]) await step(ms); // three failures
    expect(p.status()).toBe('unhealthy');
    expect(seen).toEqual(['healthy', 'unhealthy']);
  });

  it('a run longer than timeoutMs is a failure', async () => {
    const never = custom('hang', () => new Promise<boolean>(() => undefined));
    const clock = createFakeClock();
    using p = probe(never, { clock, timeoutMs: 500, failureThreshold: 1, startupPeriodMs: 1000 });
    clock.advance(0);
    clock.advance(500);
    await flush();
    expect(p.status()).toBe('unhealthy');
    expect(p.lastResult()?.detail).toMatch(/timed out after 500 ms/);
  });

  it('checkAll keeps order and reports cut-off checks as unknown at the deadline', async () => {
    const clock = createFakeClock();
    const slow = custom('slow', () => new Promise<boolean>((r) => clock.setTimeout(() => r(true), 5000)));
    const quick = custom('quick', () => Promise.resolve(true));
    const r = await driveUntilSettled(clock, checkAll([slow, quick], { clock, concurrency: 2, deadlineMs: 1000 }));
    expect(clock.now()).toBe(1000);
    expect(r.map((x) => `${x.check}:${x.status}`)).toEqual(['slow:unknown', 'quick:healthy']);
  });
});
