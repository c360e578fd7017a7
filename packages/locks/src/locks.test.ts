import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFakeClock, driveUntilSettled, type FakeClock } from '@dive/errors/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { createFileLockManager } from './file-lock-manager.js';
import { lockKey, lockFileId } from './key.js';
import { createMemoryLockManager } from './testing/memory-lock-manager.js';
import { lockManagerContract } from './testing/contract.js';

const dir = mkdtempSync(join(tmpdir(), 'dive-locks-'));
// Fake clocks: the contract moves time itself. The file clock reads epoch ms (lock files' mtimes are compared).
const fileClock = createFakeClock(Date.now());
const memoryClock = createFakeClock();
const file = createFileLockManager({ dir, verifyMs: 50, clock: fileClock });
const memory = createMemoryLockManager({ clock: memoryClock });
afterAll(async () => {
  await file[Symbol.asyncDispose]();
  rmSync(dir, { recursive: true, force: true });
});

const drive = <T>(clock: FakeClock, p: PromiseLike<T>): Promise<T> => driveUntilSettled(clock, p, { maxStepMs: 10 });

describe('the lock contract: memory', () => {
  for (const c of lockManagerContract({ manager: () => memory, lostWithinMs: 100, clock: memoryClock }))
    it(c.name, () => c.run());
});

describe('the lock contract: file', () => {
  // time jumps at most one poll interval while a waiter is busy with file I/O
  for (const c of lockManagerContract({ manager: () => file, lostWithinMs: 50, clock: fileClock, stepMs: 10 }))
    it(c.name, () => c.run());
});

describe('keys', () => {
  it('are 64-bit, stable, and differ for type and resource swapped', () => {
    expect(lockKey('deployment', 'USA')).toBe(lockKey('deployment', 'USA'));
    expect(lockKey('deployment', 'USA')).not.toBe(lockKey('USA', 'deployment'));
    expect(lockKey('a', 'bc')).not.toBe(lockKey('ab', 'c'));
    const k = lockKey('deployment', 'USA');
    expect(k >= -(2n ** 63n) && k < 2n ** 63n).toBe(true);
    const many = new Set(Array.from({ length: 100_000 }, (_, i) => lockKey('deployment', `r${i}`)));
    expect(many.size).toBe(100_000);
  });
});

describe('file locks', () => {
  it('a corrupt lock file is a clear LockCorruptError naming the file, not a crash', async () => {
    writeFileSync(join(dir, `${lockFileId('deployment', 'CORRUPT')}.lock`), '{not json');
    const r = await file.acquire('deployment', 'CORRUPT', { timeoutMs: 100 });
    expect(r._unsafeUnwrapErr()._tag).toBe('LockCorruptError');
    expect(r._unsafeUnwrapErr().code).toBe(5005);
    expect(String(r._unsafeUnwrapErr().context['path'])).toContain(dir);
  });

  it('a lock file left by a dead process on this host is reclaimed, with a larger token', async () => {
    const id = lockFileId('deployment', 'STALE');
    writeFileSync(join(dir, `${id}.token`), '41');
    writeFileSync(
      join(dir, `${id}.lock`),
      JSON.stringify({
        type: 'deployment',
        resource: 'STALE',
        pid: 2 ** 22 + 12345,
        host: (await import('node:os')).hostname(),
        application: 'x',
        token: 41,
        acquiredAt: 0,
        owner: 'dead',
      }),
    );
    const h = (await drive(fileClock, file.acquire('deployment', 'STALE', { timeoutMs: 1_000 })))._unsafeUnwrap();
    expect(h.fencingToken).toBe(42);
    await h.release();
  });

  it('a directory that cannot be made is a LockStoreError', async () => {
    writeFileSync(join(dir, 'a-file'), '');
    const bad = createFileLockManager({ dir: join(dir, 'a-file', 'locks') });
    const r = await bad.acquire('deployment', 'USA', { timeoutMs: 10 });
    expect(r._unsafeUnwrapErr()._tag).toBe('LockStoreError');
  });
});

describe('README quick example', () => {
  it('runs the deploy under the lock with its fencing token, and a second caller times out naming the holder', async () => {
    const { LOCK_TYPES } = await import('./types.js');
    const clock = createFakeClock(Date.now()); // the README passes no clock; here time is moved by hand
    const locks = createFileLockManager({ dir: join(dir, 'readme'), clock });
    const seen: number[] = [];
    const deploy = async ({ fencingToken }: { fencingToken: number }): Promise<string> => {
      seen.push(fencingToken);
      const other = await locks.acquire(LOCK_TYPES.deployment, 'USA', { timeoutMs: 30 });
      expect(other.isErr() && other.error._tag).toBe('LockTimeoutError');
      return 'deployed';
    };
    const result = await drive(
      clock,
      locks.withLock(
        LOCK_TYPES.deployment,
        'USA',
        async (lock) => {
          // every write carries lock.fencingToken; the store refuses an older one
          return deploy({ fencingToken: lock.fencingToken });
        },
        { timeoutMs: 5_000 },
      ),
    );
    expect(result._unsafeUnwrap()).toBe('deployed');
    expect(seen).toHaveLength(1);
    expect((await locks.isLocked(LOCK_TYPES.deployment, 'USA'))._unsafeUnwrap()).toBe(false);
    await locks[Symbol.asyncDispose]();
  });
});
