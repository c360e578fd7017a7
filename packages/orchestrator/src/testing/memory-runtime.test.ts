import { afterAll, describe, expect, it, vi } from 'vitest';
import type { StartRequest } from '../runtime/types.js';
import { memoryRuntime } from './memory-runtime.js';
import { runtimeContract } from './runtime-contract.js';

const request = (service: string, extra: Partial<StartRequest> = {}): StartRequest => ({
  instance: 'TST',
  service,
  deploymentId: 'dep-1',
  configHash: 'h1',
  kind: 'service',
  env: {},
  ...extra,
});

describe('memoryRuntime: the runtime contract', () => {
  const runtime = memoryRuntime({
    behaviour: {
      'c-start': { logs: ['log line 1'] },
      'c-logs': { logs: ['log line 0', 'log line 1'] },
      'c-exit': { exitAfterMs: 0, exitCode: 3 },
      'c-dispose': { exitAfterMs: 0, exitCode: 3 },
    },
    missingImages: ['absent:1'],
  });
  afterAll(() => runtime[Symbol.asyncDispose]());
  const cases = runtimeContract({
    runtime,
    instance: 'MEM',
    logLine: 'log line 1',
    exitWithinMs: 1000,
    request: (kind, service) => ({
      ...request(service, { instance: 'MEM' }),
      ...(kind === 'fails' ? { container: { image: 'absent:1' } } : {}),
    }),
  });
  for (const c of cases) it(c.name, c.run);
});

describe('memoryRuntime: injected failures', () => {
  it('fails the first N starts of a service, then succeeds', async () => {
    const rt = memoryRuntime({ failFirst: { kc: 2 } });
    expect((await rt.start(request('kc')))._unsafeUnwrapErr()._tag).toBe('ContainerStartFailedError');
    expect((await rt.start(request('kc'))).isErr()).toBe(true);
    expect((await rt.start(request('kc'))).isOk()).toBe(true);
    expect((await rt.start(request('other'))).isOk()).toBe(true);
    expect(rt.startAttempts.get('kc')).toBe(3);
    rt.failNextStarts('other', 1);
    expect((await rt.start(request('other'))).isErr()).toBe(true);
  });

  it('fails with probability p from the injected random source', async () => {
    const values = [0.1, 0.5, 0.19, 0.2];
    const rt = memoryRuntime({ failRate: 0.2, random: () => values.shift() ?? 0.9 });
    const outcomes = [];
    for (let i = 0; i < 5; i++) outcomes.push((await rt.start(request(`s${i}`))).isOk());
    expect(outcomes).toEqual([false, true, false, true, true]);
    rt.setFailRate(1);
    expect((await rt.start(request('x'))).isErr()).toBe(true);
    expect(() => {
      rt.setFailRate(2);
    }).toThrow(RangeError);
    expect(() => memoryRuntime({ failRate: -0.1 })).toThrow(RangeError);
  });

  it('reports a missing image at preflight and start, with the image name', async () => {
    const rt = memoryRuntime();
    rt.setImageMissing('ghcr.io/x:1');
    const r = request('db', { container: { image: 'ghcr.io/x:1' } });
    const pre = (await rt.preflight([r]))._unsafeUnwrapErr();
    expect(pre._tag).toBe('ImageMissingError');
    expect(pre.message).toContain('ghcr.io/x:1');
    expect((await rt.start(r))._unsafeUnwrapErr().code).toBe(3004);
    rt.setImageMissing('ghcr.io/x:1', false);
    expect((await rt.start(r)).isOk()).toBe(true);
  });

  it('makes a service exit after T ms (fake clock) and a job complete with 0', async () => {
    vi.useFakeTimers();
    try {
      const rt = memoryRuntime({ behaviour: { web: { exitAfterMs: 500, exitCode: 7 } } });
      const web = (await rt.start(request('web')))._unsafeUnwrap();
      const job = (await rt.start(request('link', { kind: 'job' })))._unsafeUnwrap();
      const codes: number[] = [];
      rt.onExit(web, (s) => codes.push(s.exitCode));
      rt.onExit(job, (s) => codes.push(s.exitCode));
      await vi.advanceTimersByTimeAsync(0);
      expect(codes).toEqual([0]);
      await vi.advanceTimersByTimeAsync(499);
      expect((await rt.status(web))._unsafeUnwrap().state).toBe('running');
      await vi.advanceTimersByTimeAsync(1);
      expect(codes).toEqual([0, 7]);
      await rt[Symbol.asyncDispose]();
    } finally {
      vi.useRealTimers();
    }
  });

  it('takes startDelayMs per start and honours an aborted signal', async () => {
    vi.useFakeTimers();
    try {
      const rt = memoryRuntime({ startDelayMs: 100 });
      let done = false;
      const started = rt.start(request('a')).map(() => (done = true));
      await vi.advanceTimersByTimeAsync(99);
      expect(done).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      expect(done).toBe(true);
      expect((await started).isOk()).toBe(true);
      const ac = new AbortController();
      ac.abort();
      const p = rt.start(request('b', { signal: ac.signal }));
      await vi.advanceTimersByTimeAsync(100);
      expect((await p)._unsafeUnwrapErr()._tag).toBe('CancelledError');
    } finally {
      vi.useRealTimers();
    }
  });

  it('crashes a service on demand (exit), with OOM', async () => {
    const rt = memoryRuntime();
    const h = (await rt.start(request('db')))._unsafeUnwrap();
    const seen: unknown[] = [];
    rt.onExit(h, (s) => seen.push(s));
    expect(rt.exit('db', 137, { oomKilled: true })).toBe(true);
    expect(seen).toEqual([{ state: 'exited', exitCode: 137, oomKilled: true }]);
    expect(rt.exit('db')).toBe(false);
    expect((await rt.status(h))._unsafeUnwrap()).toMatchObject({ state: 'exited', oomKilled: true });
  });

  it('starts 1,000 services quickly', async () => {
    const rt = memoryRuntime();
    const handles = await Promise.all(Array.from({ length: 1000 }, (_, i) => rt.start(request(`s${i}`))));
    expect(handles.every((h) => h.isOk())).toBe(true);
    expect((await rt.list('TST'))._unsafeUnwrap()).toHaveLength(1000);
  });
});
