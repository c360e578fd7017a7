import type { DeploymentState } from '../state-machine.js';
import type { ErrorRecord, StepRecord, TransitionRecord } from '../types.js';

/** pg returns bigint as a string: every number we store is a safe integer. */
export const num = (v: unknown): number => Number(v);

/** An `audit_log` row as a {@link TransitionRecord}. */
export function toRecord(r: Record<string, unknown>): TransitionRecord {
  return {
    instance: String(r['instance']),
    version: num(r['version']),
    from: r['from_state'] as DeploymentState,
    to: r['to_state'] as DeploymentState,
    fencingToken: num(r['fencing_token']),
    reason: String(r['reason']),
    actor: String(r['actor']),
    deploymentId: (r['deployment_id'] as string | null) ?? null,
    metadata: JSON.parse(String(r['metadata'])) as Record<string, unknown>,
    at: num(r['at']),
    hash: String(r['hash']),
  };
}

/** A `steps` row as a {@link StepRecord}. */
export function toStep(x: Record<string, unknown>): StepRecord {
  return {
    deploymentId: String(x['deployment_id']),
    instance: String(x['instance']),
    step: String(x['step']),
    status: x['status'] as StepRecord['status'],
    startedAt: num(x['started_at']),
    endedAt: x['ended_at'] === null ? null : num(x['ended_at']),
    ...(x['detail'] === null ? {} : { detail: x['detail'] as Record<string, unknown> }),
  };
}

/** An `errors` row as an {@link ErrorRecord}. */
export function toErrorRecord(x: Record<string, unknown>): ErrorRecord {
  return {
    tag: String(x['tag']),
    code: num(x['code']),
    severity: x['severity'] as ErrorRecord['severity'],
    message: String(x['message']),
    instance: (x['instance'] as string | null) ?? null,
    deploymentId: (x['deployment_id'] as string | null) ?? null,
    at: num(x['at']),
  };
}
