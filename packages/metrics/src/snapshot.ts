/** One counter or gauge series in a snapshot. */
export interface ValueSeriesSnapshot {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
  /** Gauges only: when it was last set, by the metrics' clock (ms); the later one wins on merge. */
  readonly at?: number;
}

/** One histogram series in a snapshot. */
export interface HistogramSeriesSnapshot {
  readonly labels: Readonly<Record<string, string>>;
  /** Per-bucket counts (not cumulative), one per bound and a last one for `+Inf`. */
  readonly counts: readonly number[];
  readonly sum: number;
  readonly count: number;
  /** The kept recent samples, oldest first (at most `maxSamplesPerSeries`). */
  readonly samples: readonly number[];
}

/** A counter or gauge in a snapshot. */
export interface ValueMetricSnapshot {
  readonly type: 'counter' | 'gauge';
  /** Full name, prefix included. */
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly string[];
  readonly series: readonly ValueSeriesSnapshot[];
}

/** A histogram in a snapshot. */
export interface HistogramMetricSnapshot {
  readonly type: 'histogram';
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly string[];
  readonly buckets: readonly number[];
  readonly series: readonly HistogramSeriesSnapshot[];
}

/** One metric in a snapshot. */
export type MetricSnapshot = ValueMetricSnapshot | HistogramMetricSnapshot;

/**
 * Every metric of a `Metrics` as plain JSON (`JSON.stringify` it as is), for a short-lived process to store and
 * a later one to `merge()`.
 */
export interface MetricsSnapshot {
  readonly version: 1;
  /** When it was taken, by the metrics' clock (ms). */
  readonly takenAt: number;
  readonly metrics: readonly MetricSnapshot[];
}
