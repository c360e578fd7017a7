import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { err, ok, type Result } from 'neverthrow';
import { CheckpointCorruptError, CheckpointKeyError, CheckpointUnauthenticatedError } from '../errors.js';
import type { Checkpoint, CheckpointInfo } from '../types.js';
import { sha256 } from './hash.js';

/**
 * The stored form of a checkpoint: the body is JSON, or base64 of iv ‖ tag ‖ ciphertext when encrypted.
 * Version 2 authenticates id, instance and creation time as AES-GCM associated data; version 1 bound the id only.
 */
interface Envelope extends CheckpointInfo {
  readonly v: 1 | 2;
  readonly checksum: string;
  readonly body: string;
}

type Identity = Omit<CheckpointInfo, 'encrypted'>;

const lp = (s: string): string => `${Buffer.byteLength(s, 'utf8')}:${s}`;

/** The associated data of a version-2 checkpoint: what moving or renaming it would change. */
export function checkpointAad(info: Identity): Buffer {
  return Buffer.from(`dive-checkpoint-v2|${lp(info.id)}${lp(info.instance)}${lp(String(info.createdAt))}`, 'utf8');
}

/** Resolve the key option or `DIVE_CHECKPOINT_KEY`: `undefined` when none is set (an empty option means none). */
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

/** Encode a checkpoint to its stored text (version 2; encrypted and authenticated when `key` is set). */
export function encodeCheckpoint(info: Identity, payload: unknown, key?: Buffer): string {
  const json = JSON.stringify(payload ?? null);
  let body = json;
  if (key !== undefined) {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(checkpointAad(info));
    const ct = Buffer.concat([cipher.update(json, 'utf8'), cipher.final()]);
    body = Buffer.concat([iv, cipher.getAuthTag(), ct]).toString('base64');
  }
  const envelope: Envelope = { v: 2, ...info, encrypted: key !== undefined, checksum: sha256(body), body };
  return JSON.stringify(envelope);
}

type DecodeError = CheckpointCorruptError | CheckpointKeyError | CheckpointUnauthenticatedError;

function parseEnvelope(id: string, text: string): Result<Envelope, CheckpointCorruptError> {
  const corrupt = (why: string, cause?: unknown): CheckpointCorruptError =>
    new CheckpointCorruptError(`checkpoint ${id} is corrupt: ${why}`, { context: { id }, cause });
  let env: Envelope;
  try {
    env = JSON.parse(text) as Envelope;
  } catch (e) {
    return err(corrupt('not valid JSON', e));
  }
  if (
    (env?.v !== 1 && env?.v !== 2) ||
    typeof env.body !== 'string' ||
    typeof env.checksum !== 'string' ||
    typeof env.instance !== 'string' ||
    typeof env.createdAt !== 'number' ||
    typeof env.encrypted !== 'boolean'
  ) {
    return err(corrupt('unknown format'));
  }
  if (env.id !== id || sha256(env.body) !== env.checksum) return err(corrupt('checksum mismatch'));
  return ok(env);
}

/** Why a keyed reader refuses this envelope before trying to decrypt it, if it does. */
function refusal(env: Envelope): CheckpointUnauthenticatedError | undefined {
  const context = { id: env.id, instance: env.instance };
  if (!env.encrypted)
    return new CheckpointUnauthenticatedError(
      `checkpoint ${env.id} of ${env.instance} is stored in plain text but a checkpoint key is set: refused (a plain checkpoint cannot be told from a planted one)`,
      { context: { ...context, reason: 'plaintext' } },
    );
  if (env.v === 1)
    return new CheckpointUnauthenticatedError(
      `checkpoint ${env.id} of ${env.instance} has the old format (version 1) whose encryption does not bind its instance and time: refused; take a new checkpoint (the next deployment does)`,
      { context: { ...context, reason: 'legacy-format' } },
    );
  return undefined;
}

/**
 * Decode and verify stored checkpoint text. With a key, only version-2 encrypted checkpoints are accepted and
 * their id, instance and creation time are authenticated; without one, a plain checkpoint is read (checksum only).
 */
export function decodeCheckpoint(id: string, text: string, key: Buffer | undefined): Result<Checkpoint, DecodeError> {
  return parseEnvelope(id, text).andThen((env): Result<Checkpoint, DecodeError> => {
    const info = { id: env.id, instance: env.instance, createdAt: env.createdAt, encrypted: env.encrypted };
    let json = env.body;
    if (key !== undefined) {
      const refused = refusal(env);
      if (refused !== undefined) return err(refused);
      try {
        const raw = Buffer.from(env.body, 'base64');
        const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
        decipher.setAAD(checkpointAad(info));
        decipher.setAuthTag(raw.subarray(12, 28));
        json = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
      } catch (e) {
        return err(
          new CheckpointKeyError(
            `checkpoint ${id} cannot be authenticated with this key: the wrong key, or its id, instance or time was changed`,
            { context: { id, instance: env.instance }, cause: e },
          ),
        );
      }
    } else if (env.encrypted) {
      return err(new CheckpointKeyError(`checkpoint ${id} is encrypted and no key is set`, { context: { id } }));
    }
    try {
      return ok({ ...info, payload: JSON.parse(json) as unknown });
    } catch (e) {
      return err(
        new CheckpointCorruptError(`checkpoint ${id} is corrupt: payload is not valid JSON`, {
          context: { id },
          cause: e,
        }),
      );
    }
  });
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
