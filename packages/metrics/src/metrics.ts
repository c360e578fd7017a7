import type { Result } from 'neverthrow';
import { err, ok } from 'neverthrow';
import { Registry, type RegistryContentType } from 'prom-client';
import { DEPLOYMENT_BUCKETS } from './buckets.js';
import { MetricsSnapshotInvalidError } from './errors.js';
import { registerCollector } from './internal/collector.js';
import { HistogramStore } from './internal/histogram-store.js';
import { parseSnapshot } from './internal/parse-snapshot.js';
import { renderReport } from './internal/report.js';
import type { Store } from './internal/store.js';
import { validateDefinition } from './internal/validate-definition.js';
import { ValueStore } from './internal/value-store.js';
import { resolveOptions, type MetricsOptions } from './options.js';
import type { MetricSnapshot, MetricsSnapshot } from './snapshot.js';
import type {
  Counter,
  Gauge,
  Histogram,
  HistogramDefinition,
  Labels,
  MetricDefinition,
  MetricsWarningKind,
} from './types.js';

/** What `merge()` did. */
export interface MergeSummary {
  /** Metrics merged (including ones defined from the snapshot). */
  readonly metrics: number;
  /** Series merged. */
  readonly series: number;
}

/** A set of metrics registered in one prom-client Registry. Create it with {@link createMetrics}. */
export interface Metrics extends AsyncDisposable {
  /** The Registry the metrics are registered in (the one passed in, or a private one). */
  readonly registry: Registry<RegistryContentType>;
  /** The name prefix, e.g. `'dive_'`. */
  readonly prefix: string;
  /**
   * Define (or get again, with the same definition) a counter. Throws `TypeError` on an invalid or conflicting
   * definition (a programmer error).
   * @param definition - name without the prefix, help, label names
   * @returns the typed handle
   */
  counter<L extends string = never>(definition: MetricDefinition<L>): Counter<L>;
  /**
   * Define (or get again) a gauge. Throws `TypeError` on an invalid or conflicting definition.
   * @param definition - name without the prefix, help, label names
   * @returns the typed handle
   */
  gauge<L extends string = never>(definition: MetricDefinition<L>): Gauge<L>;
  /**
   * Define (or get again) a histogram in seconds. Throws `TypeError`/`RangeError` on an invalid or conflicting
   * definition.
   * @param definition - name without the prefix, help, label names, buckets (default {@link DEPLOYMENT_BUCKETS})
   * @returns the typed handle
   */
  histogram<L extends string = never>(definition: HistogramDefinition<L>): Histogram<L>;
  /**
   * Record a duration in the histogram `name` (without prefix); a histogram not defined yet is defined with the
   * default buckets and the label names of `labels`. Never throws: refusals go to `onWarning`.
   * @param name - histogram name without the prefix, e.g. `'phase_duration_seconds'`
   * @param seconds - the duration, finite
   * @param labels - a value for each label name of the histogram
   */
  recordTiming(name: string, seconds: number, labels?: Labels): void;
  /**
   * Start timing now by the `clock`, for `recordTiming(name, …, labels)`.
   * @param name - histogram name without the prefix
   * @param labels - as for `recordTiming`
   * @returns a function that records the elapsed seconds (once) and returns them
   */
  startTimer(name: string, labels?: Labels): () => number;
  /**
   * Nearest-rank percentile of the recent timings of histogram `name` (see {@link nearestRankPercentile}).
   * @param p - in (0, 100]; otherwise `RangeError`
   * @param labels - one series; omitted, all series of the metric together
   * @returns the value in seconds, or `undefined` when the metric is unknown or has no samples
   */
  percentile(name: string, p: number, labels?: Labels): number | undefined;
  /**
   * @returns this set's metrics as text, formatted by prom-client in the Registry's content type (Prometheus text
   * 0.0.4 by default; OpenMetrics when the Registry was made with `Registry.OPENMETRICS_CONTENT_TYPE`)
   */
  toPrometheus(): Promise<string>;
  /** @returns a plain-text table for people: values, and count/sum/P50/P95/P99 of each histogram series */
  report(): string;
  /** @returns every metric as plain JSON, for {@link Metrics.merge} in a later process */
  snapshot(): MetricsSnapshot;
  /**
   * Merge a snapshot (object or JSON text): counters add, histograms add bucket counts, sum and count and append
   * samples, gauges keep the later-set value. Metrics not defined here are defined from the snapshot. All or
   * nothing: the input is checked completely before anything changes.
   * @returns Ok with counts of what was merged; Err `MetricsSnapshotInvalidError` when the JSON shape is wrong or
   * a metric conflicts with one defined here (type, label names, buckets)
   */
  merge(snapshot: unknown): Result<MergeSummary, MetricsSnapshotInvalidError>;
}

