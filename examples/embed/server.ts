/**
 * Embedding the SDK: a control-plane service with its own prom-client Registry. `POST /deploy/<INSTANCE>` runs
 * orchestrate() (here on the in-memory runtime, to stay self-contained), and `GET /metrics` serves the service's own
 * metrics and the dive_* set from the same Registry. The live dashboard is mounted at `/dive` (loopback only, read-only).
 */
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Counter, Registry } from 'prom-client';
import { createDashboard } from '@dive/dashboard';
import { createMetrics } from '@dive/metrics';
import { fileState, orchestrate, type Topology } from '@dive/orchestrator';
import { memoryRuntime } from '@dive/orchestrator/testing';

const topology = (instance: string): Topology => ({
  instance,
  services: {
    db: { process: { command: 'db' } },
    api: { process: { command: 'api' }, dependsOn: ['db'] },
  },
});

/** The running service; `close` stops it and removes its state directory. */
export interface EmbedServer {
  readonly server: Server;
  readonly url: string;
  /** The deployments' state (a temporary directory: this example keeps nothing across restarts). */
  readonly stateDir: string;
  close(): Promise<void>;
}

/** Start the service on a port (0: any free one). */
export async function startServer(port = 0): Promise<EmbedServer> {
  const registry = new Registry();
  const requests = new Counter({ name: 'embed_requests_total', help: 'Requests served.', registers: [registry] });
  const metrics = createMetrics({ registry }); // dive_* lands on the service's own Registry
  const stateDir = mkdtempSync(join(tmpdir(), 'dive-embed-'));
  const state = fileState(stateDir);
  const runtime = memoryRuntime();
  const dashboard = createDashboard({ state, prefix: '/dive' });
  const server = createServer((req, res) => {
    requests.inc();
    if (req.url === '/dive' || req.url?.startsWith('/dive/') === true) {
      dashboard(req, res);
      return;
    }
    const deploy = /^\/deploy\/([A-Z]{3})$/.exec(req.url ?? '');
    if (req.method === 'POST' && deploy) {
      void orchestrate(topology(deploy[1] ?? 'USA'), { runtime, state, metrics }).then((r) => {
        res.writeHead(r.isOk() && r.value.success ? 200 : 500, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify(
            r.isOk() ? { status: r.value.status, durationMs: r.value.durationMs } : { error: r.error.toJSON() },
          ),
        );
      });
      return;
    }
    if (req.url === '/metrics') {
      void registry.metrics().then((text) => {
        res.writeHead(200, { 'content-type': registry.contentType });
        res.end(text);
      });
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : port}`;
  return {
    server,
    url,
    stateDir,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await dashboard.close();
      await state[Symbol.asyncDispose]();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

if (process.argv[1]?.endsWith('server.ts') === true) {
  const { url } = await startServer(Number(process.env['PORT'] ?? 8088));
  process.stdout.write(`listening on ${url}: POST ${url}/deploy/USA, GET ${url}/metrics\n`);
}
