import { Registry, register as globalRegistry, type OpenMetricsContentType } from 'prom-client';
import { describe, expect, it, vi } from 'vitest';
import { createFakeClock } from '@dive/errors/testing';
import { createMetrics } from './metrics.js';
import type { MetricsWarning } from './types.js';

const quiet = () => {
  const warnings: MetricsWarning[] = [];
  return { warnings, onWarning: (w: MetricsWarning) => warnings.push(w) };
};

describe('createMetrics', () => {
  it('runs the README quick example', async () => {
    const metrics = createMetrics();
    const deployments = metrics.counter({
      name: 'deployments_total',
      help: 'Deployments by result.',
      labelNames: ['result'],
    });
    deployments.inc({ result: 'success' });
    metrics.recordTiming('deployment_duration_seconds', 12.5);
    const text = await metrics.toPrometheus();
    expect(text).toContain('dive_deployments_total{result="success"} 1');
    expect(text).toContain('dive_deployment_duration_seconds_bucket{le="30"} 1');
    expect(text).toContain('dive_deployment_duration_seconds_count 1');
  });

  it('keeps counters, gauges and histograms per label combination', () => {
    const metrics = createMetrics();
    const c = metrics.counter({ name: 'c_total', help: 'c', labelNames: ['a', 'b'] });
    c.inc({ a: 'x', b: 1 });
    c.inc({ a: 'x', b: '1' }, 2);
    c.inc({ a: 'y', b: 1 });
    expect(c.get({ a: 'x', b: 1 })).toBe(3);
    expect(c.get({ a: 'y', b: 1 })).toBe(1);
    expect(c.get({ a: 'z', b: 1 })).toBe(0);
    const g = metrics.gauge({ name: 'g', help: 'g' });
    g.set({}, 5);
    g.inc();
    g.dec({}, 3);
    expect(g.get()).toBe(3);
    const h = metrics.histogram({ name: 'h_seconds', help: 'h', buckets: [1, 2] });
    h.observe({}, 0.5);
    h.observe({}, 1.5);
    expect(h.get()).toEqual({ count: 2, sum: 2 });
  });

  it('puts values on bucket bounds into that bucket (le is inclusive)', async () => {
    const metrics = createMetrics();
    metrics.histogram({ name: 'h_seconds', help: 'h', buckets: [1, 2] }).observe({}, 1);
    const text = await metrics.toPrometheus();
    expect(text).toContain('dive_h_seconds_bucket{le="1"} 1');
  });

  it('defines a histogram on the first recordTiming and times with the injected clock', () => {
    const clock = createFakeClock(1_000);
    const metrics = createMetrics({ clock });
    const stop = metrics.startTimer('phase_seconds', { phase: 'start' });
    clock.advance(2_500);
    expect(stop()).toBe(2.5);
    clock.advance(1_000);
    expect(stop()).toBe(2.5);
    metrics.recordTiming('phase_seconds', 0.5, { phase: 'start' });
    expect(metrics.percentile('phase_seconds', 100, { phase: 'start' })).toBe(2.5);
    expect(metrics.percentile('phase_seconds', 50)).toBe(0.5);
    expect(
      metrics.histogram({ name: 'phase_seconds', help: 'x', labelNames: ['phase'] }).get({ phase: 'start' }).count,
    ).toBe(2);
  });

  it('gives exact percentiles of 1..100 recorded timings', () => {
    const metrics = createMetrics();
    for (let i = 100; i >= 1; i--) metrics.recordTiming('t_seconds', i, { s: 'a' });
    expect([50, 95, 99].map((p) => metrics.percentile('t_seconds', p, { s: 'a' }))).toEqual([50, 95, 99]);
    expect(metrics.percentile('unknown_seconds', 50)).toBeUndefined();
    expect(() => metrics.percentile('t_seconds', 0)).toThrow(RangeError);
  });

  it('keeps at most maxSamplesPerSeries recent samples for percentiles, but counts every observation', () => {
    const metrics = createMetrics({ maxSamplesPerSeries: 10 });
    const h = metrics.histogram({ name: 'h_seconds', help: 'h' });
    for (let i = 1; i <= 100; i++) h.observe({}, i);
    expect(h.percentile(1)).toBe(91);
    expect(h.get().count).toBe(100);
  });

  it('refuses series beyond maxSeriesPerMetric with a single warning', () => {
    const { warnings, onWarning } = quiet();
    const metrics = createMetrics({ maxSeriesPerMetric: 2, onWarning });
    const c = metrics.counter({ name: 'c_total', help: 'c', labelNames: ['id'] });
    for (let i = 0; i < 50; i++) c.inc({ id: i });
    expect(c.get({ id: 0 }) + c.get({ id: 1 })).toBe(2);
    expect(c.get({ id: 2 })).toBe(0);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ kind: 'series-limit', metric: 'dive_c_total' });
    c.inc({ id: 0 });
    expect(c.get({ id: 0 })).toBe(2);
  });

  it('drops missing labels and bad values with one warning per kind, never throwing', () => {
    const { warnings, onWarning } = quiet();
    const metrics = createMetrics({ onWarning });
    const c = metrics.counter({ name: 'c_total', help: 'c', labelNames: ['a'] });
    c.inc({} as never);
    c.inc(undefined);
    c.inc({ a: 'x' }, -1);
    c.inc({ a: 'x' }, Number.NaN);
    metrics.histogram({ name: 'h_seconds', help: 'h' }).observe({}, Number.POSITIVE_INFINITY);
    metrics.recordTiming('c_total', 1);
    expect(c.get({ a: 'x' })).toBe(0);
    expect(warnings.map((w) => `${w.metric}:${w.kind}`)).toEqual([
      'dive_c_total:invalid-labels',
      'dive_c_total:invalid-value',
      'dive_h_seconds:invalid-value',
      'dive_c_total:wrong-type',
    ]);
  });

  it('refuses label values with the key separator U+0001, so series keys cannot collide', () => {
    const { warnings, onWarning } = quiet();
    const c = createMetrics({ onWarning }).counter({ name: 'c_total', help: 'c', labelNames: ['a', 'b'] });
    c.inc({ a: 'x', b: 'y\u0001z' });
    c.inc({ a: 'x\u0001y', b: 'z' });
    expect(c.get({ a: 'x', b: 'y\u0001z' })).toBe(0);
    expect(warnings.map((w) => w.kind)).toEqual(['invalid-labels']);
  });

  it('warns through process.emitWarning by default', () => {
    const spy = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      createMetrics({ maxSeriesPerMetric: 1 })
        .counter({ name: 'c_total', help: 'c', labelNames: ['a'] })
        .inc({ a: 1 });
      createMetrics({ maxSeriesPerMetric: 1 })
        .counter({ name: 'c_total', help: 'c', labelNames: ['a'] })
        .inc({ a: 2 });
      const metrics = createMetrics({ maxSeriesPerMetric: 1 });
      const c = metrics.counter({ name: 'c_total', help: 'c', labelNames: ['a'] });
      c.inc({ a: 1 });
      c.inc({ a: 2 });
      expect(spy).toHaveBeenCalledTimes(1);
      expect(spy.mock.calls[0]?.[1]).toBe('DiveMetricsWarning');
    } finally {
      spy.mockRestore();
    }
  });

  it('uses a private registry by default and never the global one', async () => {
    const metrics = createMetrics();
    metrics.counter({ name: 'private_total', help: 'p' }).inc();
    expect(metrics.registry).not.toBe(globalRegistry);
    expect(await globalRegistry.metrics()).not.toContain('dive_private_total');
  });

  it('registers in a user Registry next to its own metrics, and unregisters on dispose', async () => {
    const registry = new Registry();
    const own = createMetrics({ registry, prefix: 'app_' });
    own.counter({ name: 'requests_total', help: 'r' }).inc();
    const metrics = createMetrics({ registry });
    metrics.counter({ name: 'deployments_total', help: 'd' }).inc();
    const text = await registry.metrics();
    expect(text).toContain('app_requests_total 1');
    expect(text).toContain('dive_deployments_total 1');
    expect(await metrics.toPrometheus()).not.toContain('app_requests_total');
    await metrics[Symbol.asyncDispose]();
    expect(await registry.metrics()).not.toContain('dive_deployments_total');
  });

  it('follows an OpenMetrics Registry: counter families without _total, lines with it, # EOF', async () => {
    const registry = new Registry<OpenMetricsContentType>();
    registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
    const metrics = createMetrics({ registry });
    metrics.counter({ name: 'c_total', help: 'c' }).inc();
    for (const text of [await metrics.toPrometheus(), await registry.metrics(), await metrics.toPrometheus()]) {
      expect(text).toContain('# TYPE dive_c counter');
      expect(text).toContain('\ndive_c_total 1\n');
      expect(text.endsWith('# EOF\n')).toBe(true);
    }
  });

  it('returns the same series for the same definition and throws TypeError on a conflicting one', () => {
    const metrics = createMetrics();
    metrics.counter({ name: 'c_total', help: 'c', labelNames: ['a'] }).inc({ a: 1 });
    expect(metrics.counter({ name: 'c_total', help: 'c', labelNames: ['a'] }).get({ a: 1 })).toBe(1);
    expect(() => metrics.counter({ name: 'c_total', help: 'c', labelNames: ['b'] })).toThrow(TypeError);
    expect(() => metrics.gauge({ name: 'c_total', help: 'c', labelNames: ['a'] })).toThrow(TypeError);
  });

  it('throws at construction and definition on nonsense', () => {
    expect(() => createMetrics({ maxSeriesPerMetric: 0 })).toThrow(RangeError);
    expect(() => createMetrics({ maxSamplesPerSeries: 1.5 })).toThrow(RangeError);
    expect(() => createMetrics({ prefix: '1x' })).toThrow(TypeError);
    const metrics = createMetrics();
    expect(() => metrics.counter({ name: 'bad-name', help: 'x' })).toThrow(TypeError);
    expect(() => metrics.counter({ name: 'ok', help: 'x', labelNames: ['__x'] })).toThrow(TypeError);
    expect(() => metrics.counter({ name: 'ok', help: 'x', labelNames: ['a', 'a'] })).toThrow(TypeError);
    expect(() => metrics.histogram({ name: 'h', help: 'x', labelNames: ['le'] })).toThrow(TypeError);
    expect(() => metrics.histogram({ name: 'h', help: 'x', buckets: [2, 1] })).toThrow(RangeError);
    expect(() => metrics.histogram({ name: 'h', help: 'x', buckets: [] })).toThrow(RangeError);
  });

  it('reports values and percentiles in a readable table', () => {
    const metrics = createMetrics();
    expect(metrics.report()).toBe('no metrics recorded\n');
    metrics.counter({ name: 'deployments_total', help: 'd', labelNames: ['result'] }).inc({ result: 'success' }, 3);
    for (let i = 1; i <= 100; i++) metrics.recordTiming('phase_duration_seconds', i / 10, { phase: 'start' });
    const report = metrics.report();
    expect(report).toMatch(/dive_deployments_total\s+result=success\s+3/);
    expect(report).toMatch(/dive_phase_duration_seconds\s+phase=start\s+100\s+505\s+5\s+9\.5\s+9\.9/);
  });
});