/**
 * Create a set of metrics on prom-client, with timings, percentiles, a readable report and JSON snapshots.
 *
 * @param options - see {@link MetricsOptions}; nonsense (maxSeriesPerMetric 0) throws `RangeError`
 * @returns the {@link Metrics}; dispose it to unregister its metrics from the Registry
 * @example
 * ```ts
 * const metrics = createMetrics();
 * const deployments = metrics.counter({
 *   name: 'deployments_total',
 *   help: 'Deployments by result.',
 *   labelNames: ['result'],
 * });
 * deployments.inc({ result: 'success' });
 * metrics.recordTiming('deployment_duration_seconds', 12.5);
 * await metrics.toPrometheus(); // '# HELP dive_deployments_total Deployments by result.\n…'
 * ```
 */
export function createMetrics(options: MetricsOptions = {}): Metrics {
  const o = resolveOptions(options);
  const registry: Registry<RegistryContentType> = options.registry ?? new Registry();
  const stores = new Map<string, Store>();

  const warn = (metric: string) => (kind: MetricsWarningKind, message: string) => {
    o.onWarning({ kind, metric, message });
  };

  const sameDefinition = (store: Store, def: MetricSnapshot): void => {
    const conflict = store.conflict(def);
    if (conflict !== undefined)
      throw new TypeError(`metrics: ${store.name} ${conflict.replace('the snapshot', 'this definition')}`);
  };

  const define = (def: MetricSnapshot): Store => {
    const existing = stores.get(def.name);
    if (existing !== undefined) {
      sameDefinition(existing, def);
      return existing;
    }
    validateDefinition(def.name, def.help, def.labelNames, def.type === 'histogram' ? def.buckets : undefined);
    const store: Store =
      def.type === 'histogram'
        ? new HistogramStore(
            def.name,
            def.help,
            def.labelNames,
            def.buckets,
            o.maxSeriesPerMetric,
            o.maxSamplesPerSeries,
            warn(def.name),
          )
        : new ValueStore(def.type, def.name, def.help, def.labelNames, o.maxSeriesPerMetric, warn(def.name), () =>
            o.clock.now(),
          );
    registerCollector(registry, def.name, () => store.collect());
    stores.set(def.name, store);
    return store;
  };

  const valueStore = (type: 'counter' | 'gauge', d: MetricDefinition<string>): ValueStore =>
    define({
      type,
      name: o.prefix + d.name,
      help: d.help,
      labelNames: [...(d.labelNames ?? [])],
      series: [],
    }) as ValueStore;

  const histogramStore = (d: HistogramDefinition<string>): HistogramStore =>
    define({
      type: 'histogram',
      name: o.prefix + d.name,
      help: d.help,
      labelNames: [...(d.labelNames ?? [])],
      buckets: [...(d.buckets ?? DEPLOYMENT_BUCKETS)],
      series: [],
    }) as HistogramStore;

  const startTimer = (store: HistogramStore, labels: Labels | undefined) => {
    const start = o.clock.now();
    let recorded: number | undefined;
    return () => {
      if (recorded === undefined) {
        recorded = (o.clock.now() - start) / 1000;
        store.observe(labels, recorded);
      }
      return recorded;
    };
  };

  const timingStore = (name: string, labels: Labels | undefined): HistogramStore | undefined => {
    const store = stores.get(o.prefix + name);
    if (store === undefined) {
      return histogramStore({
        name,
        help: `Duration of ${name} in seconds.`,
        labelNames: Object.keys(labels ?? {}).sort(),
      });
    }
    if (store instanceof HistogramStore) return store;
    store.table.warn('wrong-type', `${store.name}: is a ${store.type}, not a histogram; the timing was dropped`);
    return undefined;
  };

  return {
    registry,
    prefix: o.prefix,
    counter<L extends string = never>(d: MetricDefinition<L>): Counter<L> {
      const s = valueStore('counter', d);
      return {
        name: s.name,
        inc: (labels, value = 1) => {
          s.add(labels, value);
        },
        get: (labels) => s.get(labels),
      };
    },
    gauge<L extends string = never>(d: MetricDefinition<L>): Gauge<L> {
      const s = valueStore('gauge', d);
      return {
        name: s.name,
        set: (labels, value) => {
          s.set(labels, value);
        },
        inc: (labels, value = 1) => {
          s.add(labels, value);
        },
        dec: (labels, value = 1) => {
          s.add(labels, -value);
        },
        get: (labels) => s.get(labels),
      };
    },
    histogram<L extends string = never>(d: HistogramDefinition<L>): Histogram<L> {
      const s = histogramStore(d);
      return {
        name: s.name,
        observe: (labels, seconds) => {
          s.observe(labels, seconds);
        },
        startTimer: (labels) => startTimer(s, labels),
        percentile: (p, labels) => s.percentile(p, labels),
        get: (labels) => s.get(labels),
      };
    },
    recordTiming(name, seconds, labels) {
      timingStore(name, labels)?.observe(labels, seconds);
    },
    startTimer(name, labels) {
      const store = timingStore(name, labels);
      return store === undefined ? () => 0 : startTimer(store, labels);
    },
    percentile(name, p, labels) {
      if (!(p > 0 && p <= 100)) throw new RangeError(`percentile: p must be in (0, 100], got ${p}`);
      const store = stores.get(o.prefix + name);
      return store instanceof HistogramStore ? store.percentile(p, labels) : undefined;
    },
    async toPrometheus() {
      const texts = await Promise.all([...stores.keys()].map((name) => registry.getSingleMetricAsString(name)));
      if (registry.contentType === Registry.OPENMETRICS_CONTENT_TYPE) return `${texts.join('\n')}\n# EOF\n`;
      return texts.length === 0 ? '' : texts.join('\n\n') + '\n';
    },
    report: () => renderReport(stores.values()),
    snapshot: () => ({ version: 1, takenAt: o.clock.now(), metrics: [...stores.values()].map((s) => s.snapshot()) }),
    merge(input) {
      const parsed = parseSnapshot(input);
      if (parsed.isErr()) return err(parsed.error);
      const metrics = parsed.value.metrics;
      const seen = new Set<string>();
      for (const [i, m] of metrics.entries()) {
        const path = `snapshot.metrics[${i}]`;
        const bad = (message: string) =>
          err(new MetricsSnapshotInvalidError(`metrics snapshot: ${message}`, { context: { path, metric: m.name } }));
        if (seen.has(m.name)) return bad(`${m.name} appears twice`);
        seen.add(m.name);
        if (!stores.has(m.name) && registry.getSingleMetric(m.name) !== undefined) {
          return bad(`${m.name} is already registered in the Registry by someone else`);
        }
        const conflict = stores.get(m.name)?.conflict(m);
        if (conflict !== undefined) {
          return err(
            new MetricsSnapshotInvalidError(`metrics snapshot: ${m.name} ${conflict}`, {
              context: { path: `snapshot.metrics[${i}]`, metric: m.name },
            }),
          );
        }
        try {
          validateDefinition(m.name, m.help, m.labelNames, m.type === 'histogram' ? m.buckets : undefined);
        } catch (cause) {
          return err(
            new MetricsSnapshotInvalidError(`metrics snapshot: ${String(cause)}`, {
              cause,
              context: { path: `snapshot.metrics[${i}]` },
            }),
          );
        }
      }
      let series = 0;
      for (const m of metrics) {
        define({ ...m, series: [] }).merge(m);
        series += m.series.length;
      }
      return ok({ metrics: metrics.length, series });
    },
    [Symbol.asyncDispose]() {
      for (const name of stores.keys()) registry.removeSingleMetric(name);
      stores.clear();
      return Promise.resolve();
    },
  };
}
