/**
 * As-soon-as-ready against level-by-level, on real containers: the same busybox containers deployed by
 * `orchestrate()` with `schedule: 'ready'`, with `schedule: 'levels'` (the seeds' way), and by Debian's
 * docker-compose 1.29 (`depends_on: condition: service_healthy`). Also: from a dependency's Docker
 * `health_status: healthy` event to its dependent being started.
 *
 * Topology (health turns healthy HEALTH_AFTER seconds after start):
 *   slow (2.0 s)     fast (0.6 s) → mid (0.6 s) → last (0.6 s)
 * levels: {slow, fast} {mid} {last} → 2.0 + 0.6 + 0.6 = 3.2 s; critical path: max(2.0, 1.8) = 2.0 s (1.6×).
 * Target (issue 9): ready ≤ 1.05 × critical path + 150 ms; flip → dependent start ≤ 20 ms p95.
 * Each round's wall time is the deployment alone (orchestrate() called → returned; Compose: `up -d` → the last
 * service healthy); stopping and removing the containers afterwards is timed apart and reported in its own column.
 *
 *   npx tsx --tsconfig tsconfig.json bench/orchestrator/schedule.bench.ts
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Docker from 'dockerode';
import { dockerRuntime, fileState, orchestrate, type DeployEvent, type Topology } from '@dive/orchestrator';
import { ensureBusyboxImage } from '@dive/test-utils';
import { machine, percentile } from '../lib/harness.js';

const SERVICES = {
  slow: { after: 2.0, deps: [] },
  fast: { after: 0.6, deps: [] },
  mid: { after: 0.6, deps: ['fast'] },
  last: { after: 0.6, deps: ['mid'] },
} as const;
const CRITICAL_MS = 2_000;
const rounds = Number(process.env['ROUNDS'] ?? 5);
const docker = new Docker();
const image = await ensureBusyboxImage(docker);
const dir = mkdtempSync(join(tmpdir(), 'dive-bench-schedule-'));

function topology(instance: string): Topology {
  const services: Record<string, Topology['services'][string]> = {};
  for (const [name, s] of Object.entries(SERVICES)) {
    services[name] = {
      container: {
        image,
        network: 'none',
        environment: { HEALTH_MODE: 'flip', HEALTH_AFTER: String(s.after) },
        healthcheck: {
          test: ['CMD', '/bin/health'],
          intervalMs: 100,
          timeoutMs: 1_000,
          retries: 1,
          startPeriodMs: 10_000,
        },
      },
      health: [{ type: 'docker' }],
      dependsOn: [...s.deps],
      retry: { policy: 'none', attempts: 1 },
    };
  }
  return { instance, services };
}

/**
 * Each round's deployment wall time (from before the state and runtime are made to the moment the deployment
 * returns, or for Compose from `up` to the last service healthy) and, apart, its teardown (stopping and removing
 * the bench's containers, which is no part of a deployment).
 */
interface Rounds {
  readonly deployMs: number[];
  readonly teardownMs: number[];
}
const newRounds = (): Rounds => ({ deployMs: [], teardownMs: [] });
const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

const flipToStart: number[] = [];
const criticalMs: number[] = [];
async function deployOnce(schedule: 'ready' | 'levels', round: number, into: Rounds): Promise<void> {
  const instance = schedule === 'ready' ? 'BRD' : 'BLV';
  const began = performance.now();
  const state = fileState(join(dir, `${schedule}-${round}`));
  const runtime = dockerRuntime({ docker });
  const healthyAt = new Map<string, number>();
  const events: DeployEvent[] = [];
  const result = await orchestrate(topology(instance), { runtime, state, schedule, onEvent: (e) => events.push(e) });
  const deployed = performance.now();
  into.deployMs.push(deployed - began);
  if (result.isErr() || !result.value.success)
    throw new Error(`deploy failed: ${result.isErr() ? result.error.message : JSON.stringify(result.value.error)}`);
  if (schedule === 'ready') {
    criticalMs.push(result.value.criticalPath.totalMs);
    // The engine's own reaction time: a dependency reported healthy (from Docker's health_status event) → its
    // dependent started.
    for (const e of events) if (e.type === 'service-healthy') healthyAt.set(e.service, e.at);
    for (const e of events) {
      if (e.type !== 'service-starting' || e.attempt !== 1) continue;
      const deps = SERVICES[e.service as keyof typeof SERVICES].deps as readonly string[];
      if (deps.length > 0) flipToStart.push(e.at - Math.max(...deps.map((d) => healthyAt.get(d) ?? Number.NaN)));
    }
  }
  for (const h of (await runtime.list(instance))._unsafeUnwrap()) await runtime.stop(h, { graceMs: 0 });
  await runtime[Symbol.asyncDispose]();
  await state[Symbol.asyncDispose]();
  into.teardownMs.push(performance.now() - deployed);
}

