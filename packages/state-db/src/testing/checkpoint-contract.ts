import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import type { StateStore } from '../types.js';
import { check, failsWith, unwrap, type ContractCase } from './contract-assert.js';

/** What the checkpoint-security contract needs: two stores over the same storage, one with a key, one without. */
export interface CheckpointContractHarness {
  /** A store with `checkpointKey: key`. */
  readonly keyed: StateStore;
  /** A store over the same storage with `checkpointKey: ''` (no key). */
  readonly plain: StateStore;
  /** The key of `keyed`, 64 hex digits. */
  readonly key: string;
  /** A fresh instance name on every call. */
  instance(): string;
  /** Replace the stored text of checkpoint `id` (the envelope JSON) by `edit(text)`, behind the store's back. */
  rewrite(id: string, edit: (text: string) => string): Promise<void>;
}

const sha256 = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');

/** Re-encrypt an envelope the way version 1 did (associated data: the id only). */
function legacyEnvelope(text: string, key: string, payload: unknown): string {
  const { id, instance, createdAt } = JSON.parse(text) as { id: string; instance: string; createdAt: number };
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(key, 'hex'), iv);
  cipher.setAAD(Buffer.from(id));
  const ct = Buffer.concat([cipher.update(JSON.stringify(payload), 'utf8'), cipher.final()]);
  const body = Buffer.concat([iv, cipher.getAuthTag(), ct]).toString('base64');
  return JSON.stringify({ v: 1, id, instance, createdAt, encrypted: true, checksum: sha256(body), body });
}

const edit =
  (field: string, value: unknown) =>
  (text: string): string =>
    JSON.stringify({ ...(JSON.parse(text) as Record<string, unknown>), [field]: value });

/**
 * Checkpoint security every store keeps with a key set: plain text refused, id/instance/time authenticated,
 * another instance's checkpoint refused, the old format refused with a typed error.
 * @param h - a keyed and a plain store over the same storage, and raw write access
 * @returns the cases, framework-agnostic
 */
export function checkpointSecurityContract(h: CheckpointContractHarness): readonly ContractCase[] {
  return [
    {
      name: 'with a key, a plain-text checkpoint is refused: CheckpointUnauthenticatedError (plaintext)',
      run: async () => {
        const info = unwrap(await h.plain.createCheckpoint(h.instance(), { a: 1 }), 'plain createCheckpoint');
        check(!info.encrypted, 'plain store wrote an encrypted checkpoint');
        unwrap(await h.plain.getCheckpoint(info.id), 'plain getCheckpoint');
        const r = await h.keyed.getCheckpoint(info.id);
        failsWith(r, 'CheckpointUnauthenticatedError', 'keyed read of a plain checkpoint');
        check(r.isErr() && r.error.context['reason'] === 'plaintext', 'reason should be plaintext');
      },
    },
    {
      name: 'the instance and creation time are authenticated: an edited envelope is CheckpointKeyError',
      run: async () => {
        const instance = h.instance();
        const a = unwrap(await h.keyed.createCheckpoint(instance, { secret: 's' }), 'createCheckpoint');
        check(unwrap(await h.keyed.getCheckpoint(a.id), 'get').instance === instance, 'instance round-trips');
        await h.rewrite(a.id, edit('instance', h.instance()));
        failsWith(await h.keyed.getCheckpoint(a.id), 'CheckpointKeyError', 'instance moved');
        const b = unwrap(await h.keyed.createCheckpoint(instance, { secret: 's' }), 'createCheckpoint');
        await h.rewrite(b.id, edit('createdAt', b.createdAt + 1));
        failsWith(await h.keyed.getCheckpoint(b.id), 'CheckpointKeyError', 'createdAt changed');
      },
    },
    {
      name: 'a checkpoint copied under another id fails authentication',
      run: async () => {
        const instance = h.instance();
        const a = unwrap(await h.keyed.createCheckpoint(instance, { v: 'a' }), 'createCheckpoint a');
        const b = unwrap(await h.keyed.createCheckpoint(instance, { v: 'b' }), 'createCheckpoint b');
        let textOfA = '';
        await h.rewrite(a.id, (t) => (textOfA = t));
        await h.rewrite(b.id, () => edit('id', b.id)(textOfA));
        failsWith(await h.keyed.getCheckpoint(b.id), 'CheckpointKeyError', 'copied under another id');
      },
    },
    {
      name: 'a checkpoint of another instance is CheckpointNotFoundError when the caller names its instance',
      run: async () => {
        const mine = h.instance();
        const theirs = unwrap(await h.keyed.createCheckpoint(h.instance(), { x: 1 }), 'createCheckpoint');
        failsWith(await h.keyed.getCheckpoint(theirs.id, { instance: mine }), 'CheckpointNotFoundError', 'other');
        unwrap(await h.keyed.getCheckpoint(theirs.id, { instance: theirs.instance }), 'own instance');
      },
    },
    {
      name: 'an old-format (version 1) encrypted checkpoint is refused with reason legacy-format',
      run: async () => {
        const info = unwrap(await h.keyed.createCheckpoint(h.instance(), { old: true }), 'createCheckpoint');
        await h.rewrite(info.id, (t) => legacyEnvelope(t, h.key, { old: true }));
        const r = await h.keyed.getCheckpoint(info.id);
        failsWith(r, 'CheckpointUnauthenticatedError', 'version 1 with a key');
        check(r.isErr() && r.error.context['reason'] === 'legacy-format', 'reason should be legacy-format');
      },
    },
  ];
}
