import type { MetricSnapshot, ValueMetricSnapshot } from '../snapshot.js';
import type { Labels } from '../types.js';
import type { CollectedMetric } from './collector.js';
import { SeriesTable, type Warn } from './series-table.js';
import { fmt, formatLabels, sameNames, type ReportRow, type Store } from './store.js';

interface ValueSeries {
  readonly labels: Readonly<Record<string, string>>;
  value: number;
  /** Gauges: when last set (ms by the clock); -Infinity until then. */
  at: number;
}

/** Counters and gauges: one number per series. Counters refuse negative steps; gauges remember when set. */
export class ValueStore implements Store {
  readonly table: SeriesTable<ValueSeries>;

  constructor(
    readonly type: 'counter' | 'gauge',
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly string[],
    maxSeries: number,
    warn: Warn,
    private readonly now: () => number,
  ) {
    this.table = new SeriesTable(name, labelNames, maxSeries, warn, (labels) => ({
      labels,
      value: 0,
      at: Number.NEGATIVE_INFINITY,
    }));
  }

  add(labels: Labels | undefined, value: number): void {
    if (!Number.isFinite(value) || (this.type === 'counter' && value < 0)) {
      this.refuse(value);
      return;
    }
    const s = this.table.get(labels);
    if (s === undefined) return;
    s.value += value;
    if (this.type === 'gauge') s.at = this.now();
  }

  set(labels: Labels | undefined, value: number): void {
    if (!Number.isFinite(value)) {
      this.refuse(value);
      return;
    }
    const s = this.table.get(labels);
    if (s === undefined) return;
    s.value = value;
    s.at = this.now();
  }

  get(labels: Labels | undefined): number {
    return this.table.find(labels)?.value ?? 0;
  }

  collect(): CollectedMetric {
    const values = [];
    for (const s of this.table.series.values()) values.push({ labels: s.labels, value: s.value });
    return { name: this.name, help: this.help, type: this.type, values };
  }

  snapshot(): ValueMetricSnapshot {
    const series = [...this.table.series.values()].map((s) =>
      this.type === 'gauge' && Number.isFinite(s.at)
        ? { labels: s.labels, value: s.value, at: s.at }
        : { labels: s.labels, value: s.value },
    );
    return { type: this.type, name: this.name, help: this.help, labelNames: [...this.labelNames], series };
  }

  conflict(other: MetricSnapshot): string | undefined {
    if (other.type !== this.type) return `is a ${this.type} here but a ${other.type} in the snapshot`;
    if (!sameNames(other.labelNames, this.labelNames)) {
      return `has labels [${this.labelNames.join(', ')}] here but [${other.labelNames.join(', ')}] in the snapshot`;
    }
    return undefined;
  }

  merge(other: MetricSnapshot): void {
    if (other.type === 'histogram') return;
    for (const incoming of other.series) {
      const s = this.table.get(incoming.labels);
      if (s === undefined) continue;
      if (this.type === 'counter') {
        s.value += incoming.value;
      } else {
        const at = incoming.at ?? Number.NEGATIVE_INFINITY;
        if (at >= s.at) {
          s.value = incoming.value;
          s.at = at;
        }
      }
    }
  }

  reportRows(): ReportRow[] {
    return [...this.table.series.values()].map((s) => [this.name, formatLabels(s.labels), fmt(s.value)]);
  }

  private refuse(value: number): void {
    const need = this.type === 'counter' ? 'a finite number ≥ 0' : 'a finite number';
    this.table.warn('invalid-value', `${this.name}: needs ${need}, got ${value}; the value was dropped`);
  }
}
