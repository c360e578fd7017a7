/**
 * @dive/circuit-breaker side by side with cockatiel and opossum, in one process, alternating rounds, medians.
 * Run: node --expose-gc --import tsx bench/circuit-breaker/breaker.bench.ts   (from the repo root)
 */
import { createCircuitBreaker, exponential, retry, withTimeout } from '@dive/circuit-breaker';
import {
  ConsecutiveBreaker,
  ExponentialBackoff,
  TimeoutStrategy,
  circuitBreaker,
  handleAll,
  retry as cRetry,
  timeout as cTimeout,
  wrap,
} from 'cockatiel';
import { err, ok, ResultAsync } from 'neverthrow';
import CircuitBreaker from 'opossum';
import { compare, fmtNs, machine, table } from '../lib/harness.js';

const work = (): Promise<number> => Promise.resolve(1);
// The same work, declaring the AbortSignal parameter (so withTimeout must create one).
const workWithSignal = (_signal: AbortSignal): Promise<number> => Promise.resolve(1);
const fail = (): Promise<never> => Promise.reject(new Error('down'));
const out: string[] = [`Machine: ${machine()}`, ''];

// 1. closed-state execute
const dive = createCircuitBreaker({ name: 'bench' });
const cock = circuitBreaker(handleAll, { halfOpenAfter: 60_000, breaker: new ConsecutiveBreaker(3) });
const opo = new CircuitBreaker(work, {});
const closed = await compare([
  { name: 'bare await', fn: () => work() },
  { name: 'floor: new ResultAsync(fn().then(ok, err))', fn: async () => await new ResultAsync(work().then(ok, err)) },
  { name: '@dive/circuit-breaker execute', fn: async () => await dive.execute(work) },
  { name: 'cockatiel circuitBreaker.execute', fn: () => cock.execute(work) },
  { name: 'opossum fire (defaults)', fn: () => opo.fire() },
]);
out.push(
  '### Closed-state execute (success path)',
  '',
  table(closed, 'floor: new ResultAsync(fn().then(ok, err))'),
  '',
);

// 2. fast-fail while OPEN
const diveOpen = createCircuitBreaker({ name: 'open', failureThreshold: 1 });
await diveOpen.execute(fail);
const cockOpen = circuitBreaker(handleAll, { halfOpenAfter: 600_000, breaker: new ConsecutiveBreaker(1) });
await cockOpen.execute(fail).catch(() => undefined);
const opoOpen = new CircuitBreaker(fail, { resetTimeout: 600_000 });
opoOpen.open();
const open = await compare([
  { name: '@dive/circuit-breaker (OPEN)', fn: async () => await diveOpen.execute(work) },
  { name: 'cockatiel (OPEN)', fn: () => cockOpen.execute(work).catch(() => undefined) },
  { name: 'opossum (OPEN)', fn: () => opoOpen.fire().catch(() => undefined) },
]);
out.push('### Fast-fail while OPEN', '', table(open), '');

// 3. retry + breaker, success path
const policy = exponential({ baseMs: 100, attempts: 3 });
const cockRetry = wrap(cRetry(handleAll, { maxAttempts: 2, backoff: new ExponentialBackoff() }), cock);
const retried = await compare([
  { name: 'floor: new ResultAsync(fn().then(ok, err))', fn: async () => await new ResultAsync(work().then(ok, err)) },
  { name: '@dive retry(breaker.execute)', fn: async () => await retry(() => dive.execute(work), policy) },
  { name: '@dive retry(fn, policy, { breaker })', fn: async () => await retry(work, policy, { breaker: dive }) },
  { name: 'cockatiel wrap(retry, breaker)', fn: () => cockRetry.execute(work) },
]);
out.push('### Retry + breaker (success path)', '', table(retried, 'floor: new ResultAsync(fn().then(ok, err))'), '');

// 4. withTimeout, success path
const cockTimeout = cTimeout(5000, TimeoutStrategy.Cooperative);
const timed = await compare([
  { name: '@dive withTimeout, fn ignores the signal', fn: async () => await withTimeout(work, 5000) },
  { name: '@dive withTimeout, fn takes the signal', fn: async () => await withTimeout(workWithSignal, 5000) },
  { name: 'cockatiel timeout (cooperative)', fn: () => cockTimeout.execute(work) },
]);
out.push('### Timeout wrapper (success path)', '', table(timed), '');

// 5. cost of one failure after 10 vs 100,000 prior calls (fresh breaker each, failureThreshold high)
async function failureCost(
  prior: number,
  make: () => (f: () => Promise<unknown>) => PromiseLike<unknown>,
): Promise<number> {
  const exec = make();
  for (let i = 0; i < prior; i++) await exec(work);
  const t = process.hrtime.bigint();
  for (let i = 0; i < 100; i++) await exec(fail);
  return Number(process.hrtime.bigint() - t) / 100;
}
const mkDive = () => {
  const b = createCircuitBreaker({ name: 'f', failureThreshold: 1e9 });
  return (f: () => Promise<unknown>): PromiseLike<unknown> => b.execute(f) as unknown as PromiseLike<unknown>;
};
const mkOpo = () => (f: () => Promise<unknown>) => {
  const b = (mkOpo.b ??= new CircuitBreaker((g: () => Promise<unknown>) => g(), { volumeThreshold: 1e9 }));
  return b.fire(f).catch(() => undefined);
};
mkOpo.b = undefined as CircuitBreaker | undefined;
const rows: string[] = [
  '| contender (mean of 100 failures) | after 10 calls | after 100,000 calls |',
  '|---|---:|---:|',
];
type Maker = () => (f: () => Promise<unknown>) => PromiseLike<unknown>;
const makers: [string, Maker][] = [
  ['@dive/circuit-breaker', mkDive],
  ['opossum', () => ((mkOpo.b = undefined), mkOpo())],
];
for (const [name, make] of makers) {
  const a = await failureCost(10, make);
  const b = await failureCost(100_000, make);
  rows.push(`| ${name} | ${fmtNs(a)} | ${fmtNs(b)} |`);
}
out.push('### One failure after N prior calls', '', ...rows, '');

// 6. 1,000 breakers created, used once, dropped
const gc = (globalThis as { gc?: () => void }).gc;
const timers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
async function thousand(name: string, make: (i: number) => Promise<unknown>): Promise<string> {
  gc?.();
  const heap0 = process.memoryUsage().heapUsed;
  const t0 = timers();
  const kept: unknown[] = [];
  for (let i = 0; i < 1000; i++) kept.push(await make(i));
  const liveTimers = timers() - t0;
  kept.length = 0;
  gc?.();
  gc?.();
  const retained = (process.memoryUsage().heapUsed - heap0) / 1024 / 1024;
  return `| ${name} | ${liveTimers} | ${retained.toFixed(2)} MB |`;
}
const mem = ['| contender | live timers after use | retained after GC |', '|---|---:|---:|'];
mem.push(
  await thousand('@dive/circuit-breaker', async (i) => {
    const b = createCircuitBreaker({ name: `b${i}` });
    await b.execute(work);
    return b;
  }),
);
const opossums: CircuitBreaker[] = [];
mem.push(
  await thousand('opossum', async () => {
    const b = new CircuitBreaker(work, {});
    opossums.push(b);
    await b.fire();
    return b;
  }),
);
for (const b of opossums) b.shutdown();
out.push(
  `### 1,000 breakers created, used once, dropped${gc ? '' : ' (run with --expose-gc for a meaningful figure)'}`,
  '',
  ...mem,
  '',
);
console.log(out.join('\n'));
process.exit(0);
