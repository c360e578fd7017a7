import { SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import type { DeployEvent } from '../events.js';

/**
 * OpenTelemetry spans from a deployment's events: one per phase and one per service (start to healthy), with the
 * instance and deployment as attributes. Through `@opentelemetry/api`, so a no-op unless the host registers an SDK.
 */
export function otelListener(): (event: DeployEvent) => void {
  const tracer = trace.getTracer('@dive/orchestrator');
  const spans = new Map<string, Span>();
  const end = (key: string, ok: boolean, message?: string): void => {
    const span = spans.get(key);
    if (span === undefined) return;
    span.setStatus(
      ok ? { code: SpanStatusCode.OK } : { code: SpanStatusCode.ERROR, ...(message === undefined ? {} : { message }) },
    );
    span.end();
    spans.delete(key);
  };
  return (e) => {
    const attributes = { 'dive.instance': e.instance, 'dive.deployment': e.deploymentId };
    switch (e.type) {
      case 'phase':
        if (e.status === 'started') spans.set(`phase:${e.phase}`, tracer.startSpan(`dive.${e.phase}`, { attributes }));
        else end(`phase:${e.phase}`, e.status === 'finished');
        break;
      case 'service-starting':
        if (!spans.has(`service:${e.service}`))
          spans.set(
            `service:${e.service}`,
            tracer.startSpan(`dive.service ${e.service}`, { attributes: { ...attributes, 'dive.service': e.service } }),
          );
        else spans.get(`service:${e.service}`)?.addEvent('retry', { attempt: e.attempt });
        break;
      case 'service-healthy':
      case 'service-completed':
        end(`service:${e.service}`, true);
        break;
      case 'service-failed':
        end(`service:${e.service}`, false, `${e.error._tag}: ${e.error.message}`);
        break;
      default:
        break;
    }
  };
}