function composeFile(): string {
  const lines = ['services:'];
  for (const [name, s] of Object.entries(SERVICES)) {
    lines.push(
      `  ${name}:`,
      `    image: ${image}`,
      '    network_mode: none',
      `    environment: { HEALTH_MODE: flip, HEALTH_AFTER: "${s.after}" }`,
      '    healthcheck: { test: ["CMD", "/bin/health"], interval: 100ms, timeout: 1s, retries: 1, start_period: 10s }',
    );
    if (s.deps.length > 0) {
      lines.push('    depends_on:');
      for (const d of s.deps) lines.push(`      ${d}: { condition: service_healthy }`);
    }
  }
  return `${lines.join('\n')}\n`;
}

const haveCompose = spawnSync('docker-compose', ['version'], { encoding: 'utf8' }).status === 0;
try {
  writeFileSync(join(dir, 'docker-compose.yml'), composeFile());
  const ready = newRounds();
  const levels = newRounds();
  for (let r = 0; r < rounds; r++) await deployOnce('ready', r, ready);
  for (let r = 0; r < rounds; r++) await deployOnce('levels', r, levels);
  const compose = haveCompose ? newRounds() : undefined;
  for (let r = 0; compose !== undefined && r < rounds; r++) {
    // `up -d --wait` does not exist in 1.29: up -d returns once every container started (dependencies healthy),
    // then the last service's own health is awaited, as orchestrate() does.
    const began = performance.now();
    execFileSync('docker-compose', ['-p', 'divebench', 'up', '-d'], { cwd: dir, stdio: 'ignore' });
    for (;;) {
      const id = execFileSync('docker-compose', ['-p', 'divebench', 'ps', '-q', 'last'], {
        cwd: dir,
        encoding: 'utf8',
      }).trim();
      const st = (await docker.getContainer(id).inspect()).State.Health?.Status;
      if (st === 'healthy') break;
      await new Promise((res) => setTimeout(res, 20));
    }
    const deployed = performance.now();
    compose.deployMs.push(deployed - began);
    execFileSync('docker-compose', ['-p', 'divebench', 'down', '-t', '0'], { cwd: dir, stdio: 'ignore' });
    compose.teardownMs.push(performance.now() - deployed);
  }
  // The measured critical path: each service's own start → healthy time (container start included), summed along
  // the slowest chain, as the deployment report gives it.
  const critical = percentile(criticalMs, 50);
  const row = (name: string, t: Rounds) => {
    const m = median(t.deployMs);
    return `| ${name} | ${m.toFixed(0)} ms | ${percentile(t.deployMs, 95).toFixed(0)} ms | ${(m / critical).toFixed(2)}× | ${(m - critical).toFixed(0)} ms | ${median(t.teardownMs).toFixed(0)} ms |`;
  };
  const allowed = 1.05 * critical + 150;
  const readyMedian = median(ready.deployMs);
  console.log(
    [
      '# As-soon-as-ready vs level-by-level (real containers)',
      '',
      machine(),
      '',
      `Nominal critical path ${CRITICAL_MS} ms of health delays (level by level: 3200 ms); measured critical path, container starts included: median ${critical.toFixed(0)} ms. ${rounds} rounds each.`,
      '',
      "Wall time: from before the state and runtime are made to the deployment returning (Compose: from `up -d` to the last service healthy). Teardown (stopping and removing the containers: the bench's own clean-up, or `down -t 0`) is timed apart and is not in it.",
      '',
      '| deployment | median wall time | p95 | vs measured critical path | overhead over it | teardown, apart (median) |',
      '|---|---:|---:|---:|---:|---:|',
      row("orchestrate, schedule 'ready'", ready),
      row("orchestrate, schedule 'levels'", levels),
      compose === undefined ? '| docker-compose 1.29 | not installed | | | | |' : row('docker-compose 1.29', compose),
      '',
      `Target (issue 9), schedule 'ready': ≤ 1.05 × ${critical.toFixed(0)} + 150 = ${allowed.toFixed(0)} ms; median ${readyMedian.toFixed(0)} ms: ${readyMedian <= allowed ? 'met' : 'missed'}. Per round (ms): ${ready.deployMs.map((x) => x.toFixed(0)).join(', ')}; measured critical paths: ${criticalMs.map((x) => x.toFixed(0)).join(', ')}; overhead of each round over its own critical path: median ${median(ready.deployMs.map((x, i) => x - (criticalMs[i] ?? Number.NaN))).toFixed(0)} ms.`,
      '',
      `Dependency reported healthy → dependent started (engine reaction, from the health_status event): median ${percentile(flipToStart, 50).toFixed(0)} ms, p95 ${percentile(flipToStart, 95).toFixed(0)} ms (${flipToStart.length} samples).`,
    ].join('\n'),
  );
} finally {
  spawnSync('docker-compose', ['-p', 'divebench', 'down', '-t', '0'], { cwd: dir, stdio: 'ignore' });
  rmSync(dir, { recursive: true, force: true });
}
