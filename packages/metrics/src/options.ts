import { type Clock, systemClock } from '@dive/errors';
import type { Registry, RegistryContentType } from 'prom-client';
import type { MetricsWarning } from './types.js';

/** Options of {@link createMetrics}. */
export interface MetricsOptions {
  /**
   * The prom-client Registry to register in, e.g. the one an embedding service serves on `/metrics`.
   * Default: a private `new Registry()` — prom-client's global registry is never used unless passed here.
   */
  readonly registry?: Registry<RegistryContentType>;
  /** Prepended to every metric name. Default `'dive_'`. */
  readonly prefix?: string;
  /** New label combinations beyond this many series per metric are refused (one warning). Default 1000. */
  readonly maxSeriesPerMetric?: number;
  /** Recent samples kept per histogram series for `percentile()` (a ring of the latest). Default 1000. */
  readonly maxSamplesPerSeries?: number;
  /** Called once per metric and kind of refusal. Default: `process.emitWarning(message, 'DiveMetricsWarning')`. */
  readonly onWarning?: (warning: MetricsWarning) => void;
  /**
   * The SDK's one {@link Clock}: `startTimer` and gauge timestamps read its `now()` (ms). Default `systemClock`
   * (wall-clock ms, so a gauge set in a later process wins a merge against a stored snapshot). Tests pass
   * `createFakeClock()` from `@dive/errors/testing`.
   */
  readonly clock?: Clock;
}

/** Options with defaults applied and checked. */
export interface ResolvedOptions {
  readonly prefix: string;
  readonly maxSeriesPerMetric: number;
  readonly maxSamplesPerSeries: number;
  readonly onWarning: (warning: MetricsWarning) => void;
  readonly clock: Clock;
}

const positiveInt = (name: string, v: number): number => {
  if (!Number.isSafeInteger(v) || v < 1)
    throw new RangeError(`createMetrics: ${name} must be an integer ≥ 1, got ${v}`);
  return v;
};

/** Apply defaults; throw `RangeError`/`TypeError` on nonsense. */
export function resolveOptions(options: MetricsOptions): ResolvedOptions {
  const prefix = options.prefix ?? 'dive_';
  if (prefix !== '' && !/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(prefix)) {
    throw new TypeError(`createMetrics: prefix '${prefix}' is not a valid Prometheus name prefix`);
  }
  return {
    prefix,
    maxSeriesPerMetric: positiveInt('maxSeriesPerMetric', options.maxSeriesPerMetric ?? 1000),
    maxSamplesPerSeries: positiveInt('maxSamplesPerSeries', options.maxSamplesPerSeries ?? 1000),
    onWarning:
      options.onWarning ??
      ((w) => {
        process.emitWarning(w.message, 'DiveMetricsWarning');
      }),
    clock: options.clock ?? systemClock,
  };
}
