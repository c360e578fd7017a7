// orchestrate() seen from the outside: OpenTelemetry spans through the SDK's in-memory exporter, and a real pino
// logger accepted as it is.
import { Writable } from 'node:stream';
import { trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { createMemoryLockManager } from '@dive/locks/testing';
import { createMemoryStateStore } from '@dive/state-db/testing';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StateBackend } from '../state.js';
import { memoryRuntime } from '../testing/memory-runtime.js';
import type { Topology } from '../topology/types.js';
import { orchestrate } from './orchestrate.js';

const memoryState = (): StateBackend => ({
  kind: 'file',
  store: createMemoryStateStore(),
  locks: createMemoryLockManager(),
  location: process.cwd(),
  [Symbol.asyncDispose]: async () => undefined,
});

const topology: Topology = {
  instance: 'USA',
  services: {
    db: { process: { command: 'db' } },
    api: { process: { command: 'api' }, dependsOn: ['db'] },
  },
};

describe('orchestrate() and OpenTelemetry', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  beforeAll(() => {
    trace.setGlobalTracerProvider(provider);
  });
  afterAll(async () => {
    trace.disable();
    await provider.shutdown();
  });

  it('one span per deployment, with a child span per phase and per service start', async () => {
    exporter.reset();
    const report = (await orchestrate(topology, { runtime: memoryRuntime(), state: memoryState() }))._unsafeUnwrap();
    expect(report.success).toBe(true);
    const spans = exporter.getFinishedSpans();
    const roots = spans.filter((s) => s.name === 'dive.deployment');
    expect(roots).toHaveLength(1);
    const root = roots[0];
    expect(root?.attributes['dive.deployment']).toBe(report.deploymentId);
    expect(root?.attributes['dive.instance']).toBe('USA');
    const children = spans.filter((s) => s.parentSpanContext?.spanId === root?.spanContext().spanId);
    expect(children.map((s) => s.name).sort()).toEqual(
      ['dive.deploy', 'dive.lease', 'dive.preflight', 'dive.service api', 'dive.service db', 'dive.verify'].sort(),
    );
    expect(children.every((s) => s.spanContext().traceId === root?.spanContext().traceId)).toBe(true);
  });

  it('a failed deployment ends its span with an error status and has a rollback span', async () => {
    exporter.reset();
    const runtime = memoryRuntime({ failFirst: { api: 99 } });
    const failing: Topology = { ...topology, defaults: { retry: { policy: 'none', attempts: 1 } } };
    const report = (await orchestrate(failing, { runtime, state: memoryState() }))._unsafeUnwrap();
    expect(report.success).toBe(false);
    const spans = exporter.getFinishedSpans();
    const root = spans.find((s) => s.name === 'dive.deployment');
    expect(root?.status.code).toBe(2); // SpanStatusCode.ERROR
    expect(spans.find((s) => s.name === 'dive.service api')?.status.code).toBe(2);
    expect(spans.some((s) => s.name === 'dive.rollback')).toBe(true);
  });
});

describe('orchestrate() and pino', () => {
  it('takes a pino logger as it is: JSON lines carrying the instance and the deployment', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(
          ...chunk
            .toString('utf8')
            .split('\n')
            .filter((l) => l.length > 0),
        );
        done();
      },
    });
    const logger = pino({ level: 'info' }, stream);
    const report = (
      await orchestrate(topology, { runtime: memoryRuntime(), state: memoryState(), logger })
    )._unsafeUnwrap();
    logger.flush();
    const records = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records.length).toBeGreaterThan(0);
    const transitions = records.filter((r) => typeof r['to'] === 'string');
    expect(transitions.map((r) => r['to'])).toContain('COMPLETE');
    expect(transitions.every((r) => r['instance'] === 'USA' && r['deployment'] === report.deploymentId)).toBe(true);
    expect(records.every((r) => typeof r['level'] === 'number' && typeof r['time'] === 'number')).toBe(true);
  });
});
