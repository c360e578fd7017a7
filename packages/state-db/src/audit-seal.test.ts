import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createFileStateStore } from './file-store.js';
import { canonicalJson, chainHash, sha256 } from './internal/hash.js';
import { createMemoryStateStore } from './memory-store.js';
import type { StateStore, TransitionRecord } from './types.js';

const root = mkdtempSync(join(tmpdir(), 'dive-audit-seal-'));
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});
let dirs = 0;
const fresh = (): string => join(root, `s${dirs++}`);
const opts = { fencingToken: 1, reason: 'test', actor: 'test' };
const KEY = Buffer.alloc(32, 5).toString('hex');
const PATH = ['INITIALIZING', 'DEPLOYING', 'CONFIGURING', 'VERIFYING', 'COMPLETE'] as const;

async function deployed(store: StateStore, instance: string): Promise<void> {
  for (const s of PATH) (await store.transition(instance, s, opts))._unsafeUnwrap();
}

const files = (dir: string, i: string) => ({
  audit: join(dir, 'instances', i, 'audit.jsonl'),
  state: join(dir, 'instances', i, 'state.json'),
});
const readRows = (path: string): TransitionRecord[] =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as TransitionRecord);
/** What someone without the key can do: rewrite rows with valid sha256 links from the first one on. */
function relink(rows: TransitionRecord[]): TransitionRecord[] {
  let previous = '';
  return rows.map((r) => {
    const hash = chainHash(previous, { ...r, metadataJson: canonicalJson(r.metadata) });
    previous = hash;
    return { ...r, hash };
  });
}
const writeRows = (path: string, rows: TransitionRecord[]): void =>
  writeFileSync(path, rows.map((r) => `${JSON.stringify(r)}\n`).join(''));
const reason = async (store: StateStore, i: string): Promise<unknown> => {
  const e = (await store.verifyAuditLog(i))._unsafeUnwrapErr();
  expect(e).toMatchObject({ _tag: 'AuditLogTamperedError', code: 6005 });
  return e.context['reason'];
};

describe('keyed audit chain (file store)', () => {
  it('verifies every link and the sealed head and reports the head to publish', async () => {
    const store = createFileStateStore({ dir: fresh(), auditKey: KEY });
    await deployed(store, 'USA');
    const v = (await store.verifyAuditLog('USA'))._unsafeUnwrap();
    const newest = (await store.history('USA', { limit: 1 }))._unsafeUnwrap()[0];
    expect(v).toEqual({ instance: 'USA', rows: 5, head: newest?.hash, keyed: true, sealedVersion: 5 });
  });

  it('a tampered middle record is detected, even with every later link recomputed', async () => {
    const dir = fresh();
    const store = createFileStateStore({ dir, auditKey: KEY });
    await deployed(store, 'MID');
    const { audit } = files(dir, 'MID');
    const rows = readRows(audit);
    const forged = rows.map((r) => (r.version === 3 ? { ...r, actor: 'mallory' } : r));
    writeRows(audit, forged);
    expect(await reason(store, 'MID')).toBe('link');
    writeRows(audit, relink(forged));
    expect(await reason(store, 'MID')).toBe('head-mismatch');
  });

  it('a truncated tail is detected, also when the state file is rewritten to match', async () => {
    const dir = fresh();
    const store = createFileStateStore({ dir, auditKey: KEY });
    await deployed(store, 'TAIL');
    const { audit, state } = files(dir, 'TAIL');
    const rows = readRows(audit);
    writeRows(audit, rows.slice(0, 3));
    expect(await reason(store, 'TAIL')).toBe('truncated'); // the state file still says version 5
    // the attacker also rewrites state.json for version 3 (its checksum is a plain sha256) but cannot seal it
    const file = JSON.parse(readFileSync(state, 'utf8')) as Record<string, unknown>;
    const last = rows[2]!;
    const rest = {
      ...file,
      state: { instance: 'TAIL', state: last.to, version: 3, fencingToken: 1, updatedAt: last.at },
      head: last.hash,
      auditSize: statSync(audit).size,
      seal: { ...(file['seal'] as object), version: 3, hash: last.hash },
    };
    delete (rest as { checksum?: unknown }).checksum;
    writeFileSync(state, JSON.stringify({ ...rest, checksum: sha256(canonicalJson(rest)) }));
    expect((await store.getState('TAIL'))._unsafeUnwrap().version).toBe(3);
    expect(await reason(store, 'TAIL')).toBe('seal-mismatch');
  });

  it('another key does not verify; without a configured key the store keeps a per-store key file 0600', async () => {
    const dir = fresh();
    const store = createFileStateStore({ dir });
    await deployed(store, 'K');
    expect((await store.verifyAuditLog('K'))._unsafeUnwrap().keyed).toBe(true);
    const keyFile = join(dir, 'audit.key');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(await reason(createFileStateStore({ dir, auditKey: KEY }), 'K')).toBe('seal-mismatch');
    expect((await createFileStateStore({ dir, auditKeyFile: keyFile }).verifyAuditLog('K')).isOk()).toBe(true);
  });

  it('DIVE_AUDIT_KEY is the default key; a malformed key throws AuditKeyError (6008) at construction', async () => {
    const dir = fresh();
    const saved = process.env['DIVE_AUDIT_KEY'];
    process.env['DIVE_AUDIT_KEY'] = KEY;
    try {
      await deployed(createFileStateStore({ dir }), 'ENV');
    } finally {
      if (saved === undefined) Reflect.deleteProperty(process.env, 'DIVE_AUDIT_KEY');
      else process.env['DIVE_AUDIT_KEY'] = saved;
    }
    expect((await createFileStateStore({ dir, auditKey: KEY }).verifyAuditLog('ENV')).isOk()).toBe(true);
    expect(() => createFileStateStore({ dir, auditKey: 'c2hvcnQ=' })).toThrow(expect.objectContaining({ code: 6008 }));
    expect(() => createFileStateStore({ dir, auditKeyFile: join(dir, 'missing.key') })).toThrow(
      expect.objectContaining({ _tag: 'AuditKeyError' }),
    );
  });

  it('a removed seal (an old state file, or stripped) is unsealed', async () => {
    const dir = fresh();
    const store = createFileStateStore({ dir, auditKey: KEY });
    await deployed(store, 'STRIP');
    const { state } = files(dir, 'STRIP');
    const { checksum: _c, seal: _s, ...rest } = JSON.parse(readFileSync(state, 'utf8')) as Record<string, unknown>;
    writeFileSync(state, JSON.stringify({ ...rest, checksum: sha256(canonicalJson(rest)) }));
    expect(await reason(store, 'STRIP')).toBe('unsealed');
  });
});

describe('keyed audit chain (memory store)', () => {
  it('seals with a random key of its own by default and verifies', async () => {
    const store = createMemoryStateStore();
    await deployed(store, 'M');
    expect((await store.verifyAuditLog('M'))._unsafeUnwrap()).toMatchObject({ rows: 5, keyed: true, sealedVersion: 5 });
  });
});
