/**
 * As-soon-as-ready on local processes (issue 14: wall time ≤ 1.05 × critical path + 150 ms; was +250–410 ms for a
 * 2-service path of 2.2 s): `api` depends on `db`; each is a node process that listens on a port (its TCP health
 * check) 1.2 s and 1.0 s after it starts. Each service writes down when it started listening, counted from its own
 * process start (so node's start-up on a loaded machine is in the critical path, not in our overhead):
 *   critical path = db's time to listening + api's time to listening
 *   overhead      = orchestrate() wall time (state, runtime and all, from before they are made) − critical path
 * with a breakdown: before db's spawn, db listening → api spawned (health detection + start), api listening →
 * orchestrate() returned. process-compose is not installed here, so no peer column. ROUNDS (default 7), medians.
 *
 *   npx tsx --tsconfig tsconfig.json bench/orchestrator/process-schedule.bench.ts
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { down, fileState, orchestrate, processRuntime, type DeployEvent, type Topology } from '@dive/orchestrator';
import { machine, percentile } from '../lib/harness.js';

const rounds = Number(process.env['ROUNDS'] ?? 7);
const dir = mkdtempSync(join(tmpdir(), 'dive-bench-process-'));

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

// Listens after DELAY ms; writes how long after its own process start it began listening.
const SERVICE = `
const born = Date.now() - process.uptime() * 1000;
setTimeout(() => require('net').createServer((s) => s.end()).listen(+process.env.PORT, '127.0.0.1', () => {
  require('fs').writeFileSync(process.env.MARK, JSON.stringify({ born, listening: Date.now() }));
}), +process.env.DELAY);`;

function topology(instance: string, ports: { db: number; api: number }, round: number): Topology {
  const svc = (name: 'db' | 'api', delay: number, deps: string[]): Topology['services'][string] => ({
    process: {
      command: process.execPath,
      args: ['-e', SERVICE],
      env: { PORT: String(ports[name]), DELAY: String(delay), MARK: join(dir, `${name}-${round}.json`) },
    },
    health: [{ type: 'tcp', host: '127.0.0.1', port: ports[name] }],
    dependsOn: deps,
    retry: { policy: 'none', attempts: 1 },
  });
  return { instance, services: { db: svc('db', 1_200, []), api: svc('api', 1_000, ['db']) } };
}

const mark = (name: string, round: number): { born: number; listening: number } =>
  JSON.parse(readFileSync(join(dir, `${name}-${round}.json`), 'utf8')) as { born: number; listening: number };

const wall: number[] = [];
const critical: number[] = [];
const before: number[] = [];
const handOver: number[] = [];
const after: number[] = [];
const setupMs: number[] = [];
const lockMs: number[] = [];
const toDeployingMs: number[] = [];
const detectMs: number[] = [];
const finishMs: number[] = [];
try {
  for (let r = 0; r < rounds; r++) {
    const ports = { db: await freePort(), api: await freePort() };
    const events: DeployEvent[] = [];
    const t0 = Date.now();
    const state = fileState(join(dir, 'state'));
    await using runtime = processRuntime({ logDir: join(dir, 'logs') });
    const result = await orchestrate(topology('PRB', ports, r), { state, runtime, onEvent: (e) => events.push(e) });
    const t1 = Date.now();
    const report = result._unsafeUnwrap();
    if (!report.success) throw new Error(`round ${r} failed: ${report.error?.message ?? '?'}`);
    const db = mark('db', r);
    const api = mark('api', r);
    wall.push(t1 - t0);
    critical.push(db.listening - db.born + (api.listening - api.born));
    before.push(db.born - t0);
    const apiStarting = events.find((e) => e.type === 'service-starting' && e.service === 'api')?.at ?? Number.NaN;
    handOver.push(apiStarting - db.listening);
    after.push(t1 - api.listening);
    const at = (type: string, service: string): number =>
      events.find((e) => e.type === type && 'service' in e && e.service === service)?.at ?? Number.NaN;
    setupMs.push(at('service-starting', 'db') - t0);
    const stateAt = (to: string): number => events.find((e) => e.type === 'state' && e.to === to)?.at ?? Number.NaN;
    const lockAt = events.find((e) => e.type === 'lock-acquired')?.at ?? Number.NaN;
    lockMs.push(lockAt - t0);
    toDeployingMs.push(stateAt('DEPLOYING') - lockAt);
    const apiHealthy = at('service-healthy', 'api');
    detectMs.push(apiHealthy - api.listening);
    finishMs.push(t1 - apiHealthy);
    await down('PRB', { state, runtime });
    await state[Symbol.asyncDispose]();
  }
} finally {
  rmSync(dir, { recursive: true, force: true, maxRetries: 5 }); // a service may still be closing its log
}

const med = (xs: readonly number[]): number => Math.round(percentile(xs, 50));
const overhead = wall.map((w, i) => w - (critical[i] ?? 0));
console.log(`## As-soon-as-ready on processes (${machine()}, ${rounds} rounds, medians)\n`);
console.log('| wall | critical path | overhead | × critical | target (1.05 × + 150 ms) |');
console.log('|---:|---:|---:|---:|---:|');
console.log(
  `| ${med(wall)} ms | ${med(critical)} ms | ${med(overhead)} ms | ${(med(wall) / med(critical)).toFixed(3)} | ${(1.05 * med(critical) + 150).toFixed(0)} ms |`,
);
console.log('\nWhere the overhead goes (medians):\n');
console.log(
  '| call → lock held | lock held → DEPLOYING written (audit check, recover, INITIALIZING, preflight, checkpoint) |',
);
console.log('|---:|---:|');
console.log(`| ${med(lockMs)} ms | ${med(toDeployingMs)} ms |\n`);
console.log(
  '| call → db starting (set-up) | → db process born (spawn) | db ready → api starting | api ready → api healthy | api healthy → returned (finish) |',
);
console.log('|---:|---:|---:|---:|---:|');
console.log(
  `| ${med(setupMs)} ms | ${med(before.map((b, i) => b - (setupMs[i] ?? 0)))} ms | ${med(handOver)} ms | ${med(detectMs)} ms | ${med(finishMs)} ms |`,
);
