import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { checkAll, http as httpCheck, layered, tcp, waitForHealthy } from './index.js';

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
  // --- README example start
  const api = layered([
    tcp({ host: 'localhost', port }),
    httpCheck({ url: `http://localhost:${String(port)}/health`, timeoutMs: 500 }),
  ]);
  const ready = await waitForHealthy(api, { deadlineMs: 10_000 });
  if (ready.isErr()) throw ready.error; // HealthTimeoutError | CancelledError | …
  const [result] = await checkAll([api], { concurrency: 10, deadlineMs: 2000 });
  // --- README example end
  expect(result?.status).toBe('healthy');
});
