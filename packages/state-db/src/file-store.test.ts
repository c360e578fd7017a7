import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createFileStateStore } from './file-store.js';
import { stateStoreContract } from './testing/index.js';

const root = mkdtempSync(join(tmpdir(), 'dive-state-file-'));
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});
let dirs = 0;
const fresh = (): string => join(root, `s${dirs++}`);
const opts = { fencingToken: 1, reason: 'test', actor: 'test' };

describe('file state store contract', () => {
  const store = createFileStateStore({ dir: fresh() });
  let n = 0;
  for (const c of stateStoreContract({ store, instance: () => `file/${n++}..x` })) it(c.name, c.run);
});

describe('file state store on disk', () => {
  it('a corrupt state file is StateCorruptError naming the file; the audit log stays readable', async () => {
    const dir = fresh();
    const store = createFileStateStore({ dir });
    await store.transition('USA', 'INITIALIZING', opts);
    await store.transition('USA', 'DEPLOYING', opts);
    const file = join(dir, 'instances', 'USA', 'state.json');
    writeFileSync(file, readFileSync(file, 'utf8').replace('DEPLOYING', 'COMPLETE'));
    const r = await store.getState('USA');
    expect(r._unsafeUnwrapErr()).toMatchObject({ _tag: 'StateCorruptError', code: 6003 });
    expect(r._unsafeUnwrapErr().context['file']).toBe(file);
    expect((await store.transition('USA', 'CONFIGURING', opts))._unsafeUnwrapErr()._tag).toBe('StateCorruptError');
    expect((await store.history('USA'))._unsafeUnwrap().map((x) => x.to)).toEqual(['DEPLOYING', 'INITIALIZING']);
  });

  it('an edited or deleted audit line is AuditLogTamperedError', async () => {
    const dir = fresh();
    const store = createFileStateStore({ dir });
    for (const s of ['INITIALIZING', 'DEPLOYING', 'FAILED'] as const) await store.transition('EU', s, opts);
    const audit = join(dir, 'instances', 'EU', 'audit.jsonl');
    const original = readFileSync(audit, 'utf8');
    writeFileSync(audit, original.replace('"reason":"test"', '"reason":"forged"'));
    expect((await store.verifyAuditLog('EU'))._unsafeUnwrapErr()).toMatchObject({
      _tag: 'AuditLogTamperedError',
      code: 6005,
    });
    const lines = original.split('\n');
    writeFileSync(audit, [lines[0], lines[2], ''].join('\n'));
    const e = (await store.verifyAuditLog('EU'))._unsafeUnwrapErr();
    expect(e._tag).toBe('AuditLogTamperedError');
    expect(e.context['version']).toBe(2);
    writeFileSync(audit, original);
    expect((await store.verifyAuditLog('EU'))._unsafeUnwrap().rows).toBe(3);
  });

  it('a torn append is dropped; a complete append without its state write is rolled forward', async () => {
    const dir = fresh();
    const store = createFileStateStore({ dir });
    await store.transition('X', 'INITIALIZING', opts);
    const audit = join(dir, 'instances', 'X', 'audit.jsonl');
    appendFileSync(audit, '{"instance":"X","vers');
    expect((await store.getState('X'))._unsafeUnwrap().version).toBe(1);
    await store.transition('X', 'DEPLOYING', opts);
    expect((await store.verifyAuditLog('X'))._unsafeUnwrap().rows).toBe(2);
    // simulate a crash after the audit append of version 3 but before the state file was replaced
    const stateFile = join(dir, 'instances', 'X', 'state.json');
    const before = readFileSync(stateFile, 'utf8');
    await store.transition('X', 'CONFIGURING', opts);
    writeFileSync(stateFile, before);
    expect((await store.getState('X'))._unsafeUnwrap()).toMatchObject({ state: 'CONFIGURING', version: 3 });
    await store.transition('X', 'VERIFYING', opts);
    expect((await store.verifyAuditLog('X'))._unsafeUnwrap().rows).toBe(4);
  });

  it('checkpoints: corrupt is CheckpointCorruptError; encrypted needs the right key', async () => {
    const dir = fresh();
    const key = Buffer.alloc(32, 7).toString('base64');
    const enc = createFileStateStore({ dir, checkpointKey: key });
    const info = (await enc.createCheckpoint('USA', { secret: 'value' }))._unsafeUnwrap();
    expect(info.encrypted).toBe(true);
    const cpDir = join(dir, 'checkpoints', 'USA');
    const [name] = readdirSync(cpDir);
    expect(readFileSync(join(cpDir, name!), 'utf8')).not.toContain('value');
    expect((await enc.getCheckpoint(info.id))._unsafeUnwrap().payload).toEqual({ secret: 'value' });
    const noKey = createFileStateStore({ dir, checkpointKey: '' });
    expect((await noKey.getCheckpoint(info.id))._unsafeUnwrapErr()).toMatchObject({ code: 7004 });
    const wrong = createFileStateStore({ dir, checkpointKey: Buffer.alloc(32, 8).toString('hex') });
    expect((await wrong.getCheckpoint(info.id))._unsafeUnwrapErr()._tag).toBe('CheckpointKeyError');
    const short = createFileStateStore({ dir, checkpointKey: 'c2hvcnQ=' });
    expect((await short.createCheckpoint('USA', {}))._unsafeUnwrapErr()._tag).toBe('CheckpointKeyError');
    const text = readFileSync(join(cpDir, name!), 'utf8');
    writeFileSync(
      join(cpDir, name!),
      text.replace(/"body":"(.)/, (_m, c: string) => `"body":"${c === 'A' ? 'B' : 'A'}`),
    );
    expect((await enc.getCheckpoint(info.id))._unsafeUnwrapErr()).toMatchObject({
      _tag: 'CheckpointCorruptError',
      code: 7002,
    });
    writeFileSync(join(cpDir, name!), 'not json');
    expect((await enc.getCheckpoint(info.id))._unsafeUnwrapErr()._tag).toBe('CheckpointCorruptError');
  });
});
