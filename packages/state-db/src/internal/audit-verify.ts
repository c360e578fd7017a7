import { AuditLogTamperedError } from '../errors.js';
import type { AuditVerification, TransitionRecord } from '../types.js';
import { sealMatches, type SealedHead } from './audit-seal.js';
import { verifyChain } from './rules.js';

/** What the check of a sealed head needs besides the rows. */
export interface SealCheck {
  /** The version the current-state record claims (rolled forward for files). */
  readonly stateVersion: number;
  /** The sealed head the store keeps apart from the log; `undefined` when none was ever written. */
  readonly sealed: SealedHead | undefined;
  readonly key: Buffer | undefined;
  /** Rows past the sealed head tolerated (1 for files: a crash between the append and the state write). */
  readonly maxUnsealed: number;
}

/** Why the sealed head does not vouch for these rows, or `undefined` when it does. */
function headProblem(
  instance: string,
  rows: readonly TransitionRecord[],
  c: SealCheck,
): { reason: string; why: string } | undefined {
  const s = c.sealed;
  if (s === undefined)
    return rows.length <= c.maxUnsealed
      ? undefined
      : { reason: 'unsealed', why: `${rows.length} rows but no sealed head (removed, or written before sealing)` };
  if (!sealMatches(c.key, instance, s))
    return {
      reason: 'seal-mismatch',
      why: `the head's ${s.alg} seal does not verify with the configured audit key (the key changed or is missing, or the head was forged)`,
    };
  if (s.version > rows.length)
    return {
      reason: 'truncated',
      why: `the log ends at version ${rows.length} but the sealed head is version ${s.version}`,
    };
  if (s.version > 0 && rows[s.version - 1]?.hash !== s.hash)
    return { reason: 'head-mismatch', why: `row ${s.version} is not the sealed head (rewritten from there on)` };
  if (rows.length - s.version > c.maxUnsealed)
    return { reason: 'unsealed-rows', why: `${rows.length - s.version} rows after the sealed head ${s.version}` };
  return undefined;
}

/**
 * Check every link of the chain (versions, `from`, hashes: {@link verifyChain}) and then the head: the sealed head
 * must verify with the key and be the row it names, no row may be missing after it (truncation), and at most
 * `maxUnsealed` rows may follow it.
 * @returns the verification, or `AuditLogTamperedError` with `context.reason` (`link` for a bad row, `unsealed`,
 *   `seal-mismatch`, `truncated`, `head-mismatch`, `unsealed-rows`)
 */
export function verifySealedChain(
  instance: string,
  rows: readonly TransitionRecord[],
  c: SealCheck,
): AuditLogTamperedError | AuditVerification {
  const links = verifyChain(instance, rows, c.stateVersion);
  if ('_tag' in links) {
    // a row-count mismatch with the current state names no row; fewer rows than the state is a cut tail
    const count = links.context['rows'];
    const reason = typeof count !== 'number' ? 'link' : count < c.stateVersion ? 'truncated' : 'unsealed-rows';
    return new AuditLogTamperedError(links.message, { context: { ...links.context, reason } });
  }
  const problem = headProblem(instance, rows, c);
  if (problem !== undefined)
    return new AuditLogTamperedError(`audit log of ${instance} does not match its sealed head: ${problem.why}`, {
      context: { instance, reason: problem.reason, rows: rows.length, sealedVersion: c.sealed?.version ?? null },
    });
  return {
    ...links,
    keyed: c.key !== undefined,
    sealedVersion: c.sealed?.version ?? 0,
  };
}
