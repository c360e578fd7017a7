import { open, stat } from 'node:fs/promises';
import { StateCorruptError } from '../errors.js';
import type { TransitionRecord } from '../types.js';
import { LOG_FILE_MAX_BYTES, tooLarge } from './read-capped.js';

/** What follows the last audit row a file store's state file records. */
export type AuditTail =
  /** nothing, or a torn append (no newline: a writer died mid-append; the next commit cuts it) */
  | { readonly kind: 'none' }
  /** one complete row: a writer died between the audit append and the state write (rolled forward) */
  | { readonly kind: 'row'; readonly row: TransitionRecord; readonly bytes: number }
  /** anything else (the log was edited or replaced): verification reports it, and nothing may be appended */
  | { readonly kind: 'foreign'; readonly error: StateCorruptError };

/**
 * Read the bytes of the audit log at `path` past `base` (the size its state file records), refusing a log above
 * {@link LOG_FILE_MAX_BYTES}.
 * @returns the {@link AuditTail}; throws `StateCorruptError` (too large) or the I/O error
 */
export async function readAuditTail(path: string, base: number, version: number): Promise<AuditTail> {
  const size = await stat(path).then(
    (s) => s.size,
    (e: unknown) => {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 0;
      throw e;
    },
  );
  // a log shorter than the state file records is tampering for verifyAuditLog to report; commit refuses it
  if (size > LOG_FILE_MAX_BYTES) throw tooLarge(path, size, LOG_FILE_MAX_BYTES);
  if (size <= base) return { kind: 'none' };
  const handle = await open(path, 'r');
  const buf = Buffer.alloc(size - base);
  try {
    await handle.read(buf, 0, buf.length, base);
  } finally {
    await handle.close();
  }
  const text = buf.toString('utf8');
  if (!text.includes('\n')) return { kind: 'none' };
  const row = completeRow(text);
  if (row?.version === version) return { kind: 'row', row, bytes: buf.length };
  const error = new StateCorruptError(
    `audit log ${path} has ${buf.length} bytes after the last row its state file records that are not the next row`,
    { context: { file: path, offset: base, bytes: buf.length } },
  );
  return { kind: 'foreign', error };
}

function completeRow(text: string): TransitionRecord | undefined {
  if (!text.endsWith('\n') || text.indexOf('\n') !== text.length - 1) return undefined;
  try {
    const row = JSON.parse(text) as unknown;
    return row !== null && typeof row === 'object' ? (row as TransitionRecord) : undefined;
  } catch {
    return undefined;
  }
}
