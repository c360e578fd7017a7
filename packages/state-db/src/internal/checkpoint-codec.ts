import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { err, ok, type Result } from 'neverthrow';
import { CheckpointCorruptError, CheckpointKeyError } from '../errors.js';
import type { Checkpoint, CheckpointInfo } from '../types.js';
import { sha256 } from './hash.js';

/** The stored form of a checkpoint: the body is JSON, or base64 of iv ‖ tag ‖ ciphertext when encrypted. */
interface Envelope extends CheckpointInfo {
  readonly v: 1;
  readonly checksum: string;
  readonly body: string;
}

/** Resolve the key option or `DIVE_CHECKPOINT_KEY`: `undefined` when none is set. */
export function resolveKey(option: string | Uint8Array | undefined): Result<Buffer | undefined, CheckpointKeyError> {
  const raw = option ?? process.env['DIVE_CHECKPOINT_KEY'];
  if (raw === undefined || raw === '') return ok(undefined);
  let key: Buffer;
  if (typeof raw !== 'string') key = Buffer.from(raw);
  else if (/^[0-9a-f]{64}$/i.test(raw)) key = Buffer.from(raw, 'hex');
  else key = Buffer.from(raw, 'base64');
  if (key.length !== 32) {
    return err(
      new CheckpointKeyError(`checkpoint key must be 32 bytes (base64 or hex), got ${key.length} bytes`, {
        context: { bytes: key.length },
      }),
    );
  }
  return ok(key);
}

/** Encode a checkpoint to its stored text (encrypted when `key` is set). */
export function encodeCheckpoint(info: Omit<CheckpointInfo, 'encrypted'>, payload: unknown, key?: Buffer): string {
  const json = JSON.stringify(payload ?? null);
  let body = json;
  if (key !== undefined) {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(info.id));
    const ct = Buffer.concat([cipher.update(json, 'utf8'), cipher.final()]);
    body = Buffer.concat([iv, cipher.getAuthTag(), ct]).toString('base64');
  }
  const envelope: Envelope = { v: 1, ...info, encrypted: key !== undefined, checksum: sha256(body), body };
  return JSON.stringify(envelope);
}

/** Decode and verify stored checkpoint text. */
export function decodeCheckpoint(
  id: string,
  text: string,
  key: Buffer | undefined,
): Result<Checkpoint, CheckpointCorruptError | CheckpointKeyError> {
  const corrupt = (why: string, cause?: unknown): CheckpointCorruptError =>
    new CheckpointCorruptError(`checkpoint ${id} is corrupt: ${why}`, { context: { id }, cause });
  let env: Envelope;
  try {
    env = JSON.parse(text) as Envelope;
  } catch (e) {
    return err(corrupt('not valid JSON', e));
  }
  if (env?.v !== 1 || typeof env.body !== 'string' || typeof env.checksum !== 'string') {
    return err(corrupt('unknown format'));
  }
  if (env.id !== id || sha256(env.body) !== env.checksum) return err(corrupt('checksum mismatch'));
  const info = { id: env.id, instance: env.instance, createdAt: env.createdAt, encrypted: env.encrypted };
  let json = env.body;
  if (env.encrypted) {
    if (key === undefined) {
      return err(new CheckpointKeyError(`checkpoint ${id} is encrypted and no key is set`, { context: { id } }));
    }
    try {
      const raw = Buffer.from(env.body, 'base64');
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
      decipher.setAAD(Buffer.from(id));
      decipher.setAuthTag(raw.subarray(12, 28));
      json = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    } catch (e) {
      return err(
        new CheckpointKeyError(`checkpoint ${id} cannot be decrypted with this key`, { context: { id }, cause: e }),
      );
    }
  }
  try {
    return ok({ ...info, payload: JSON.parse(json) as unknown });
  } catch (e) {
    return err(corrupt('payload is not valid JSON', e));
  }
}

/** Read the info part of stored checkpoint text without verifying it (`undefined` when unreadable). */
export function peekCheckpoint(text: string): CheckpointInfo | undefined {
  try {
    const env = JSON.parse(text) as Envelope;
    return { id: env.id, instance: env.instance, createdAt: env.createdAt, encrypted: env.encrypted };
  } catch {
    return undefined;
  }
}
