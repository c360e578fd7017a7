import { CancelledError, createErrorLedger, defineError, type DiveError } from '@dive/errors';
import type { Deployment } from './deployment.js';
import type { RunGraphResult } from './run-graph.js';

/** 4002: a service could not be made healthy, so the deployment failed. */
export class DependencyUnhealthyError extends defineError('DependencyUnhealthyError') {}

/** Most open breakers before a deployment stops starting services and rolls back (SPEC §6). */
export const DEFAULT_MAX_OPEN_BREAKERS = 5;

/** The failure policy of one deployment: which failed services stop it. */
export interface FailurePolicy {
  /**
   * Decide on one failed service: `true` to go on (a non-critical service the ledger lets pass, and fewer open
   * breakers than the limit), `false` to stop launching new services.
   */
  decide(service: string, error: DiveError): boolean;
}

/** Make the failure policy of a deployment: an error ledger, the services' `critical` flags, the open-breaker rule. */
export function failurePolicy(d: Pick<Deployment, 'ctx' | 'resolved' | 'options' | 'log'>): FailurePolicy {
  const ledger = createErrorLedger();
  const maxOpen = d.options.maxOpenBreakers ?? DEFAULT_MAX_OPEN_BREAKERS;
  return {
    decide(service, error) {
      const decision = ledger.record(error, { key: service });
      d.log.error({ service, err: error.toJSON(), decision: decision.action }, `${service} failed`);
      const tooManyOpen = d.ctx.policy.openBreakers().length >= maxOpen;
      // A critical service's failure fails the deployment; a non-critical one continues degraded.
      return d.resolved.services.get(service)?.critical === false && decision.continue && !tooManyOpen;
    },
  };
}

/**
 * Why the graph run failed the deployment, if it did: the lost lock, the caller's cancel, or the first critical
 * service that failed (a `DependencyUnhealthyError` naming it, what it blocked and what never started).
 */
export function failureOf(
  d: Pick<Deployment, 'ctx' | 'resolved' | 'instance' | 'id' | 'facts'>,
  run: RunGraphResult,
): DiveError | undefined {
  const { instance } = d;
  if (d.facts.lostLock !== undefined) return d.facts.lostLock;
  if (d.ctx.signal?.aborted === true)
    return new CancelledError(`deployment of ${instance} cancelled`, { context: { instance, deploymentId: d.id } });
  const critical = [...run.failed.entries()].find(([n]) => d.resolved.services.get(n)?.critical !== false);
  if (critical === undefined) return undefined;
  const [service, cause] = critical;
  return new DependencyUnhealthyError(`deployment of ${instance} failed: ${service} — ${cause.message}`, {
    cause,
    context: { instance, service, blocked: [...run.blocked], notStarted: run.notStarted },
    severity: cause.severity,
    remediation: cause.remediation,
  });
}
