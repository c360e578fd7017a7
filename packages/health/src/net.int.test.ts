import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { createFakeClock, driveUntilSettled } from '@dive/errors/testing';
import { waitFor } from '@dive/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkAll, http as httpCheck, tcp, waitForHealthy, type HealthCheck } from './index.js';

let server: http.Server;
let hanging: net.Server;
let port = 0;
let hangPort = 0;
const sockets = new Set<net.Socket>();

beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.url === '/slow') {
      setTimeout(() => res.end('late'), 150);
      return;
    }
    res.statusCode = req.url === '/health' ? 200 : 503;
    res.end(req.headers['x-token'] ?? '');
  });
  // accepts TCP but never answers HTTP
  hanging = net.createServer((s) => sockets.add(s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  await new Promise<void>((r) => hanging.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
  hangPort = (hanging.address() as AddressInfo).port;
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await new Promise((r) => hanging.close(r));
});

describe('http and tcp on loopback', () => {
  it('http: status match, mismatch, localhost, timeout', async () => {
    expect((await httpCheck({ url: `http://localhost:${String(port)}/health` }).run()).status).toBe('healthy');
    const bad = await httpCheck({ url: `http://127.0.0.1:${String(port)}/nope` }).run();
    expect(bad.status).toBe('unhealthy');
    expect(bad.output).toMatch(/^503/);
    expect((await httpCheck({ url: `http://127.0.0.1:${String(port)}/nope`, expectStatus: [503] }).run()).status).toBe(
      'healthy',
    );
    const hung = await httpCheck({ url: `http://127.0.0.1:${String(hangPort)}/`, timeoutMs: 100 }).run();
    expect(hung.status).toBe('unhealthy');
    expect(hung.detail).toMatch(/within 100 ms/);
  });

  it('tcp: open port, closed port, localhost', async () => {
    expect((await tcp({ host: 'localhost', port }).run()).status).toBe('healthy');
    const closed = net.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const r = await tcp({ host: '127.0.0.1', port: closedPort }).run();
    expect(r.status).toBe('unhealthy');
    expect(r.detail).toMatch(/ECONNREFUSED/);
  });

  it('100 checks at concurrency 100: all run at once, the 10 hanging ones time out without holding up the 90', async () => {
    // Behaviour, not speed: the hanging checks' timeouts run on a fake clock that moves only once the 90 answering
    // checks are done, so a loaded machine cannot turn a slow answer into a timeout, and the 90 cannot have waited
    // for the 10.
    const clock = createFakeClock();
    let inFlight = 0;
    let maxInFlight = 0;
    let answered = 0;
    const counted = (check: HealthCheck): HealthCheck => ({
      name: check.name,
      async run(signal) {
        maxInFlight = Math.max(maxInFlight, ++inFlight);
        const r = await check.run(signal);
        inFlight -= 1;
        if (r.status === 'healthy') answered += 1;
        return r;
      },
    });
    const checks = Array.from({ length: 100 }, (_, i) =>
      counted(
        i % 10 === 0
          ? httpCheck({ url: `http://127.0.0.1:${String(hangPort)}/`, timeoutMs: 300, clock })
          : httpCheck({ url: `http://127.0.0.1:${String(port)}/slow`, timeoutMs: 300, clock }),
      ),
    );
    const pending = checkAll(checks, { concurrency: 100, deadlineMs: 5000, clock });
    await waitFor('the 90 answering checks', () => answered === 90, 30_000);
    expect(maxInFlight).toBe(100);
    expect(inFlight).toBe(10);
    clock.advance(300);
    const results = await pending;
    expect(results.filter((r) => r.status === 'healthy')).toHaveLength(90);
    const hung = results.filter((r) => r.status === 'unhealthy');
    expect(hung).toHaveLength(10);
    for (const r of hung) expect(r.detail).toMatch(/within 300 ms/);
  });

  it('checkAll deadline cuts off hanging checks as unknown', async () => {
    const clock = createFakeClock();
    let firstDone = false;
    const first = httpCheck({ url: `http://127.0.0.1:${String(port)}/health` });
    const checks: HealthCheck[] = [
      { name: first.name, run: (signal) => first.run(signal).finally(() => (firstDone = true)) },
      httpCheck({ url: `http://127.0.0.1:${String(hangPort)}/`, timeoutMs: 10_000, clock }),
    ];
    const pending = checkAll(checks, { concurrency: 1, deadlineMs: 200, clock });
    await waitFor('the first check', () => firstDone);
    clock.advance(200);
    expect((await pending).map((r) => r.status)).toEqual(['healthy', 'unknown']);
  });

  it('waitForHealthy on an http check resolves, and times out by its clock', async () => {
    const clock = createFakeClock();
    const ok = await waitForHealthy(httpCheck({ url: `http://127.0.0.1:${String(port)}/health` }), {
      deadlineMs: 2000,
      clock,
    });
    expect(ok.isOk()).toBe(true);
    let runs = 0;
    const failing = httpCheck({ url: `http://127.0.0.1:${String(port)}/x` });
    const counted: HealthCheck = { name: failing.name, run: (signal) => (runs++, failing.run(signal)) };
    const bad = await driveUntilSettled(clock, waitForHealthy(counted, { deadlineMs: 300, intervalMs: 50, clock }), {
      maxStepMs: 50,
    });
    expect(bad._unsafeUnwrapErr()._tag).toBe('HealthTimeoutError');
    expect(runs).toBeGreaterThanOrEqual(2);
  });
});
