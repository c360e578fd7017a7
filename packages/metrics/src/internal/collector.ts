import { Registry, type Metric, type RegistryContentType } from 'prom-client';

/** One exposition line: `labels` are merged with `sharedLabels` (the series' labels, formatted once and cached). */
export interface CollectedValue {
  /** Numbers are written as is; strings are escaped by prom-client. */
  readonly labels: Readonly<Record<string, string | number>>;
  readonly sharedLabels?: Readonly<Record<string, string>>;
  readonly value: number;
  readonly metricName?: string;
}

/** What prom-client's Registry reads from a metric when it formats the exposition. */
export interface CollectedMetric {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'gauge' | 'histogram';
  readonly values: CollectedValue[];
}

/**
 * Register a metric whose values we keep ourselves: prom-client's Registry calls `getForPromString()` at scrape
 * time (or `get()` for JSON) and formats the text — escaping, default labels, content type — exactly as for its
 * own metrics. Like prom-client's Histogram, bucket lines pass the series labels as `sharedLabels`, which prom-client
 * formats once per series (a WeakMap cache) instead of once per bucket.
 */
export function registerCollector(
  registry: Registry<RegistryContentType>,
  name: string,
  collect: () => CollectedMetric,
): void {
  const metric = {
    name,
    aggregator: 'sum',
    getForPromString: () => {
      const c = collect();
      // OpenMetrics names a counter family without `_total` and prom-client appends it to each line.
      const openMetrics = registry.contentType === Registry.OPENMETRICS_CONTENT_TYPE;
      const family = openMetrics && c.type === 'counter' ? c.name.replace(/_total$/, '') : c.name;
      return Promise.resolve({ ...c, name: family, aggregator: 'sum' });
    },
    get: () => {
      const c = collect();
      const values = c.values.map(({ labels, sharedLabels, ...rest }) => ({
        ...rest,
        labels: { ...labels, ...sharedLabels },
      }));
      return Promise.resolve({ ...c, values, aggregator: 'sum' });
    },
    reset: () => undefined,
  };
  if (registry.getSingleMetric(name) !== undefined) {
    throw new TypeError(`createMetrics: a metric named '${name}' is already registered in the prom-client Registry`);
  }
  registry.registerMetric(metric as unknown as Metric);
}
