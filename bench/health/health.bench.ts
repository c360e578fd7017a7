/**
 * @dive/health side by side with testcontainers-node's own health-check wait strategy
 * (`Wait.forHealthCheck().waitUntilReady(container)`, which inspects the container every 100 ms), on the same
 * containers at the same time. Its Docker API calls are counted by wrapping the container object it is handed.
 * testcontainers' Ryuk reaper is disabled (it would need a bridge network); no container is started by it.
 * Run: npx tsx --tsconfig tsconfig.json bench/health/health.bench.ts   (from the repo root; Docker must run)
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkAll, createDockerHealthWatcher, http as httpCheck, waitForHealthy } from '@dive/health';
import { dockerClient, runTestContainer, type TestContainer } from '@dive/test-utils';
import type Docker from 'dockerode';
import { BoundPorts, Wait } from 'testcontainers';
import { machine, percentile } from '../lib/harness.js';

const docker = dockerClient();
const TESTCONTAINERS_VERSION = (
  JSON.parse(readFileSync(new URL('../node_modules/testcontainers/package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;
const out: string[] = [`Machine: ${machine()}, Docker ${(await docker.version()).Version}`, ''];
const nowNs = (): bigint => process.hrtime.bigint() - hrOffset;
// hrtime → wall-clock nanoseconds, to compare with Docker's event timeNano
const hrOffset = process.hrtime.bigint() - BigInt(Date.now()) * 1_000_000n;

// No reaper (it would need a bridge network), and no host lookup (it inspects the `bridge` network, absent here:
// dockerd runs with --bridge=none).
process.env['TESTCONTAINERS_RYUK_DISABLED'] = 'true';
process.env['TESTCONTAINERS_HOST_OVERRIDE'] ??= 'localhost';

/** testcontainers' HealthCheckWaitStrategy itself, on a container whose `inspect` calls are counted. */
async function testcontainersWait(c: Docker.Container, counter: { calls: number }): Promise<bigint> {
  const counted = {
    id: c.id,
    inspect: () => {
      counter.calls++;
      return c.inspect();
    },
  } as unknown as Docker.Container;
  await Wait.forHealthCheck().withStartupTimeout(60_000).waitUntilReady(counted, new BoundPorts());
  return nowNs();
}

/** The daemon's `health_status: healthy` event time (ns) per container id, from a separate raw stream. */
async function healthyEventTimes(): Promise<{
  times: Map<string, bigint>;
  received: Map<string, bigint>;
  stop: () => void;
}> {
  const times = new Map<string, bigint>();
  const received = new Map<string, bigint>();
  const s = (await docker.getEvents({
    filters: { type: ['container'], event: ['health_status'] },
  })) as unknown as NodeJS.ReadableStream & { destroy(): void };
  let buf = '';
  s.on('data', (b: Buffer) => {
    buf += b.toString();
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0) {
      const ev = JSON.parse(buf.slice(0, i)) as { id: string; status: string; timeNano: number };
      buf = buf.slice(i + 1);
      if (ev.status === 'health_status: healthy' && !times.has(ev.id)) {
        times.set(ev.id, BigInt(ev.timeNano));
        received.set(ev.id, nowNs());
      }
    }
  });
  return { times, received, stop: () => s.destroy() };
}

