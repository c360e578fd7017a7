import { err, ok, type Result } from 'neverthrow';
import { closeUnion, OPERATION_ERROR_TAGS, type StateError } from '../../errors.js';
import type { Deployment } from '../deployment.js';

/** Errors of the audit check: `AuditLogTamperedError` (a broken chain or head), or the store's read errors. */
export type VerifyAuditError = StateError;

/**
 * Verify the instance's audit log before anything is written to it (run right after the lease): a broken link, a
 * forged or mismatched head, or a truncated tail stops the deployment with `AuditLogTamperedError` (6005; the CLI
 * exits 4). A log written before heads were sealed (`reason: 'unsealed'`) is adopted with a warning: the next
 * transition seals its head. A store without verification is not checked.
 * @returns Ok the head hash (`null` for an empty log or an unchecked store); Err {@link VerifyAuditError}
 */
export async function verifyAudit(
  d: Pick<Deployment, 'ctx' | 'instance' | 'emit' | 'log'>,
): Promise<Result<string | null, VerifyAuditError>> {
  const { state } = d.ctx;
  if (state.verifyAuditLog === undefined) return ok(null);
  const checked = await state.verifyAuditLog(d.instance);
  if (checked.isOk()) return ok(checked.value.head);
  const e = checked.error;
  if (e._tag === 'AuditLogTamperedError' && e.context['reason'] === 'unsealed') {
    const message = `the audit log of ${d.instance} has no sealed head (written before sealing): adopted; this deployment's first transition seals it`;
    d.log.warn({ instance: d.instance, rows: e.context['rows'] }, message);
    d.emit({ type: 'warning', message });
    return ok(null);
  }
  d.log.error({ err: e.toJSON() }, `the audit log of ${d.instance} does not verify; deployment refused`);
  return err(closeUnion(OPERATION_ERROR_TAGS.state, e));
}
