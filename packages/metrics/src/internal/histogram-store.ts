/* eslint-disable @typescript-eslint/no-non-null-assertion -- hot path: indexes are in range by construction (bucket
   counts have one slot per bound plus +Inf; label names are iterated by their length). */
import { nearestRankPercentile } from '../percentile.js';
import type { HistogramMetricSnapshot, MetricSnapshot } from '../snapshot.js';
import type { Labels } from '../types.js';
import type { CollectedMetric, CollectedValue } from './collector.js';

const NO_LABELS: Readonly<Record<string, string>> = Object.freeze({});
import { Reservoir } from './reservoir.js';
import { SeriesTable, type Warn } from './series-table.js';
import { fmt, formatLabels, sameNames, type ReportRow, type Store } from './store.js';

interface HistogramSeries {
  readonly labels: Readonly<Record<string, string>>;
  /** Per-bucket counts, not cumulative; the last is `+Inf`. */
  readonly counts: number[];
  sum: number;
  count: number;
  readonly samples: Reservoir;
}

/** Histograms: bucket counts, sum and count per series, plus a bounded reservoir of recent samples. */
export class HistogramStore implements Store {
  readonly type = 'histogram' as const;
  readonly table: SeriesTable<HistogramSeries>;
  private readonly bounds: Float64Array;
  /** `{ le }` label objects, built once and shared by every series' bucket lines. */
  private readonly leLabels: readonly Readonly<Record<string, string | number>>[];

  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly string[],
    readonly buckets: readonly number[],
    maxSeries: number,
    maxSamples: number,
    warn: Warn,
  ) {
    this.bounds = Float64Array.from(buckets);
    // Numbers, as prom-client's Histogram does: prom-client escapes string label values but writes numbers as is.
    this.leLabels = [...buckets, '+Inf'].map((le) => Object.freeze({ le }));
    this.table = new SeriesTable(name, labelNames, maxSeries, warn, (labels) => ({
      labels,
      counts: new Array<number>(buckets.length + 1).fill(0),
      sum: 0,
      count: 0,
      samples: new Reservoir(maxSamples),
    }));
  }

  observe(labels: Labels | undefined, seconds: number): void {
    if (!Number.isFinite(seconds)) {
      this.table.warn('invalid-value', `${this.name}: needs a finite number, got ${seconds}; the value was dropped`);
      return;
    }
    const s = this.table.get(labels);
    if (s === undefined) return;
    const bounds = this.bounds;
    let i = 0;
    while (i < bounds.length && seconds > bounds[i]!) i++;
    s.counts[i]!++;
    s.sum += seconds;
    s.count++;
    s.samples.push(seconds);
  }

  percentile(p: number, labels: Labels | undefined): number | undefined {
    if (labels !== undefined) return nearestRankPercentile(this.table.find(labels)?.samples.toArray() ?? [], p);
    const all: number[] = [];
    for (const s of this.table.series.values()) all.push(...s.samples.toArray());
    return nearestRankPercentile(all, p);
  }

  get(labels: Labels | undefined): { count: number; sum: number } {
    const s = this.table.find(labels);
    return { count: s?.count ?? 0, sum: s?.sum ?? 0 };
  }

  collect(): CollectedMetric {
    const bucketName = `${this.name}_bucket`;
    const sumName = `${this.name}_sum`;
    const countName = `${this.name}_count`;
    const le = this.leLabels;
    const values: CollectedValue[] = [];
    for (const s of this.table.series.values()) {
      const shared = s.labels;
      let acc = 0;
      for (let i = 0; i < le.length; i++) {
        acc += s.counts[i]!;
        values.push({ labels: le[i]!, sharedLabels: shared, value: acc, metricName: bucketName });
      }
      values.push({ labels: NO_LABELS, sharedLabels: shared, value: s.sum, metricName: sumName });
      values.push({ labels: NO_LABELS, sharedLabels: shared, value: s.count, metricName: countName });
    }
    return { name: this.name, help: this.help, type: 'histogram', values };
  }

  snapshot(): HistogramMetricSnapshot {
    const series = [...this.table.series.values()].map((s) => ({
      labels: s.labels,
      counts: [...s.counts],
      sum: s.sum,
      count: s.count,
      samples: s.samples.toArray(),
    }));
    return {
      type: 'histogram',
      name: this.name,
      help: this.help,
      labelNames: [...this.labelNames],
      buckets: [...this.buckets],
      series,
    };
  }

  conflict(other: MetricSnapshot): string | undefined {
    if (other.type !== 'histogram') return `is a histogram here but a ${other.type} in the snapshot`;
    if (!sameNames(other.labelNames, this.labelNames)) {
      return `has labels [${this.labelNames.join(', ')}] here but [${other.labelNames.join(', ')}] in the snapshot`;
    }
    if (other.buckets.length !== this.buckets.length || other.buckets.some((b, i) => b !== this.buckets[i])) {
      return `has buckets [${this.buckets.join(', ')}] here but [${other.buckets.join(', ')}] in the snapshot`;
    }
    return undefined;
  }

  merge(other: MetricSnapshot): void {
    if (other.type !== 'histogram') return;
    for (const incoming of other.series) {
      const s = this.table.get(incoming.labels);
      if (s === undefined) continue;
      incoming.counts.forEach((c, i) => (s.counts[i]! += c));
      s.sum += incoming.sum;
      s.count += incoming.count;
      for (const v of incoming.samples) s.samples.push(v);
    }
  }

  reportRows(): ReportRow[] {
    return [...this.table.series.values()].map((s) => {
      const q = (p: number) => {
        const v = nearestRankPercentile(s.samples.toArray(), p);
        return v === undefined ? '-' : fmt(v);
      };
      return [this.name, formatLabels(s.labels), String(s.count), fmt(s.sum), q(50), q(95), q(99)];
    });
  }
}
