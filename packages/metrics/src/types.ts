import type { Clock } from '@dive/errors';

/** A label value; numbers are exported as their decimal string. */
export type LabelValue = string | number;

/** The labels of one series: a value for every declared label name. */
export type Labels<L extends string = string> = Readonly<Record<L, LabelValue>>;

/** What a warning is about. */
export type MetricsWarningKind = 'series-limit' | 'invalid-labels' | 'invalid-value' | 'wrong-type';

/**
 * Something was refused without failing the caller: a new series beyond `maxSeriesPerMetric`, labels that do
 * not match the declared names, a NaN or negative value. Each kind is reported once per metric.
 */
export interface MetricsWarning {
  readonly kind: MetricsWarningKind;
  /** The full metric name, prefix included. */
  readonly metric: string;
  readonly message: string;
}

/**
 * The time source of metrics.
 * @deprecated Use `Clock` from `@dive/errors`: metrics take the SDK's one clock (`MetricsOptions.clock`).
 */
export type MetricsClock = Clock;

/** The definition of a counter or gauge. `name` is given without the prefix. */
export interface MetricDefinition<L extends string = never> {
  /** Name without the prefix, e.g. `'deployments_total'`; `[a-zA-Z_:][a-zA-Z0-9_:]*` once prefixed. */
  readonly name: string;
  /** One line shown as `# HELP`. */
  readonly help: string;
  /** Label names, `[a-zA-Z_][a-zA-Z0-9_]*`, not starting with `__`. Default none. */
  readonly labelNames?: readonly L[];
}

/** The definition of a histogram. */
export interface HistogramDefinition<L extends string = never> extends MetricDefinition<L> {
  /** Upper bounds in seconds, strictly increasing, finite; `+Inf` is implied. Default {@link DEPLOYMENT_BUCKETS}. */
  readonly buckets?: readonly number[];
}

/** A counter: only goes up. */
export interface Counter<L extends string = never> {
  readonly name: string;
  /**
   * Add to the series with these labels.
   * @param labels - a value for every declared label (`{}` when there are none)
   * @param value - how much to add, finite and ≥ 0 (default 1); anything else is refused with a warning
   */
  inc(labels?: Labels<L>, value?: number): void;
  /** @returns the current value of a series, 0 when it was never incremented */
  get(labels?: Labels<L>): number;
}

/** A gauge: a value that is set, and may go up and down. */
export interface Gauge<L extends string = never> {
  readonly name: string;
  /** Set the series to `value` (finite). */
  set(labels: Labels<L>, value: number): void;
  /** Add `value` (default 1). */
  inc(labels?: Labels<L>, value?: number): void;
  /** Subtract `value` (default 1). */
  dec(labels?: Labels<L>, value?: number): void;
  /** @returns the current value of a series, 0 when it was never set */
  get(labels?: Labels<L>): number;
}

/** A histogram of durations in seconds, with a bounded reservoir of recent samples for percentiles. */
export interface Histogram<L extends string = never> {
  readonly name: string;
  /** Record one observation in seconds (finite); NaN and infinities are refused with a warning. */
  observe(labels: Labels<L>, seconds: number): void;
  /**
   * Start timing now, by the metrics' clock.
   * @returns a function that records the elapsed seconds once and returns them
   */
  startTimer(labels?: Labels<L>): () => number;
  /**
   * @param p - in (0, 100]
   * @param labels - one series; omitted, every series of the metric together
   * @returns the nearest-rank percentile of the kept samples, or `undefined` when there are none
   */
  percentile(p: number, labels?: Labels<L>): number | undefined;
  /** @returns observation count and sum of a series (zeros when it has none) */
  get(labels?: Labels<L>): { readonly count: number; readonly sum: number };
}
