import type { MetricSnapshot } from '../snapshot.js';
import type { CollectedMetric } from './collector.js';
import type { SeriesTable } from './series-table.js';

/** One row of `report()`: metric, labels, then the values to show. */
export type ReportRow = readonly string[];

/** What every kind of metric keeps and can do, behind the typed handles. */
export interface Store {
  readonly type: 'counter' | 'gauge' | 'histogram';
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly string[];
  readonly table: SeriesTable<unknown>;
  collect(): CollectedMetric;
  snapshot(): MetricSnapshot;
  /** Why `other` cannot be merged into this metric, or `undefined` when it can. */
  conflict(other: MetricSnapshot): string | undefined;
  /** Merge a snapshot already validated and checked with `conflict`. */
  merge(other: MetricSnapshot): void;
  reportRows(): ReportRow[];
}

/** `a=1,b=2`, or `-` for no labels. */
export function formatLabels(labels: Readonly<Record<string, string>>): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
  return parts.length === 0 ? '-' : parts.join(',');
}

/** Compare definitions for `conflict`. */
export function sameNames(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Shortest readable number: 12, 0.25, 1.5e-7. */
export function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(4)));
}
