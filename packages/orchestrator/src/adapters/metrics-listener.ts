import type { DiveMetrics } from '@dive/metrics';
import type { DeployEvent } from '../events.js';

/**
 * Feed the standard `dive_*` metrics from a deployment's events: deployments by result, deployment and phase
 * durations, service start durations, retries, errors by code and severity, lock wait time.
 */
export function metricsListener(metrics: DiveMetrics): (event: DeployEvent) => void {
  const phaseStarts = new Map<string, number>();
  let deploymentStart: number | undefined;
  let lockWaitStart: number | undefined;
  return (e) => {
    switch (e.type) {
      case 'lock-waiting':
        lockWaitStart = e.at;
        deploymentStart ??= e.at;
        break;
      case 'lock-acquired':
        metrics.lockWait.observe({ type: e.lock }, (e.at - (lockWaitStart ?? e.at)) / 1000);
        break;
      case 'phase':
        if (e.status === 'started') phaseStarts.set(e.phase, e.at);
        else metrics.phaseDuration.observe({ phase: e.phase }, (e.at - (phaseStarts.get(e.phase) ?? e.at)) / 1000);
        break;
      case 'service-healthy':
      case 'service-completed':
        metrics.serviceStartDuration.observe({ service: e.service }, e.durationMs / 1000);
        break;
      case 'service-retrying':
        metrics.retries.inc();
        metrics.errors.inc({ code: String(e.error.code), severity: e.error.severity });
        break;
      case 'service-failed':
        metrics.errors.inc({ code: String(e.error.code), severity: e.error.severity });
        break;
      case 'state': {
        // A deployment ends once: at COMPLETE after VERIFYING, or at FAILED from one of its phases.
        const fromPhase =
          e.from === 'INITIALIZING' || e.from === 'DEPLOYING' || e.from === 'CONFIGURING' || e.from === 'VERIFYING';
        if (fromPhase && (e.to === 'COMPLETE' || e.to === 'FAILED')) {
          metrics.deployments.inc({ instance: e.instance, result: e.to === 'COMPLETE' ? 'success' : 'failed' });
          metrics.deploymentDuration.observe({ instance: e.instance }, (e.at - (deploymentStart ?? e.at)) / 1000);
        }
        break;
      }
      default:
        break;
    }
  };
}
