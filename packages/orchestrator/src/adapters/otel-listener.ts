import { context, SpanStatusCode, trace, type Span, type Tracer } from '@opentelemetry/api';
import type { DeployEvent, DeploymentStateName } from '../events.js';

/** OpenTelemetry tracing of one operation: its event listener, and `end` once the operation returned. */
export interface OtelTracing {
  readonly onEvent: (event: DeployEvent) => void;
  /** End the operation's span (and any span still open) with its outcome. */
  end(ok: boolean, message?: string): void;
}

const FINAL: ReadonlySet<DeploymentStateName> = new Set(['COMPLETE', 'UNKNOWN', 'FAILED']);

/** The spans of one operation, keyed by what they measure; children of the operation's own span. */
class Spans {
  readonly #open = new Map<string, Span>();
  #root: Span | undefined;
  constructor(readonly tracer: Tracer) {}
  root(e: DeployEvent): Span {
    this.#root ??= this.tracer.startSpan('dive.deployment', {
      attributes: { 'dive.instance': e.instance, 'dive.deployment': e.deploymentId },
    });
    return this.#root;
  }
  start(key: string, name: string, e: DeployEvent, attributes: Record<string, string> = {}): void {
    if (this.#open.has(key)) return;
    const parent = trace.setSpan(context.active(), this.root(e));
    const span = this.tracer.startSpan(
      name,
      { attributes: { 'dive.instance': e.instance, 'dive.deployment': e.deploymentId, ...attributes } },
      parent,
    );
    this.#open.set(key, span);
  }
  get(key: string): Span | undefined {
    return this.#open.get(key);
  }
  end(key: string, ok: boolean, message?: string): void {
    const span = this.#open.get(key);
    if (span === undefined) return;
    span.setStatus(
      ok ? { code: SpanStatusCode.OK } : { code: SpanStatusCode.ERROR, ...(message === undefined ? {} : { message }) },
    );
    span.end();
    this.#open.delete(key);
  }
  endAll(ok: boolean, message?: string): void {
    for (const key of [...this.#open.keys()]) this.end(key, ok, message);
    if (this.#root === undefined) return;
    this.#root.setStatus(
      ok ? { code: SpanStatusCode.OK } : { code: SpanStatusCode.ERROR, ...(message === undefined ? {} : { message }) },
    );
    this.#root.end();
    this.#root = undefined;
  }
}

/** Lease and rollback spans, from the lock and state events. */
function onLockOrState(spans: Spans, e: DeployEvent): void {
  if (e.type === 'lock-waiting') spans.start('lease', 'dive.lease', e);
  else if (e.type === 'lock-acquired') spans.end('lease', true);
  else if (e.type === 'state' && e.to === 'ROLLING_BACK') spans.start('rollback', 'dive.rollback', e);
  else if (e.type === 'state' && FINAL.has(e.to) && (e.from === 'ROLLING_BACK' || e.from === 'CLEANUP'))
    spans.end('rollback', e.to !== 'FAILED', e.to === 'FAILED' ? 'rollback failed' : undefined);
}

/**
 * OpenTelemetry spans from an operation's events: one `dive.deployment` span per operation, with child spans per
 * phase (`dive.lease`, `dive.preflight`, `dive.deploy`, `dive.verify`, `dive.rollback`) and per service start
 * (`dive.service <name>`, start to healthy; a retry is an event on it), with the instance and deployment as
 * attributes. Through `@opentelemetry/api`: a no-op unless the host registers an SDK.
 */
export function otelTracing(tracer: Tracer = trace.getTracer('@dive/orchestrator')): OtelTracing {
  const spans = new Spans(tracer);
  const onEvent = (e: DeployEvent): void => {
    spans.root(e);
    switch (e.type) {
      case 'phase':
        if (e.status === 'started') spans.start(`phase:${e.phase}`, `dive.${e.phase}`, e);
        else spans.end(`phase:${e.phase}`, e.status === 'finished');
        break;
      case 'service-starting':
        if (spans.get(`service:${e.service}`) === undefined)
          spans.start(`service:${e.service}`, `dive.service ${e.service}`, e, { 'dive.service': e.service });
        else spans.get(`service:${e.service}`)?.addEvent('retry', { attempt: e.attempt });
        break;
      case 'service-healthy':
      case 'service-completed':
        spans.end(`service:${e.service}`, true);
        break;
      case 'service-failed':
        spans.end(`service:${e.service}`, false, `${e.error._tag}: ${e.error.message}`);
        break;
      default:
        onLockOrState(spans, e);
    }
  };
  return { onEvent, end: (ok, message) => spans.endAll(ok, message) };
}
