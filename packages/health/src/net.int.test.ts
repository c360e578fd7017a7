import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkAll, http as httpCheck, tcp, waitForHealthy } from './index.js';

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

  it('100 checks at concurrency 100 with some hanging finish near the slowest single check', async () => {
    const checks = Array.from({ length: 100 }, (_, i) =>
      i % 10 === 0
        ? httpCheck({ url: `http://127.0.0.1:${String(hangPort)}/`, timeoutMs: 300 })
        : httpCheck({ url: `http://127.0.0.1:${String(port)}/slow`, timeoutMs: 1000 }),
    );
    const t0 = performance.now();
    const results = await checkAll(checks, { concurrency: 100, deadlineMs: 5000 });
    const elapsed = performance.now() - t0;
    expect(results.filter((r) => r.status === 'healthy')).toHaveLength(90);
    expect(results.filter((r) => r.status === 'unhealthy')).toHaveLength(10);
    expect(elapsed).toBeLessThan(300 * 1.2 + 200);
  });

  it('checkAll deadline cuts off hanging checks as unknown', async () => {
    const checks = [
      httpCheck({ url: `http://127.0.0.1:${String(port)}/health` }),
      httpCheck({ url: `http://127.0.0.1:${String(hangPort)}/`, timeoutMs: 10_000 }),
    ];
    const results = await checkAll(checks, { concurrency: 1, deadlineMs: 200 });
    expect(results.map((r) => r.status)).toEqual(['healthy', 'unknown']);
  });

  it('waitForHealthy on an http check resolves and times out', async () => {
    const ok = await waitForHealthy(httpCheck({ url: `http://127.0.0.1:${String(port)}/health` }), {
      deadlineMs: 2000,
    });
    expect(ok.isOk()).toBe(true);
    const bad = await waitForHealthy(httpCheck({ url: `http://127.0.0.1:${String(port)}/x` }), {
      deadlineMs: 300,
      intervalMs: 50,
    });
    expect(bad._unsafeUnwrapErr()._tag).toBe('HealthTimeoutError');
  });
});
