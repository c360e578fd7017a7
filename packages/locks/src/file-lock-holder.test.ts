import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createFileLockManager } from './file-lock-manager.js';
import { HOST, processStartTime, readBootId } from './internal/holder-identity.js';
import { lockFileId } from './key.js';

const dir = mkdtempSync(join(tmpdir(), 'dive-lock-holder-'));
const locks = createFileLockManager({ dir, pollMs: 5 });
afterAll(async () => {
  await locks[Symbol.asyncDispose]();
  rmSync(dir, { recursive: true, force: true });
});

const me = { pid: process.pid, host: HOST, bootId: readBootId(), startTime: processStartTime(process.pid) };
const lockFile = (resource: string): string => join(dir, `${lockFileId('deployment', resource)}.lock`);
const counter = (resource: string): string => join(dir, `${lockFileId('deployment', resource)}.token`);
function plant(resource: string, holder: Record<string, unknown>): void {
  writeFileSync(
    lockFile(resource),
    JSON.stringify({
      type: 'deployment',
      resource,
      application: 'dive',
      token: 7,
      acquiredAt: 1,
      owner: 'o',
      ...holder,
    }),
  );
}

describe('file lock holders: host, boot id and process start time', () => {
  it('records them in the lock file', async () => {
    const h = (await locks.acquire('deployment', 'REC', { timeoutMs: 500 }))._unsafeUnwrap();
    expect(JSON.parse(readFileSync(lockFile('REC'), 'utf8'))).toMatchObject(me);
    expect(me.bootId).toMatch(/^[0-9a-f-]{36}$/);
    expect(typeof me.startTime).toBe('number');
    await h.release();
  });

  it('a live holder (same pid, boot and start time) is not taken over', async () => {
    plant('LIVE', me);
    const e = (await locks.acquire('deployment', 'LIVE', { timeoutMs: 50 }))._unsafeUnwrapErr();
    expect(e).toMatchObject({ _tag: 'LockTimeoutError', code: 5001 });
    expect((await locks.isLocked('deployment', 'LIVE'))._unsafeUnwrap()).toBe(true);
  });

  it('a reused pid (alive, but started at another time) is a dead holder: taken over', async () => {
    plant('REUSED', { ...me, startTime: (me.startTime ?? 0) + 1 });
    expect((await locks.isLocked('deployment', 'REUSED'))._unsafeUnwrap()).toBe(false);
    const h = (await locks.acquire('deployment', 'REUSED', { timeoutMs: 1_000 }))._unsafeUnwrap();
    expect(h.fencingToken).toBe(1);
    await h.release();
  });

  it('a holder from another boot is dead: taken over', async () => {
    plant('BOOT', { ...me, bootId: '00000000-0000-0000-0000-000000000000' });
    const h = (await locks.acquire('deployment', 'BOOT', { timeoutMs: 1_000 }))._unsafeUnwrap();
    await h.release();
  });

  it('a holder on another host is never taken over and is reported with that host', async () => {
    plant('REMOTE', { pid: 999_999_999, host: 'build-7.example', bootId: 'x', startTime: 1 });
    const e = (await locks.acquire('deployment', 'REMOTE', { timeoutMs: 50 }))._unsafeUnwrapErr();
    expect(e._tag).toBe('LockTimeoutError');
    expect(e.context['holder']).toMatchObject({ host: 'build-7.example', pid: 999_999_999 });
    expect(e.message).toContain('build-7.example');
    const listed = (await locks.list())._unsafeUnwrap().find((l) => l.resource === 'REMOTE');
    expect(listed?.holder.host).toBe('build-7.example');
  });
});

describe('the fencing-token counter never goes backwards', () => {
  it('continues from the counter file', async () => {
    writeFileSync(counter('CONT'), '41');
    const h = (await locks.acquire('deployment', 'CONT', { timeoutMs: 500 }))._unsafeUnwrap();
    expect(h.fencingToken).toBe(42);
    await h.release();
  });

  it('an unreadable counter is LockCorruptError naming it, not a restart from 0; the lock is not left held', async () => {
    writeFileSync(counter('BAD'), 'garbage');
    const e = (await locks.acquire('deployment', 'BAD', { timeoutMs: 500 }))._unsafeUnwrapErr();
    expect(e).toMatchObject({ _tag: 'LockCorruptError', code: 5005 });
    expect(e.context['path']).toBe(counter('BAD'));
    writeFileSync(counter('BAD'), '9');
    const h = (await locks.acquire('deployment', 'BAD', { timeoutMs: 500 }))._unsafeUnwrap();
    expect(h.fencingToken).toBe(10);
    await h.release();
  });

  it('only a missing counter starts again, from tokenFloor (e.g. the state store highest token)', async () => {
    await using seeded = createFileLockManager({
      dir,
      tokenFloor: (type, resource) => (resource === 'SEED' ? 100 : 0),
    });
    const h = (await seeded.acquire('deployment', 'SEED', { timeoutMs: 500 }))._unsafeUnwrap();
    expect(h.fencingToken).toBe(101);
    await h.release();
    const again = (await seeded.acquire('deployment', 'SEED', { timeoutMs: 500 }))._unsafeUnwrap();
    expect(again.fencingToken).toBe(102);
    await again.release();
  });
});
