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
 *
 *   npx tsx --tsconfig tsconfig.json bench/orchestrator/schedule.bench.ts
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { dockerRuntime, fileState, orchestrate, type DeployEvent, type Topology } from '@dive/orchestrator';
import { ensureBusyboxImage } from '@dive/test-utils';
import { machine, percentile, timeRounds } from '../lib/harness.js';

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

const flipToStart: number[] = [];
const criticalMs: number[] = [];
async function deployOnce(schedule: 'ready' | 'levels', round: number): Promise<void> {
  const instance = schedule === 'ready' ? 'BRD' : 'BLV';
  const state = fileState(join(dir, `${schedule}-${round}`));
  const runtime = dockerRuntime({ docker });
  const healthyAt = new Map<string, number>();
  const events: DeployEvent[] = [];
  const result = await orchestrate(topology(instance), { runtime, state, schedule, onEvent: (e) => events.push(e) });
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
  const ready = await timeRounds(rounds, (r) => deployOnce('ready', r));
  const levels = await timeRounds(rounds, (r) => deployOnce('levels', r));
  const compose = haveCompose
    ? await timeRounds(rounds, async () => {
        // `up -d --wait` does not exist in 1.29: up -d returns once every container started (dependencies healthy),
        // then the last service's own health is awaited, as orchestrate() does.
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
        execFileSync('docker-compose', ['-p', 'divebench', 'down', '-t', '0'], { cwd: dir, stdio: 'ignore' });
      })
    : undefined;
  // The measured critical path: each service's own start → healthy time (container start included), summed along
  // the slowest chain, as the deployment report gives it.
  const critical = percentile(criticalMs, 50);
  const row = (name: string, t: { medianMs: number; p95Ms: number }) =>
    `| ${name} | ${t.medianMs.toFixed(0)} ms | ${t.p95Ms.toFixed(0)} ms | ${(t.medianMs / critical).toFixed(2)}× | ${(t.medianMs - critical).toFixed(0)} ms |`;
  console.log(
    [
      '# As-soon-as-ready vs level-by-level (real containers)',
      '',
      machine(),
      '',
      `Nominal critical path ${CRITICAL_MS} ms of health delays (level by level: 3200 ms); measured critical path, container starts included: median ${critical.toFixed(0)} ms. ${rounds} rounds each.`,
      '',
      '| deployment | median wall time | p95 | vs measured critical path | overhead over it |',
      '|---|---:|---:|---:|---:|',
      row("orchestrate, schedule 'ready'", ready),
      row("orchestrate, schedule 'levels'", levels),
      compose === undefined ? '| docker-compose 1.29 | not installed | | |' : row('docker-compose 1.29', compose),
      '',
      `Dependency reported healthy → dependent started (engine reaction, from the health_status event): median ${percentile(flipToStart, 50).toFixed(0)} ms, p95 ${percentile(flipToStart, 95).toFixed(0)} ms (${flipToStart.length} samples).`,
    ].join('\n'),
  );
} finally {
  spawnSync('docker-compose', ['-p', 'divebench', 'down', '-t', '0'], { cwd: dir, stdio: 'ignore' });
  rmSync(dir, { recursive: true, force: true });
}
