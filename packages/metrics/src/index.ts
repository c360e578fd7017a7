export { DEPLOYMENT_BUCKETS, SHORT_BUCKETS } from './buckets.js';
export { CIRCUIT_STATE_VALUES, createDiveMetrics, type CircuitStateName, type DiveMetrics } from './dive-metrics.js';
export { MetricsSnapshotInvalidError, type MergeError } from './errors.js';
export { createMetrics, type MergeSummary, type Metrics } from './metrics.js';
export type { MetricsOptions } from './options.js';
export { nearestRankPercentile } from './percentile.js';
export type {
  HistogramMetricSnapshot,
  HistogramSeriesSnapshot,
  MetricSnapshot,
  MetricsSnapshot,
  ValueMetricSnapshot,
  ValueSeriesSnapshot,
} from './snapshot.js';
export type {
  Counter,
  Gauge,
  Histogram,
  HistogramDefinition,
  LabelValue,
  Labels,
  MetricDefinition,
  // eslint-disable-next-line @typescript-eslint/no-deprecated -- kept one release for existing imports
  MetricsClock,
  MetricsWarning,
  MetricsWarningKind,
} from './types.js';
