import { describe, expect, it } from 'vitest';
import { createFakeClock } from '@dive/errors/testing';
import { createMetrics, type Metrics } from './metrics.js';

/** One short-lived "CLI run": merge what is stored, record, return the new snapshot as JSON text. */
function run(stored: string | undefined, record: (m: Metrics) => void, clock = createFakeClock(1_000)): string {
  const metrics = createMetrics({ clock });
  if (stored !== undefined) expect(metrics.merge(stored).isOk()).toBe(true);
  record(metrics);
  return JSON.stringify(metrics.snapshot());
}

const define = (m: Metrics) => ({
  deployments: m.counter({ name: 'deployments_total', help: 'd', labelNames: ['result'] }),
  state: m.gauge({ name: 'state', help: 's', labelNames: ['breaker'] }),
  duration: m.histogram({ name: 'duration_seconds', help: 'h', buckets: [1, 10] }),
});

describe('snapshot and merge', () => {
  it('accumulate across processes: counters add, histograms add, gauges keep the later value', async () => {
    const clock = createFakeClock(1_000);
    const first = run(
      undefined,
      (m) => {
        const d = define(m);
        d.deployments.inc({ result: 'success' });
        d.state.set({ breaker: 'pg' }, 2);
        d.duration.observe({}, 0.5);
        d.duration.observe({}, 20);
      },
      clock,
    );
    clock.advance(10);
    const second = run(
      first,
      (m) => {
        const d = define(m);
        d.deployments.inc({ result: 'success' }, 2);
        d.deployments.inc({ result: 'failed' });
        d.state.set({ breaker: 'pg' }, 0);
        d.duration.observe({}, 5);
      },
      clock,
    );

    const metrics = createMetrics();
    expect(metrics.merge(second)._unsafeUnwrap()).toEqual({ metrics: 3, series: 4 });
    const d = define(metrics);
    expect(d.deployments.get({ result: 'success' })).toBe(3);
    expect(d.deployments.get({ result: 'failed' })).toBe(1);
    expect(d.state.get({ breaker: 'pg' })).toBe(0);
    expect(d.duration.get()).toEqual({ count: 3, sum: 25.5 });
    expect(d.duration.percentile(50)).toBe(5);
    const text = await metrics.toPrometheus();
    expect(text).toContain('dive_duration_seconds_bucket{le="1"} 1');
    expect(text).toContain('dive_duration_seconds_bucket{le="10"} 2');
    expect(text).toContain('dive_duration_seconds_bucket{le="+Inf"} 3');
  });

  it('keeps a gauge set after the snapshot was taken', () => {
    const clock = createFakeClock(1_000);
    const old = createMetrics({ clock });
    old.gauge({ name: 'g', help: 'g' }).set({}, 1);
    const snapshot = old.snapshot();
    clock.advance(5);
    const metrics = createMetrics({ clock });
    const g = metrics.gauge({ name: 'g', help: 'g' });
    g.set({}, 7);
    expect(metrics.merge(snapshot).isOk()).toBe(true);
    expect(g.get()).toBe(7);
  });

  it('defines metrics it does not know yet from the snapshot', () => {
    const source = createMetrics();
    source.recordTiming('phase_seconds', 3, { phase: 'verify' });
    const metrics = createMetrics();
    expect(metrics.merge(source.snapshot()).isOk()).toBe(true);
    expect(metrics.percentile('phase_seconds', 50, { phase: 'verify' })).toBe(3);
  });

  it.each([
    ['not JSON', '{', undefined],
    ['not an object', 42, 'snapshot'],
    ['a wrong version', { version: 2, takenAt: 0, metrics: [] }, 'snapshot.version'],
    [
      'an unknown type',
      { version: 1, takenAt: 0, metrics: [{ type: 'summary', name: 'x', help: 'x', labelNames: [], series: [] }] },
      'snapshot.metrics[0].type',
    ],
    [
      'a negative counter',
      {
        version: 1,
        takenAt: 0,
        metrics: [
          { type: 'counter', name: 'dive_c_total', help: 'c', labelNames: [], series: [{ labels: {}, value: -1 }] },
        ],
      },
      'snapshot.metrics[0].series[0].value',
    ],
    [
      'labels not matching the names',
      {
        version: 1,
        takenAt: 0,
        metrics: [
          {
            type: 'counter',
            name: 'dive_c_total',
            help: 'c',
            labelNames: ['a'],
            series: [{ labels: { b: 'x' }, value: 1 }],
          },
        ],
      },
      'snapshot.metrics[0].series[0].labels',
    ],
    [
      'bucket counts of the wrong length',
      {
        version: 1,
        takenAt: 0,
        metrics: [
          {
            type: 'histogram',
            name: 'dive_h',
            help: 'h',
            labelNames: [],
            buckets: [1],
            series: [{ labels: {}, counts: [1], sum: 1, count: 1, samples: [] }],
          },
        ],
      },
      'snapshot.metrics[0].series[0].counts',
    ],
    [
      'a count that is not the sum of the buckets',
      {
        version: 1,
        takenAt: 0,
        metrics: [
          {
            type: 'histogram',
            name: 'dive_h',
            help: 'h',
            labelNames: [],
            buckets: [1],
            series: [{ labels: {}, counts: [1, 1], sum: 1, count: 3, samples: [] }],
          },
        ],
      },
      'snapshot.metrics[0].series[0].count',
    ],
    [
      'an invalid metric name',
      {
        version: 1,
        takenAt: 0,
        metrics: [{ type: 'counter', name: 'bad name', help: 'c', labelNames: [], series: [] }],
      },
      'snapshot.metrics[0]',
    ],
    [
      'a metric twice',
      {
        version: 1,
        takenAt: 0,
        metrics: [0, 1].map(() => ({ type: 'counter', name: 'dive_new_total', help: 'c', labelNames: [], series: [] })),
      },
      'snapshot.metrics[1]',
    ],
  ])('refuses %s with MetricsSnapshotInvalidError and leaves the metrics unchanged', async (_, input, path) => {
    const metrics = createMetrics();
    const d = define(metrics);
    d.deployments.inc({ result: 'success' });
    const before = await metrics.toPrometheus();
    const result = metrics.merge(input);
    expect(result.isErr()).toBe(true);
    const error = result._unsafeUnwrapErr();
    expect(error._tag).toBe('MetricsSnapshotInvalidError');
    expect(error.code).toBe(6007);
    if (path !== undefined) expect(error.context['path']).toBe(path);
    expect(await metrics.toPrometheus()).toBe(before);
  });

  it('refuses a snapshot whose metric conflicts with a local definition, merging nothing of it', async () => {
    const source = createMetrics();
    source.counter({ name: 'a_total', help: 'a' }).inc();
    source.counter({ name: 'deployments_total', help: 'd', labelNames: ['instance'] }).inc({ instance: 'USA' });
    const metrics = createMetrics();
    define(metrics).deployments.inc({ result: 'success' });
    const before = await metrics.toPrometheus();
    const result = metrics.merge(source.snapshot());
    expect(result._unsafeUnwrapErr()._tag).toBe('MetricsSnapshotInvalidError');
    expect(result._unsafeUnwrapErr().context['metric']).toBe('dive_deployments_total');
    expect(await metrics.toPrometheus()).toBe(before);
  });

  it('applies maxSeriesPerMetric to merged series too', () => {
    const source = createMetrics();
    const c = source.counter({ name: 'c_total', help: 'c', labelNames: ['id'] });
    for (let i = 0; i < 5; i++) c.inc({ id: i });
    const warnings: string[] = [];
    const metrics = createMetrics({ maxSeriesPerMetric: 3, onWarning: (w) => warnings.push(w.kind) });
    expect(metrics.merge(source.snapshot()).isOk()).toBe(true);
    expect(metrics.snapshot().metrics[0]?.series).toHaveLength(3);
    expect(warnings).toEqual(['series-limit']);
  });
});
