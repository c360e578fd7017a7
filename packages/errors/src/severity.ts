/**
 * How bad an error is, and so what a deployment does about it (SPEC §6):
 * `CRITICAL` stop now · `HIGH` recover once, then stop; three HIGHs stop · `MEDIUM` continue degraded ·
 * `LOW` continue.
 */
export type Severity = 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW';

/** Every severity, most severe first. */
export const SEVERITIES: readonly Severity[] = Object.freeze(['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'] as const);

/** Rank of a severity: 0 for `CRITICAL` … 3 for `LOW` (lower is worse). */
export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

/**
 * The next more severe level (`LOW` → `MEDIUM` → `HIGH` → `CRITICAL`); `CRITICAL` stays `CRITICAL`.
 */
export function escalateSeverity(severity: Severity): Severity {
  const rank = severityRank(severity);
  return SEVERITIES[Math.max(0, rank - 1)] ?? 'CRITICAL';
}

/** Whether `value` is one of the four severities. */
export function isSeverity(value: unknown): value is Severity {
  return typeof value === 'string' && (SEVERITIES as readonly string[]).includes(value);
}
