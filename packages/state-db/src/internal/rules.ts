import {
  AuditLogTamperedError,
  ConcurrentModificationError,
  InvalidTransitionError,
  StaleFencingTokenError,
  type TransitionError,
} from '../errors.js';
import { canTransition } from '../state-machine.js';
import type { AuditVerification, InstanceState, TransitionOptions, TransitionRecord } from '../types.js';

/** What the links alone establish (the head's seal is checked by `verifySealedChain`). */
export type ChainLinks = Pick<AuditVerification, 'instance' | 'rows' | 'head'>;
import { canonicalJson, chainHash } from './hash.js';

/**
 * Why `current → to` with these options is refused, or `undefined` when it is allowed. Checked in this order:
 * stale fencing token, expected version, legal edge.
 */
export function refusal(
  current: InstanceState,
  to: string,
  options: TransitionOptions,
): Exclude<TransitionError, { _tag: 'StateStoreUnavailableError' }> | undefined {
  const { instance } = current;
  if (current.fencingToken !== null && options.fencingToken < current.fencingToken) {
    return new StaleFencingTokenError(
      `fencing token ${options.fencingToken} for ${instance} is older than ${current.fencingToken}, already accepted`,
      { context: { instance, fencingToken: options.fencingToken, highest: current.fencingToken } },
    );
  }
  if (options.expectedVersion !== undefined && options.expectedVersion !== current.version) {
    return new ConcurrentModificationError(
      `${instance} is at version ${current.version}, expected ${options.expectedVersion}`,
      { context: { instance, expectedVersion: options.expectedVersion, version: current.version } },
    );
  }
  if (!canTransition(current.state, to)) {
    return new InvalidTransitionError(`${instance} cannot go from ${current.state} to ${to}`, {
      context: { instance, from: current.state, to },
    });
  }
  return undefined;
}

/** Check argument sanity that no backend can fix: a programmer error. */
export function assertTransitionOptions(options: TransitionOptions): void {
  if (!Number.isSafeInteger(options.fencingToken) || options.fencingToken < 0) {
    throw new RangeError(`fencingToken must be a non-negative safe integer, got ${String(options.fencingToken)}`);
  }
  if (
    options.expectedVersion !== undefined &&
    (!Number.isSafeInteger(options.expectedVersion) || options.expectedVersion < 0)
  ) {
    throw new RangeError(`expectedVersion must be a non-negative safe integer, got ${String(options.expectedVersion)}`);
  }
}

/** Build the next audit record after `current`, chained to `previousHash`. */
export function nextRecord(
  current: InstanceState,
  previousHash: string,
  to: TransitionRecord['to'],
  options: TransitionOptions,
  at: number,
): TransitionRecord {
  const metadata = options.metadata ?? {};
  const fields = {
    instance: current.instance,
    version: current.version + 1,
    from: current.state,
    to,
    fencingToken: options.fencingToken,
    reason: options.reason,
    actor: options.actor,
    deploymentId: options.deploymentId ?? null,
    metadataJson: canonicalJson(metadata),
    at,
  };
  const { metadataJson: _unused, ...rest } = fields;
  return { ...rest, metadata, hash: chainHash(previousHash, fields) };
}

/**
 * Recompute the hash chain of an instance's audit rows (oldest first): versions 1..n gap-free, each `from` the
 * previous `to`, every hash matching. `stateVersion` is the version the current-state record claims.
 */
export function verifyChain(
  instance: string,
  rows: readonly TransitionRecord[],
  stateVersion: number,
): AuditLogTamperedError | ChainLinks {
  let previous = '';
  let state = 'UNKNOWN';
  for (const [i, row] of rows.entries()) {
    const bad = (why: string): AuditLogTamperedError =>
      new AuditLogTamperedError(`audit log of ${instance} is tampered at version ${i + 1}: ${why}`, {
        context: { instance, version: i + 1, rowVersion: row.version },
      });
    if (row.version !== i + 1) return bad(`expected version ${i + 1}, found ${row.version} (row missing or forged)`);
    if (row.from !== state) return bad(`from ${row.from} does not follow ${state}`);
    const hash = chainHash(previous, { ...row, metadataJson: canonicalJson(row.metadata) });
    if (hash !== row.hash) return bad('hash mismatch (row edited)');
    previous = row.hash;
    state = row.to;
  }
  if (stateVersion !== rows.length) {
    return new AuditLogTamperedError(
      `audit log of ${instance} has ${rows.length} rows but the current state is at version ${stateVersion}`,
      { context: { instance, rows: rows.length, version: stateVersion } },
    );
  }
  return { instance, rows: rows.length, head: rows.length === 0 ? null : previous };
}

/** The state of an instance never seen. */
export function unknownState(instance: string): InstanceState {
  return { instance, state: 'UNKNOWN', version: 0, fencingToken: null, updatedAt: null };
}
