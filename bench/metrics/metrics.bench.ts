/**
 * @dive/metrics against raw prom-client in one process: counter.inc and histogram.observe with two labels, and the
 * export of 1,000 histogram series (plus how long a scrape blocks the event loop).
 * Run: npx tsx --tsconfig tsconfig.json bench/metrics/metrics.bench.ts
 */
import { createMetrics } from '@dive/metrics';
import { Counter, Histogram, Registry } from 'prom-client';
import { compare, fmtNs, machine, table } from '../lib/harness.js';

const RAW = 'prom-client';
const BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];
/** Label objects shared by both sides: 4 instances × 2 results, rotated so lookups are not one hot key. */
const LABELS = ['USA', 'EU', 'APAC', 'LATAM'].flatMap((instance) =>
  ['success', 'failed'].map((result) => ({ instance, result })),
);
const SECONDS = [0.07, 0.3, 1.2, 4, 9, 25, 70, 200];

let i = 0;
const next = () => (i = (i + 1) & 7);

async function hotPath(): Promise<string> {
  const rawRegistry = new Registry();
  const rawCounter = new Counter({
    name: 'raw_deployments_total',
    help: 'h',
    labelNames: ['instance', 'result'],
    registers: [rawRegistry],
  });
  const rawHistogram = new Histogram({
    name: 'raw_phase_seconds',
    help: 'h',
    labelNames: ['instance', 'result'],
    buckets: BUCKETS,
    registers: [rawRegistry],
  });
  const metrics = createMetrics();
  const counter = metrics.counter({ name: 'deployments_total', help: 'h', labelNames: ['instance', 'result'] });
  const histogram = metrics.histogram({
    name: 'phase_seconds',
    help: 'h',
    labelNames: ['instance', 'result'],
    buckets: BUCKETS,
  });

  const opts = { iterations: 200_000, rounds: 15 };
  const inc = await compare(
    [
      {
        name: RAW,
        fn: () => {
          rawCounter.inc(LABELS[next()]!);
        },
      },
      {
        name: 'prom-client .labels().inc()',
        fn: () => {
          rawCounter.labels(LABELS[next()]!).inc();
        },
      },
      {
        name: '@dive/metrics counter.inc',
        fn: () => {
          counter.inc(LABELS[next()]);
        },
      },
    ],
    opts,
  );
  const observe = await compare(
    [
      {
        name: RAW,
        fn: () => {
          rawHistogram.observe(LABELS[next()]!, SECONDS[i]!);
        },
      },
      {
        name: '@dive/metrics histogram.observe',
        fn: () => {
          histogram.observe(LABELS[next()]!, SECONDS[i]!);
        },
      },
      {
        name: '@dive/metrics recordTiming',
        fn: () => {
          metrics.recordTiming('phase_seconds', SECONDS[next()]!, LABELS[i]);
        },
      },
    ],
    opts,
  );
  return [
    '### counter.inc with two labels (8 label combinations, rotated)',
    '',
    table(inc, RAW),
    '',
    '### histogram.observe / recordTiming with two labels (13 buckets)',
    '',
    table(observe, RAW),
  ].join('\n');
}

/** Resolves after `scrape`, telling whether a setImmediate queued before it could run in between. */
async function blocked(scrape: () => Promise<string>): Promise<{ ms: number; eventLoopRan: boolean }> {
  let ran = false;
  const t = setImmediate(() => (ran = true));
  const start = performance.now();
  await scrape();
  const ms = performance.now() - start;
  clearImmediate(t);
  return { ms, eventLoopRan: ran };
}

async function exportOf1000(): Promise<string> {
  const rawRegistry = new Registry();
  const raw = new Histogram({
    name: 'raw_service_start_seconds',
    help: 'h',
    labelNames: ['service', 'instance'],
    buckets: BUCKETS,
    registers: [rawRegistry],
  });
  const metrics = createMetrics();
  const ours = metrics.histogram({
    name: 'service_start_seconds',
    help: 'h',
    labelNames: ['service', 'instance'],
    buckets: BUCKETS,
  });
  for (let s = 0; s < 250; s++) {
    for (const instance of ['USA', 'EU', 'APAC', 'LATAM']) {
      for (const v of SECONDS) {
        raw.observe({ service: `svc-${s}`, instance }, v);
        ours.observe({ service: `svc-${s}`, instance }, v);
      }
    }
  }
  const rawText = await rawRegistry.metrics();
  const ourText = await metrics.toPrometheus();
  const lines = (t: string) => t.split('\n').filter((l) => l !== '' && !l.startsWith('#')).length;
  const results = await compare(
    [
      { name: RAW, fn: () => rawRegistry.metrics() },
      { name: '@dive/metrics toPrometheus', fn: () => metrics.toPrometheus() },
    ],
    { iterations: 5, rounds: 15, warmup: 10 },
  );
  const blocks = [];
  for (let r = 0; r < 20; r++) blocks.push(await blocked(() => metrics.toPrometheus()));
  const ms = blocks.map((b) => b.ms).sort((a, b) => a - b);
  const median = ((ms[9] ?? 0) + (ms[10] ?? 0)) / 2;
  const worst = ms[ms.length - 1] ?? 0;
  return [
    `### export of 1,000 histogram series (${lines(rawText)} vs ${lines(ourText)} sample lines, ${(ourText.length / 1024).toFixed(0)} KiB)`,
    '',
    table(results, RAW),
    '',
    `Event-loop blocking of one @dive/metrics scrape of these 1,000 series (20 scrapes): median ${fmtNs(median * 1e6)}, ` +
      `worst ${fmtNs(worst * 1e6)}; a setImmediate queued ` +
      `before the scrape ran before it finished: ${blocks.some((b) => b.eventLoopRan) ? 'yes' : 'no'} ` +
      '(the whole scrape is one synchronous block: prom-client formats with async functions but never yields to the event loop).',
  ].join('\n');
}

console.log(`## @dive/metrics vs prom-client\n\n${machine()}\n`);
console.log(await hotPath());
console.log('');
console.log(await exportOf1000());
