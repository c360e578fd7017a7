// 1 vs 50 server-sent-event clients on one dashboard while a deployment is written by another store on the same
// directory (as another process would): delivery latency (write → event at each client), event-loop delay of the
// dashboard's process, memory. Medians of 3 rounds. Run:
//   npx tsx --tsconfig tsconfig.json bench/dashboard/sse-clients.bench.ts
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createDashboard } from '@dive/dashboard';
import { createFileStateStore } from '@dive/state-db';
import { openEvents, serve, stop } from '../../packages/dashboard/src/test-support/http.js';

const KEY = 'b'.repeat(64);
const SERVICES = ['postgres', 'mongodb', 'redis', 'opa', 'keycloak', 'backend', 'frontend', 'kas', 'opal'];
const STATES = ['INITIALIZING', 'DEPLOYING', 'CONFIGURING', 'VERIFYING', 'COMPLETE'] as const;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.ceil(xs.length * 0.95) - 1] ?? NaN;

async function round(clients: number, n: number) {
  const dir = mkdtempSync(join(tmpdir(), 'dive-bench-dashboard-'));
  const writer = createFileStateStore({ dir, auditKey: KEY });
  const dashboard = createDashboard({ state: { store: createFileStateStore({ dir, auditKey: KEY }) } });
  const { url, server } = await serve(dashboard);
  await dashboard.ready;
  global.gc?.();
  const rss0 = process.memoryUsage().rss;
  const streams = await Promise.all(Array.from({ length: clients }, () => openEvents(url)));
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  const written = new Map<string, number>();
  const opts = { fencingToken: 1, reason: 'bench', actor: 'bench', deploymentId: `dep-${n}` };
  let expected = 0;
  for (const [i, s] of STATES.entries()) {
    written.set(`t:${i + 1}`, Date.now());
    (await writer.transition('USA', s, opts))._unsafeUnwrap();
    expected++;
    if (s === 'DEPLOYING')
      for (const svc of SERVICES)
        for (const status of ['running', 'succeeded'] as const) {
          written.set(`s:${svc}:${status}`, Date.now());
          (
            await writer.recordStep({
              deploymentId: `dep-${n}`,
              instance: 'USA',
              step: `service:${svc}`,
              status,
              startedAt: 1,
              ...(status === 'succeeded' ? { endedAt: 2 } : {}),
            })
          )._unsafeUnwrap();
          expected++;
          await sleep(20);
        }
  }
  const deadline = Date.now() + 20_000;
  while (streams.some((s) => s.events.length < expected) && Date.now() < deadline) await sleep(10);
  const rss1 = process.memoryUsage().rss;
  h.disable();
  const delivered = streams.reduce((a, s) => a + s.events.length, 0);
  for (const s of streams) s.close();
  await stop(server);
  await dashboard.close();
  rmSync(dir, { recursive: true, force: true });
  return {
    delivered,
    expected: expected * clients,
    rssMb: (rss1 - rss0) / 1e6,
    loopP99Ms: h.percentile(99) / 1e6,
    loopMaxMs: h.max / 1e6,
  };
}

/** Delivery latency needs receive times: measured separately with timestamps on one client. */
async function latency(clients: number) {
  const dir = mkdtempSync(join(tmpdir(), 'dive-bench-dashboard-'));
  const writer = createFileStateStore({ dir, auditKey: KEY });
  const dashboard = createDashboard({ state: { store: createFileStateStore({ dir, auditKey: KEY }) } });
  const { url, server } = await serve(dashboard);
  await dashboard.ready;
  const streams = await Promise.all(Array.from({ length: clients }, () => openEvents(url)));
  const out: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t0 = Date.now();
    (
      await writer.recordStep({ deploymentId: 'lat', instance: 'USA', step: `s${i}`, status: 'running', startedAt: 1 })
    )._unsafeUnwrap();
    if (i === 0)
      (
        await writer.transition('USA', 'INITIALIZING', {
          fencingToken: 1,
          reason: 'b',
          actor: 'b',
          deploymentId: 'lat',
        })
      )._unsafeUnwrap();
    const want = (s: { events: unknown[] }) => s.events.length >= (i === 0 ? 1 : i + 2);
    while (!streams.every(want)) await sleep(1);
    out.push(Date.now() - t0);
  }
  for (const s of streams) s.close();
  await stop(server);
  await dashboard.close();
  rmSync(dir, { recursive: true, force: true });
  return out;
}

for (const clients of [1, 50]) {
  const rounds = [];
  for (let n = 0; n < 3; n++) rounds.push(await round(clients, n));
  const lat = await latency(clients);
  console.log(
    `${clients} client(s): delivered ${rounds.map((r) => `${r.delivered}/${r.expected}`).join(', ')}; ` +
      `RSS +${median(rounds.map((r) => r.rssMb)).toFixed(1)} MB; event-loop delay p99 ${median(rounds.map((r) => r.loopP99Ms)).toFixed(1)} ms, ` +
      `max ${median(rounds.map((r) => r.loopMaxMs)).toFixed(1)} ms; write→all clients p50 ${median(lat)} ms, p95 ${p95(lat)} ms`,
  );
}
