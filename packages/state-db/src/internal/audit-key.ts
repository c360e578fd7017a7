import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { AuditKeyError } from '../errors.js';

/** The shortest audit key accepted: 32 bytes (HMAC-SHA256's block is 64; a shorter key weakens it). */
const MIN_KEY_BYTES = 32;

/** Parse key text: hex (an even number of hex digits) or base64; at least 32 bytes. Throws AuditKeyError. */
export function parseAuditKey(raw: string | Uint8Array, where: string): Buffer {
  let key: Buffer;
  if (typeof raw !== 'string') key = Buffer.from(raw);
  else {
    const text = raw.trim();
    key = /^(?:[0-9a-f]{2})+$/i.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
  }
  if (key.length < MIN_KEY_BYTES)
    throw new AuditKeyError(
      `audit key from ${where} must be at least ${MIN_KEY_BYTES} bytes (hex or base64), got ${key.length} bytes`,
      { context: { where, bytes: key.length } },
    );
  return key;
}

/** Where an audit key comes from; see {@link resolveAuditKey}. */
export interface AuditKeySource {
  readonly auditKey?: string | Uint8Array;
  readonly auditKeyFile?: string;
}

/**
 * The configured audit key, read now: the `auditKey` option, else `DIVE_AUDIT_KEY`, else the `auditKeyFile`
 * option, else `undefined` (the store's fallback applies). An empty option or variable counts as unset.
 * Throws AuditKeyError for a malformed key or an unreadable key file (a configuration error, at construction).
 */
export function resolveAuditKey(source: AuditKeySource): Buffer | undefined {
  const option = source.auditKey;
  if (option !== undefined && option.length > 0) return parseAuditKey(option, 'the auditKey option');
  const env = process.env['DIVE_AUDIT_KEY'];
  if (env !== undefined && env !== '') return parseAuditKey(env, 'DIVE_AUDIT_KEY');
  if (source.auditKeyFile === undefined) return undefined;
  let text: string;
  try {
    text = readFileSync(source.auditKeyFile, 'utf8');
  } catch (e) {
    throw new AuditKeyError(`audit key file ${source.auditKeyFile} cannot be read`, {
      context: { file: source.auditKeyFile },
      cause: e,
    });
  }
  return parseAuditKey(text, source.auditKeyFile);
}

/**
 * The file store's fallback key: `path` (0600) holding 32 random bytes as hex, created on first use. The key is
 * written to a private temp file and hard-linked into place, so the key file is never seen empty (even after a
 * kill -9) and two processes creating it at once agree on the winner's key.
 */
export async function perStoreKey(path: string): Promise<Buffer> {
  const fresh = randomBytes(MIN_KEY_BYTES).toString('hex');
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(tmp, `${fresh}\n`, { mode: 0o600, flag: 'wx' });
  try {
    await link(tmp, path);
    return Buffer.from(fresh, 'hex');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
  return parseAuditKey(await readFile(path, 'utf8'), path);
}
