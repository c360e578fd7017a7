/**
 * Exit of a container noticed after Docker's `die` event (issue 14: ≤ 10 ms; was 47–62 ms): the time from the
 * event's own timestamp (`timeNano`, set by the engine on this host) to
 *   - the Docker runtime's `onExit` listener (the runtime's one @dive/health watcher; the exit code comes from the
 *     `die` event, no inspect round trip),
 *   - the health waiter's `wait()` failing with ContainerExitedError (it reads the last 50 log lines first),
 *   - `docker wait` (dockerode `container.wait()`, a long poll opened before the kill), the usual alternative,
 *   - an `inspect` sent on the `die` event answering: the round trip an exit watcher that inspects pays.
 * and, as the floor under all of them, the `die` event's bytes reaching a bare events stream of the bench's own.
 * All listen to the same containers, killed with SIGKILL one at a time. Medians and p95 over ROUNDS (15).
 *
 *   npx tsx --tsconfig tsconfig.json bench/orchestrator/exit-latency.bench.ts
 */
import { dockerRuntime, type StartRequest } from '@dive/orchestrator';
// The health waiter is internal to the package (the engine's adapter); the bench imports its source.
import { createHealthWaiter } from '../../packages/orchestrator/src/adapters/health-waiter.js';
import {
  dockerClient,
  ensureBusyboxImage,
  instanceLabels,
  labelFilter,
  removeLabelledContainers,
  uniqueSuffix,
} from '@dive/test-utils';
import { machine, percentile } from '../lib/harness.js';

const rounds = Number(process.env['ROUNDS'] ?? 15);
const docker = dockerClient();
const image = await ensureBusyboxImage(docker);
const runtime = dockerRuntime({ docker });
const instance = `X${uniqueSuffix()}`.toUpperCase();
const nowMs = (): number => performance.timeOrigin + performance.now();

const request = (service: string): StartRequest => ({
  instance,
  service,
  deploymentId: uniqueSuffix(),
  configHash: 'bench',
  kind: 'service',
  env: { HEALTH_MODE: 'pass' },
  container: { image },
});

// The die events, read on a stream of their own (a second client) only for their timestamps.
const dies = new Map<string, number>();
const arrived = new Map<string, number>();
const inspected = new Map<string, Promise<number>>();
const events = (await dockerClient().getEvents({
  filters: { type: ['container'], event: ['die'], ...labelFilter(instanceLabels(instance)) },
})) as NodeJS.ReadableStream & { destroy(): void };
let pending = '';
events.on('data', (chunk: Buffer) => {
  const at = nowMs();
  pending += chunk.toString('utf8');
  let nl: number;
  while ((nl = pending.indexOf('\n')) >= 0) {
    const e = JSON.parse(pending.slice(0, nl)) as { id: string; timeNano: number };
    pending = pending.slice(nl + 1);
    dies.set(e.id, e.timeNano / 1e6);
    arrived.set(e.id, at);
    inspected.set(
      e.id,
      docker
        .getContainer(e.id)
        .inspect()
        .then(() => nowMs()),
    );
  }
});

const delivered: number[] = [];
const onExit: number[] = [];
const waitFailed: number[] = [];
const dockerWait: number[] = [];
const inspectAfterDie: number[] = [];
await using waiter = createHealthWaiter();
try {
  for (let r = 0; r < rounds; r++) {
    const h = (await runtime.start(request(`s${r}`)))._unsafeUnwrap();
    const c = docker.getContainer(h.id);
    const heard = new Promise<number>((resolve) => runtime.onExit(h, () => resolve(nowMs())));
    const failed = (async () => {
      await waiter.wait(runtime, h, [{ type: 'tcp', host: '127.0.0.1', port: 1 }], {
        deadlineMs: 30_000,
        kind: 'service',
      });
      return nowMs();
    })();
    const waited = c.wait().then(() => nowMs());
    await new Promise((resolve) => setTimeout(resolve, 300)); // the watch and the long poll are open
    await c.kill({ signal: 'SIGKILL' });
    const [a, b, d] = await Promise.all([heard, failed, waited]);
    while (!dies.has(h.id)) await new Promise((resolve) => setTimeout(resolve, 5));
    const die = dies.get(h.id) ?? Number.NaN;
    delivered.push((arrived.get(h.id) ?? Number.NaN) - die);
    onExit.push(a - die);
    waitFailed.push(b - die);
    dockerWait.push(d - die);
    inspectAfterDie.push((await (inspected.get(h.id) ?? Promise.resolve(Number.NaN))) - die);
    await runtime.stop(h, { graceMs: 0 });
  }
} finally {
  events.destroy();
  await removeLabelledContainers(docker, instanceLabels(instance));
  await runtime[Symbol.asyncDispose]();
}

const row = (name: string, xs: readonly number[]): string =>
  `| ${name} | ${percentile(xs, 50).toFixed(1)} ms | ${percentile(xs, 95).toFixed(1)} ms | ${Math.max(...xs).toFixed(1)} ms |`;
console.log(`## Exit noticed after Docker's die event (${machine()}, ${rounds} containers, SIGKILL)\n`);
console.log('| listener | p50 | p95 | max |');
console.log('|---|---:|---:|---:|');
console.log(row('the `die` event reaching a bare events stream (the floor: dockerd and the OS)', delivered));
console.log(row('`runtime.onExit` (one shared watcher, exit code from the event)', onExit));
console.log(row('health wait fails with ContainerExitedError (+ last 50 log lines)', waitFailed));
console.log(row('`docker wait` (dockerode `container.wait()`)', dockerWait));
console.log(row('an `inspect` sent on the `die` event, answered', inspectAfterDie));
