import type { Metric, MetricType, MetricValue, Registry } from 'prom-client';

/** What prom-client's Registry reads from a metric when it formats the exposition. */
export interface CollectedMetric {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'gauge' | 'histogram';
  readonly values: MetricValue<string>[];
}

/**
 * Register a metric whose values we keep ourselves: prom-client's Registry calls `get()` at scrape time and
 * formats the text (escaping, default labels, content type), exactly as for its own metrics.
 */
export function registerCollector(registry: Registry, name: string, collect: () => CollectedMetric): void {
  const metric = {
    name,
    aggregator: 'sum',
    get: () => Promise.resolve({ ...collect(), aggregator: 'sum' }),
    reset: () => undefined,
  };
  if (registry.getSingleMetric(name) !== undefined) {
    throw new TypeError(`createMetrics: a metric named '${name}' is already registered in the prom-client Registry`);
  }
  registry.registerMetric(metric as unknown as Metric);
}

export type { MetricType };
