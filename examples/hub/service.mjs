#!/usr/bin/env node
// A stand-in for one service of the DIVE hub (postgres, keycloak, backend, …): an HTTP server on loopback that
// answers GET /health with 503 until it has "started" (START_DELAY_MS), then 200. Set FAIL=1 to make it exit
// during start-up (to see a rollback), FAIL=unhealthy to make it stay unhealthy.
import { createServer } from 'node:http';

const name = process.env.SERVICE_NAME ?? 'service';
const port = Number(process.env.PORT ?? 0);
const delay = Number(process.env.START_DELAY_MS ?? 300);
const fail = process.env.FAIL ?? '';
const started = Date.now();
let ready = false;

const server = createServer((req, res) => {
  if (req.url === '/health') {
    const ok = ready && fail !== 'unhealthy';
    res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ service: name, status: ok ? 'ok' : 'starting', uptimeMs: Date.now() - started }));
    return;
  }
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end(`${name} is running\n`);
});

server.listen(port, '127.0.0.1', () => {
  console.log(`${name} listening on 127.0.0.1:${port}, ready in ${delay} ms`);
  setTimeout(() => {
    if (fail === '1') {
      console.error(`${name}: failing on purpose (FAIL=1)`);
      process.exit(3);
    }
    ready = true;
    console.log(`${name} ready`);
  }, delay);
});

const stop = (signal) => {
  console.log(`${name} stopping on ${signal}`);
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 1000).unref();
};
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
