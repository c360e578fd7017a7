import type pg from 'pg';
import type { SealedHead } from './audit-seal.js';
import { inTransaction } from './pg-transaction.js';

/** The statement that stores the sealed head on the current-state row (same state and version: no edge check). */
export const sealSql = (s: string): string =>
  `UPDATE ${s}.current_state SET head_alg = $3, head_mac = $4 WHERE instance = $1 AND version = $2`;

/** The sealed head stored on the current-state row, `undefined` when the row or its seal is missing. */
export const readSealSql = (s: string): string =>
  `SELECT version, hash, head_alg, head_mac FROM ${s}.current_state WHERE instance = $1`;

/** A `current_state` row (from {@link readSealSql}) as a sealed head. */
export function toSealedHead(row: Record<string, unknown> | undefined): SealedHead | undefined {
  const mac = row?.['head_mac'];
  if (row === undefined || typeof mac !== 'string') return undefined;
  return {
    version: Number(row['version']),
    hash: String(row['hash']),
    alg: row['head_alg'] === 'hmac-sha256' ? 'hmac-sha256' : 'sha256',
    mac,
  };
}

/**
 * Run the transition statement and, when it applied, store the new head's seal, in one transaction: the audit
 * row, the current state and the seal commit together or not at all. Rejects like `pool.query`.
 * @param seal - computes the seal from the statement's returned row (`version`, `hash`)
 * @param notify - a NOTIFY sent in the same transaction when the transition applied
 */
export async function sealedTransition(
  pool: pg.Pool,
  statement: pg.QueryConfig,
  instance: string,
  sealStatement: string,
  seal: (version: number, hash: string) => SealedHead,
  notify?: { readonly channel: string; readonly payload: string },
): Promise<pg.QueryResult> {
  return inTransaction(pool, async (client) => {
    const r = await client.query(statement);
    const row = r.rows[0] as Record<string, unknown> | undefined;
    if (row !== undefined) {
      const head = seal(Number(row['version']), String(row['hash']));
      await client.query(sealStatement, [instance, head.version, head.alg, head.mac]);
      // delivered to listeners when (and only if) the transaction commits
      if (notify !== undefined) await client.query('SELECT pg_notify($1, $2)', [notify.channel, notify.payload]);
    }
    return r;
  });
}