async function scenario(n: number, intervalMs: number, healthAfter: number): Promise<void> {
  const events = await healthyEventTimes();
  await using watcher = createDockerHealthWatcher({ docker, reconcileMs: 5000 });
  const cs: TestContainer[] = [];
  try {
    for (let i = 0; i < n; i += 10) {
      cs.push(
        ...(await Promise.all(
          Array.from({ length: Math.min(10, n - i) }, () =>
            // a start period longer than the flip: the status goes starting → healthy, never unhealthy (which
            // testcontainers' strategy treats as a failure)
            runTestContainer(docker, {
              healthMode: 'flip',
              healthAfter,
              healthIntervalMs: intervalMs,
              healthStartPeriodMs: (healthAfter + 30) * 1000,
            }),
          ),
        )),
      );
    }
    const poll = { calls: 0 };
    const t0 = performance.now();
    const waitStartNs = nowNs();
    const [dive, polled] = await Promise.all([
      Promise.all(
        cs.map(async (c) => {
          const r = await waitForHealthy({ docker, container: c.id }, { watcher, deadlineMs: 60_000 });
          if (r.isErr()) throw r.error;
          return nowNs();
        }),
      ),
      Promise.all(cs.map((c) => testcontainersWait(c.container, poll))),
    ]);
    const waitedS = (performance.now() - t0) / 1000;
    // only containers that turned healthy after the wait began (the others were healthy before anyone waited)
    const counted = cs.flatMap((c, i) => {
      const ev = events.times.get(c.id);
      const rx = events.received.get(c.id);
      return ev !== undefined && rx !== undefined && ev > waitStartNs ? [{ i, ev, rx }] : [];
    });
    // from Docker's event timestamp (daemon clock; ±1 ms against ours) and from a raw stream's receipt in this process
    const lat = (done: bigint[]): number[] => counted.map(({ i, ev }) => Number((done[i] ?? 0n) - ev) / 1e6);
    const latRx = (done: bigint[]): number[] => counted.map(({ i, rx }) => Number((done[i] ?? 0n) - rx) / 1e6);
    const d = lat(dive);
    const p = lat(polled);
    const dr = latRx(dive);
    const pr = latRx(polled);
    const f = (x: number): string => `${x.toFixed(1)} ms`;
    out.push(
      `### ${String(n)} containers (HEALTHCHECK every ${String(intervalMs)} ms, healthy after ${String(healthAfter)} s; waited ${waitedS.toFixed(1)} s; latency over the ${String(counted.length)} that turned healthy during the wait)`,
      '',
      '| contender | event time → resolved p50 | p95 | max | event received → resolved p95 | Docker API calls |',
      '|---|---:|---:|---:|---:|---:|',
      `| @dive/health waitForHealthy (one event stream) | ${f(percentile(d, 50))} | ${f(percentile(d, 95))} | ${f(Math.max(...d))} | ${f(percentile(dr, 95))} | ${String(watcher.apiCalls())} |`,
      `| testcontainers ${TESTCONTAINERS_VERSION} Wait.forHealthCheck() | ${f(percentile(p, 50))} | ${f(percentile(p, 95))} | ${f(Math.max(...p))} | ${f(percentile(pr, 95))} | ${String(poll.calls)} |`,
      '',
    );
  } finally {
    events.stop();
    await Promise.all(cs.map((c) => c.remove()));
  }
}

await scenario(10, 250, 3);
await scenario(50, 500, 10);

// 100 checks, concurrency 100: endpoints answering after 0–200 ms, ten of them hanging past a 300 ms timeout
const server = http.createServer((req, res) => {
  const ms = Number(req.url?.slice(1) ?? '0');
  if (ms >= 0) setTimeout(() => res.end('ok'), ms);
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const port = (server.address() as AddressInfo).port;
const checks = Array.from({ length: 100 }, (_, i) =>
  httpCheck({
    url: `http://127.0.0.1:${String(port)}/${String(i % 10 === 0 ? 10_000 : (i * 2) % 200)}`,
    timeoutMs: 300,
  }),
);
const single = performance.now();
await checks[0]?.run();
const slowest = performance.now() - single;
const rounds: number[] = [];
for (let r = 0; r < 5; r++) {
  const t = performance.now();
  await checkAll(checks, { concurrency: 100, deadlineMs: 5000 });
  rounds.push(performance.now() - t);
}
server.closeAllConnections();
server.close();
const med = percentile(rounds, 50);
out.push(
  '### 100 checks, concurrency 100 (10 hang past their 300 ms timeout)',
  '',
  `| slowest single check | checkAll median of 5 | ratio |`,
  '|---:|---:|---:|',
  `| ${slowest.toFixed(1)} ms | ${med.toFixed(1)} ms | ${(med / slowest).toFixed(2)}× |`,
);
console.log(out.join('\n'));
