import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { checkAll, custom, http as httpCheck, layered, waitForHealthy } from './index.js';

let server: http.Server;
let port = 0;
beforeAll(async () => {
  server = http.createServer((_req, res) => res.end('ok'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

it('README quick example', async () => {
  const maintenance = false;
  // --- README example start
  // the first conclusive answer wins: `unknown` ("cannot tell") falls through to the next layer
  const api = layered([
    custom('maintenance flag', () => Promise.resolve(maintenance ? 'unhealthy' : 'unknown')),
    httpCheck({ url: `http://localhost:${String(port)}/health`, timeoutMs: 500 }),
  ]);
  const ready = await waitForHealthy(api, { deadlineMs: 10_000 });
  if (ready.isErr()) throw ready.error; // HealthTimeoutError | CancelledError | …
  const [result] = await checkAll([api], { concurrency: 10, deadlineMs: 2000 });
  // --- README example end
  expect(result?.status).toBe('healthy');
  expect(result?.check).toMatch(/: http GET /);
});
