import { err, ok, type Result } from 'neverthrow';
import { MetricsSnapshotInvalidError } from '../errors.js';
import type { HistogramSeriesSnapshot, MetricSnapshot, MetricsSnapshot, ValueSeriesSnapshot } from '../snapshot.js';

type Obj = Record<string, unknown>;

/** Thrown inside this module only, turned into the Result at its edge. */
class Bad extends Error {}

const fail = (path: string, what: string): never => {
  throw new Bad(`${path}: ${what}`);
};
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const obj = (v: unknown, path: string): Obj => (isObj(v) ? v : fail(path, 'expected an object'));
const arr = (v: unknown, path: string): unknown[] => (Array.isArray(v) ? v : fail(path, 'expected an array'));
const str = (v: unknown, path: string): string => (typeof v === 'string' ? v : fail(path, 'expected a string'));
const num = (v: unknown, path: string, min = Number.NEGATIVE_INFINITY): number =>
  typeof v === 'number' && Number.isFinite(v) && v >= min ? v : fail(path, `expected a finite number ≥ ${min}`);
const strings = (v: unknown, path: string): string[] => arr(v, path).map((x, i) => str(x, `${path}[${i}]`));
const numbers = (v: unknown, path: string, min?: number): number[] =>
  arr(v, path).map((x, i) => num(x, `${path}[${i}]`, min));

function labels(v: unknown, names: readonly string[], path: string): Record<string, string> {
  const o = obj(v, path);
  const keys = Object.keys(o);
  if (keys.length !== names.length || !names.every((n) => typeof o[n] === 'string')) {
    fail(path, `expected a string for each of [${names.join(', ')}] and nothing else`);
  }
  return Object.fromEntries(names.map((n) => [n, o[n] as string]));
}

function valueSeries(v: unknown, names: readonly string[], counter: boolean, path: string): ValueSeriesSnapshot {
  const o = obj(v, path);
  const base = {
    labels: labels(o['labels'], names, `${path}.labels`),
    value: num(o['value'], `${path}.value`, counter ? 0 : undefined),
  };
  return o['at'] === undefined ? base : { ...base, at: num(o['at'], `${path}.at`) };
}

function histogramSeries(
  v: unknown,
  names: readonly string[],
  nBuckets: number,
  path: string,
): HistogramSeriesSnapshot {
  const o = obj(v, path);
  const counts = numbers(o['counts'], `${path}.counts`, 0);
  if (counts.length !== nBuckets + 1) fail(`${path}.counts`, `expected ${nBuckets + 1} counts (buckets and +Inf)`);
  const count = num(o['count'], `${path}.count`, 0);
  if (counts.reduce((a, b) => a + b, 0) !== count) fail(`${path}.count`, 'does not equal the sum of the bucket counts');
  return {
    labels: labels(o['labels'], names, `${path}.labels`),
    counts,
    sum: num(o['sum'], `${path}.sum`),
    count,
    samples: numbers(o['samples'], `${path}.samples`),
  };
}

function metric(v: unknown, path: string): MetricSnapshot {
  const o = obj(v, path);
  const type = o['type'];
  const name = str(o['name'], `${path}.name`);
  const help = str(o['help'], `${path}.help`);
  const labelNames = strings(o['labelNames'], `${path}.labelNames`);
  const series = arr(o['series'], `${path}.series`);
  if (type === 'counter' || type === 'gauge') {
    const parsed = series.map((s, i) => valueSeries(s, labelNames, type === 'counter', `${path}.series[${i}]`));
    return { type, name, help, labelNames, series: parsed };
  }
  if (type === 'histogram') {
    const buckets = numbers(o['buckets'], `${path}.buckets`);
    const parsed = series.map((s, i) => histogramSeries(s, labelNames, buckets.length, `${path}.series[${i}]`));
    return { type, name, help, labelNames, buckets, series: parsed };
  }
  return fail(`${path}.type`, "expected 'counter', 'gauge' or 'histogram'");
}

/**
 * Check that `input` (a snapshot object or its JSON text) has the shape of a {@link MetricsSnapshot}.
 * @returns Ok with a fresh, validated copy; Err `MetricsSnapshotInvalidError` naming the first bad path
 */
export function parseSnapshot(input: unknown): Result<MetricsSnapshot, MetricsSnapshotInvalidError> {
  try {
    let value = input;
    if (typeof input === 'string') {
      try {
        value = JSON.parse(input) as unknown;
      } catch (cause) {
        return err(new MetricsSnapshotInvalidError('metrics snapshot: not valid JSON', { cause }));
      }
    }
    const o = obj(value, 'snapshot');
    if (o['version'] !== 1) fail('snapshot.version', 'expected 1');
    const takenAt = num(o['takenAt'], 'snapshot.takenAt');
    const metrics = arr(o['metrics'], 'snapshot.metrics').map((m, i) => metric(m, `snapshot.metrics[${i}]`));
    return ok({ version: 1, takenAt, metrics });
  } catch (e) {
    if (e instanceof Bad) {
      const path = e.message.slice(0, e.message.indexOf(':'));
      return err(new MetricsSnapshotInvalidError(`metrics snapshot: ${e.message}`, { context: { path } }));
    }
    return err(new MetricsSnapshotInvalidError('metrics snapshot: could not be read', { cause: e }));
  }
}
