/**
 * A small benchmark harness shared by every bench in this folder: contenders run in alternating rounds in one
 * process (A B C A B C …) so drift and GC pressure hit each the same, and the median of the rounds is reported.
 */
import { performance } from 'node:perf_hooks';

/** One thing being measured. `fn` is called `iterations` times per round; return a promise for async work. */
export interface Contender {
  readonly name: string;
  readonly fn: () => unknown;
  /** Run once before the rounds (warm-up is also done automatically). */
  readonly setup?: () => unknown;
}

/** Result for one contender. */
export interface Measurement {
  readonly name: string;
  /** Median nanoseconds per call across rounds. */
  readonly medianNs: number;
  readonly minNs: number;
  readonly maxNs: number;
  readonly rounds: number;
  readonly iterations: number;
}

export interface CompareOptions {
  /** Calls per round (default 20,000). */
  readonly iterations?: number;
  /** Rounds per contender (default 9). */
  readonly rounds?: number;
  /** Warm-up calls per contender before the first round (default iterations / 2). */
  readonly warmup?: number;
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

async function runRound(fn: () => unknown, iterations: number): Promise<number> {
  const first = fn();
  const isAsync = first instanceof Promise || (typeof first === 'object' && first !== null && 'then' in first);
  if (isAsync) await first;
  const start = performance.now();
  if (isAsync) {
    for (let i = 0; i < iterations; i++) await (fn() as Promise<unknown>);
  } else {
    for (let i = 0; i < iterations; i++) fn();
  }
  return ((performance.now() - start) * 1e6) / iterations;
}

/** Measure contenders side by side in alternating rounds; returns one Measurement each, in order. */
export async function compare(contenders: readonly Contender[], options: CompareOptions = {}): Promise<Measurement[]> {
  const iterations = options.iterations ?? 20_000;
  const rounds = options.rounds ?? 9;
  const warmup = options.warmup ?? Math.ceil(iterations / 2);
  for (const c of contenders) {
    await c.setup?.();
    await runRound(c.fn, warmup);
  }
  const samples = contenders.map(() => [] as number[]);
  for (let r = 0; r < rounds; r++) {
    for (const [i, c] of contenders.entries()) samples[i]!.push(await runRound(c.fn, iterations));
  }
  return contenders.map((c, i) => ({
    name: c.name,
    medianNs: median(samples[i]!),
    minNs: Math.min(...samples[i]!),
    maxNs: Math.max(...samples[i]!),
    rounds,
    iterations,
  }));
}

/** Time one async scenario `rounds` times (e.g. a whole deployment); returns median, p95 and all samples in ms. */
export async function timeRounds(
  rounds: number,
  fn: (round: number) => Promise<unknown>,
): Promise<{ medianMs: number; p95Ms: number; samplesMs: number[] }> {
  const samplesMs: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const start = performance.now();
    await fn(r);
    samplesMs.push(performance.now() - start);
  }
  return { medianMs: median(samplesMs), p95Ms: percentile(samplesMs, 95), samplesMs };
}

/** Nearest-rank percentile of samples. */
export function percentile(samples: readonly number[], p: number): number {
  const s = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * s.length));
  return s[rank - 1] ?? Number.NaN;
}

/** Format measurements as a Markdown table, with each contender's ratio to `baseline` (by name). */
export function table(ms: readonly Measurement[], baseline?: string): string {
  const base = ms.find((m) => m.name === baseline);
  const rows = ms.map((m) => {
    const ratio = base ? `${(m.medianNs / base.medianNs).toFixed(2)}×` : '';
    return `| ${m.name} | ${fmtNs(m.medianNs)} | ${fmtNs(m.minNs)} – ${fmtNs(m.maxNs)} | ${ratio} |`;
  });
  return [
    '| contender | median / op | range of rounds | vs ' + (baseline ?? '-') + ' |',
    '|---|---:|---:|---:|',
    ...rows,
  ].join('\n');
}

/** 123 ns, 4.5 µs, 6.7 ms. */
export function fmtNs(ns: number): string {
  if (ns < 1_000) return `${ns.toFixed(0)} ns`;
  if (ns < 1_000_000) return `${(ns / 1_000).toFixed(2)} µs`;
  return `${(ns / 1_000_000).toFixed(2)} ms`;
}

/** Describe the machine a result came from (goes at the top of every report). */
export function machine(): string {
  return `node ${process.version}, ${process.platform}/${process.arch}`;
}
