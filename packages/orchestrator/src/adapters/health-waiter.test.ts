import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DiveError } from '@dive/errors';
import { createFakeClock } from '@dive/errors/testing';
import { okAsync } from 'neverthrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../runtime/types.js';
import { memoryRuntime } from '../testing/memory-runtime.js';
import { createHealthWaiter } from './health-waiter.js';

let server: Server;
let healthy = false;
let port = 0;
beforeAll(async () => {
  server = createServer((_req, res) => {
    res.writeHead(healthy ? 200 : 503).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const request = (service: string, kind: 'service' | 'job' = 'service') => ({
  instance: 'USA',
  service,
  deploymentId: 'd',
  configHash: 'h',
  kind,
  env: {},
  process: { command: 'x' },
});

describe('createHealthWaiter', () => {
  it('waits for an HTTP check to turn healthy', async () => {
    healthy = false;
    const rt = memoryRuntime();
    const handle = (await rt.start(request('web')))._unsafeUnwrap();
    setTimeout(() => (healthy = true), 100);
    const r = await createHealthWaiter().wait(rt, handle, [{ type: 'http', url: `http://127.0.0.1:${port}/` }], {
      deadlineMs: 3_000,
      kind: 'service',
    });
    expect(r._unsafeUnwrap()).toBe('healthy');
  });

  it('times out with the last outputs', async () => {
    healthy = false;
    const rt = memoryRuntime();
    const handle = (await rt.start(request('web')))._unsafeUnwrap();
    const r = await createHealthWaiter().wait(rt, handle, [{ type: 'http', url: `http://127.0.0.1:${port}/` }], {
      deadlineMs: 200,
      kind: 'service',
    });
    const e = r._unsafeUnwrapErr();
    expect(e._tag).toBe('HealthTimeoutError');
    expect(String((e.context['lastHealthOutputs'] as string[]).at(-1))).toContain('503 Service Unavailable');
  });

  it('fails at once when the service exits, with its exit code and logs (no time passes on its clock)', async () => {
    const clock = createFakeClock();
    const rt = memoryRuntime({ behaviour: { crashy: { logs: ['boom'] } } });
    const handle = (await rt.start(request('crashy')))._unsafeUnwrap();
    const waiting = createHealthWaiter({ clock }).wait(rt, handle, [{ type: 'tcp', host: '127.0.0.1', port: 1 }], {
      deadlineMs: 5_000,
      kind: 'service',
    });
    await new Promise((r) => setImmediate(r));
    expect(rt.exit(handle.id, 3)).toBe(true);
    // The clock never moves: only the exit can end the wait (the deadline and the next poll are on the clock).
    const e = (await waiting)._unsafeUnwrapErr();
    expect(e._tag).toBe('ContainerExitedError');
    expect(e.context).toMatchObject({ exitCode: 3 });
    expect(clock.now()).toBe(0);
  });

  it('a job is completed when it exits 0', async () => {
    const rt = memoryRuntime();
    const handle = (await rt.start(request('migrate', 'job')))._unsafeUnwrap();
    const r = await createHealthWaiter().wait(rt, handle, [], { deadlineMs: 1_000, kind: 'job' });
    expect(r._unsafeUnwrap()).toBe('completed');
  });

  it('stops waiting on abort', async () => {
    const rt = memoryRuntime();
    const handle = (await rt.start(request('web')))._unsafeUnwrap();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    healthy = false;
    const r = await createHealthWaiter().wait(rt, handle, [{ type: 'http', url: `http://127.0.0.1:${port}/` }], {
      deadlineMs: 5_000,
      kind: 'service',
      signal: controller.signal,
    });
    expect(r._unsafeUnwrapErr()._tag).toBe('CancelledError');
  });

  /** Poll times of a service that never runs, waited on for 100 ms of the fake clock. */
  async function pollTimes(options: Parameters<typeof createHealthWaiter>[0]): Promise<{ at: number[]; e: DiveError }> {
    const clock = createFakeClock();
    const base = memoryRuntime();
    const handle = (await base.start(request('web')))._unsafeUnwrap();
    const at: number[] = [];
    // A service that never runs: every poll's first layer answers unhealthy at once, with no I/O.
    const rt: Runtime = {
      ...base,
      status: () => {
        at.push(clock.now());
        return okAsync({ state: 'missing' as const });
      },
    };
    const waiting = createHealthWaiter({ ...options, clock }).wait(rt, handle, [], {
      deadlineMs: 100,
      kind: 'service',
    });
    for (let t = 0; t < 100; t++) {
      await new Promise((r) => setImmediate(r));
      clock.advance(1);
    }
    await new Promise((r) => setImmediate(r));
    return { at, e: (await waiting)._unsafeUnwrapErr() };
  }

  it('polls fast first and backs off (10, 15, 23, 35 … ms), and times out on the injected clock', async () => {
    const { at, e } = await pollTimes({ localMaxIntervalMs: 100 });
    expect(e._tag).toBe('HealthTimeoutError');
    expect(at).toEqual([0, 10, 25, 48, 83]);
    expect(String((e.context['lastHealthOutputs'] as string[]).at(-1))).toContain('unhealthy');
  });

  it('polls a runtime without Docker (local processes) at most every 20 ms by default', async () => {
    const { at, e } = await pollTimes({});
    expect(e._tag).toBe('HealthTimeoutError');
    expect(at).toEqual([0, 10, 25, 45, 65, 85]);
  });

  it('rejects nonsense intervals at construction', () => {
    expect(() => createHealthWaiter({ minIntervalMs: 0 })).toThrow(RangeError);
    expect(() => createHealthWaiter({ minIntervalMs: 50, maxIntervalMs: 10 })).toThrow(RangeError);
    expect(() => createHealthWaiter({ minIntervalMs: 50, localMaxIntervalMs: 10 })).toThrow(RangeError);
  });
});
