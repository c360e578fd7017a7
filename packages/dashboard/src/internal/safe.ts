import { redact, redactString } from '@dive/errors';
import type { StepRecord, TransitionRecord } from '@dive/state-db';

/** Transition metadata keys shown on the page; everything else stays in the store. */
const SHOWN_METADATA = new Set(['runtime', 'strategy', 'checkpointId', 'durationMs']);

/**
 * A transition as the page sees it: the audit facts, the reason with URL passwords masked, and only the metadata
 * keys the page needs (never a value under a secret-looking key, whatever a writer put there).
 */
export function safeTransition(r: TransitionRecord): Record<string, unknown> {
  const metadata = Object.fromEntries(Object.entries(r.metadata).filter(([k]) => SHOWN_METADATA.has(k)));
  return {
    instance: r.instance,
    version: r.version,
    from: r.from,
    to: r.to,
    reason: redactString(r.reason),
    actor: redactString(r.actor),
    deploymentId: r.deploymentId,
    at: r.at,
    hash: r.hash,
    fencingToken: r.fencingToken,
    metadata: redact(metadata),
  };
}

/** A step as the page sees it: its detail passed through the SDK's redaction (secret keys, URL passwords). */
export function safeStep(s: StepRecord): Record<string, unknown> {
  return {
    deploymentId: s.deploymentId,
    instance: s.instance,
    step: s.step,
    status: s.status,
    startedAt: s.startedAt,
    endedAt: s.endedAt,
    detail: redact(s.detail ?? {}),
  };
}
