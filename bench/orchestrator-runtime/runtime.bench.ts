/**
 * The runtimes of @dive/orchestrator: how fast a start is, and how soon an exit is known (the issue asks for exits
 * "detected at once"), side by side with the usual alternatives (`docker wait`, polling `inspect`, polling a pid).
 * Also the in-memory runtime's cost for the engine's 1,000-service benchmark.
 * Run: npx tsx --tsconfig tsconfig.json bench/orchestrator-runtime/runtime.bench.ts
 * Needs the Docker engine (DOCKER_HOST or the local socket); containers are removed at the end.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { memoryRuntime } from '@dive/orchestrator/testing';
import {
  dockerClient,
  ensureBusyboxImage,
  instanceLabels,
  removeLabelledContainers,
  uniqueSuffix,
} from '@dive/test-utils';
// Not yet exported from the package's index (the lead wires that); import the sources.
import { dockerRuntime } from '../../packages/orchestrator/src/runtime/docker-runtime.js';
import { processRuntime } from '../../packages/orchestrator/src/runtime/process-runtime.js';
import type { Runtime, ServiceHandle, StartRequest } from '../../packages/orchestrator/src/runtime/types.js';
import { machine, percentile, timeRounds } from '../lib/harness.js';

const ROUNDS = 15;
const instance = `B${uniqueSuffix()}`.toUpperCase();
const fmt = (ms: number): string => `${ms.toFixed(1)} ms`;
const row = (name: string, samples: readonly number[]): string => {
  const sorted = [...samples].sort((a, b) => a - b);
  return `| ${name} | ${fmt(percentile(sorted, 50))} | ${fmt(percentile(sorted, 95))} | ${fmt(sorted.at(-1) ?? NaN)} |`;
};
const header = ['| contender | p50 | p95 | max |', '|---|---:|---:|---:|'];
const unwrap = <T>(r: { isOk(): boolean; _unsafeUnwrap(): T }): T => r._unsafeUnwrap();

function request(service: string, extra: Partial<StartRequest>): StartRequest {
  return { instance, service, deploymentId: uniqueSuffix(), configHash: 'bench', kind: 'service', env: {}, ...extra };
}

async function memoryFigures(): Promise<string[]> {
  const rt = memoryRuntime();
  const reqs = Array.from({ length: 1000 }, (_, i) => request(`s${i}`, {}));
  const { medianMs, p95Ms } = await timeRounds(ROUNDS, async () => {
    const handles = await Promise.all(reqs.map((r) => rt.start(r).map((h) => h)));
    await rt.list(instance);
    await Promise.all(handles.map((h) => rt.stop(unwrap(h))));
  });
  return [
    '### memoryRuntime: 1,000 services started, listed and stopped',
    '',
    `median ${fmt(medianMs)}, p95 ${fmt(p95Ms)} per 1,000 (${ROUNDS} rounds)`,
  ];
}

/** Time from a kill to the listener hearing of it. */
async function exitLatency(
  rt: Runtime,
  handle: ServiceHandle,
  kill: () => Promise<void> | void,
  listen: (done: () => void) => void,
): Promise<number> {
  let t0 = 0;
  const heard = new Promise<number>((resolve) => {
    listen(() => {
      resolve(performance.now() - t0);
    });
  });
  // Let the listener settle (its first probe, the events stream opening) so only the detection is timed.
  await new Promise((resolve) => setTimeout(resolve, 30));
  t0 = performance.now();
  await kill();
  const ms = await heard;
  await rt.stop(handle, { graceMs: 0 });
  return ms;
}

async function dockerFigures(): Promise<string[]> {
  const docker = dockerClient();
  const image = await ensureBusyboxImage(docker);
  const rt = dockerRuntime({ docker });
  const start: number[] = [];
  const events: number[] = [];
  const wait: number[] = [];
  const poll: number[] = [];
  try {
    for (let i = 0; i < ROUNDS; i++) {
      for (const [name, samples] of [
        ['events', events],
        ['wait', wait],
        ['poll', poll],
      ] as const) {
        const t = performance.now();
        const h = unwrap(await rt.start(request(`${name}${i}`, { container: { image } })));
        start.push(performance.now() - t);
        const c = docker.getContainer(h.id);
        samples.push(
          await exitLatency(
            rt,
            h,
            () => c.kill({ signal: 'SIGKILL' }),
            (done) => {
              if (name === 'events') rt.onExit(h, done);
              else if (name === 'wait') void c.wait().then(done);
              else {
                const timer = setInterval(() => {
                  void c.inspect().then((info) => {
                    if (!info.State.Running) {
                      clearInterval(timer);
                      done();
                    }
                  });
                }, 100);
              }
            },
          ),
        );
      }
    }
  } finally {
    await removeLabelledContainers(docker, instanceLabels(instance));
    await rt[Symbol.asyncDispose]();
  }
  return [
    '### Docker: start, and exit detection (time from `kill` returning to the listener)',
    '',
    ...header,
    row('dockerRuntime.start (create + start + inspect)', start),
    row('onExit via the shared events stream (ours)', events),
    row('`container.wait()` per container', wait),
    row('polling `inspect` every 100 ms', poll),
  ];
}

async function processFigures(): Promise<string[]> {
  const logDir = mkdtempSync(join(tmpdir(), 'dive-bench-proc-'));
  const rt = processRuntime({ logDir });
  const other = processRuntime({ logDir, pollMs: 500 });
  const start: number[] = [];
  const own: number[] = [];
  const polled: number[] = [];
  const stopTerm: number[] = [];
  const spec = { command: 'sleep', args: ['60'] };
  try {
    for (let i = 0; i < ROUNDS; i++) {
      const t = performance.now();
      const a = unwrap(await rt.start(request(`own${i}`, { process: spec })));
      start.push(performance.now() - t);
      own.push(
        await exitLatency(
          rt,
          a,
          () => {
            process.kill(Number(a.id), 'SIGKILL');
          },
          (done) => rt.onExit(a, done),
        ),
      );
      const b = unwrap(await rt.start(request(`other${i}`, { process: spec })));
      polled.push(
        await exitLatency(
          rt,
          b,
          () => {
            process.kill(Number(b.id), 'SIGKILL');
          },
          (done) => other.onExit(b, done),
        ),
      );
      const c = unwrap(await rt.start(request(`term${i}`, { process: spec })));
      const t2 = performance.now();
      await rt.stop(c);
      stopTerm.push(performance.now() - t2);
    }
  } finally {
    await rt[Symbol.asyncDispose]();
    await other[Symbol.asyncDispose]();
    rmSync(logDir, { recursive: true, force: true });
  }
  return [
    '### Processes: start, exit detection, stop',
    '',
    ...header,
    row('processRuntime.start (`sleep 60`, spawn + record)', start),
    row("onExit of its own child (the 'exit' event)", own),
    row('onExit from another process (pid poll, pollMs 500)', polled),
    row('stop (SIGTERM to the group, until it is gone)', stopTerm),
  ];
}

const out = [`## @dive/orchestrator runtimes`, '', `machine: ${machine()}`, ''];
out.push(...(await memoryFigures()), '');
out.push(...(await processFigures()), '');
out.push(...(await dockerFigures()), '');
console.log(out.join('\n'));
