import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, type TestDatabase } from '@dive/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFileLockManager } from './file-lock-manager.js';
import { createPostgresLockManager } from './postgres-lock-manager.js';

const fixture = fileURLToPath(new URL('./fixtures/contender.ts', import.meta.url));
const tsconfig = fileURLToPath(new URL('../../../tsconfig.json', import.meta.url));
let db: TestDatabase;
let dir: string;
const children = new Set<ChildProcess>();

const run = (args: string[]): ChildProcess => {
  const c = spawn(process.execPath, ['--import', 'tsx', fixture, ...args], {
    env: { ...process.env, TSX_TSCONFIG_PATH: tsconfig },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.add(c);
  c.on('exit', () => children.delete(c));
  return c;
};
const exited = (c: ChildProcess): Promise<number | null> => new Promise((r) => c.on('exit', (code) => r(code)));

beforeAll(async () => {
  db = await createTestDatabase('lockprocs');
  dir = mkdtempSync(join(tmpdir(), 'dive-lockprocs-'));
});
afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await db.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe.each(['pg', 'file'] as const)('real processes, %s backend', (kind) => {
  const target = () => (kind === 'pg' ? db.url : join(dir, 'locks'));

  it('ten processes contend for one deployment lock: zero overlaps, tokens strictly increasing', async () => {
    const out = join(dir, `${kind}-contention.txt`);
    const procs = Array.from({ length: 10 }, () => run([kind, target(), 'USA', '5', out]));
    const codes = await Promise.all(procs.map(exited));
    expect(codes.every((c) => c === 0)).toBe(true);
    // Each holder appends "enter" and "exit" lines while holding the lock, so the file's order is the order of
    // events: zero overlaps means every "enter" is immediately followed by the matching "exit".
    const lines = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split(' '));
    expect(lines).toHaveLength(100);
    const tokens: number[] = [];
    for (let i = 0; i < lines.length; i += 2) {
      const [enter, exit] = [lines[i]!, lines[i + 1]!];
      expect([enter[0], exit[0]]).toEqual(['enter', 'exit']);
      expect(exit.slice(1)).toEqual(enter.slice(1));
      tokens.push(Number(enter[2]));
    }
    for (let i = 1; i < tokens.length; i++) expect(tokens[i]!).toBeGreaterThan(tokens[i - 1]!);
  }, 240_000); // ten `node --import tsx` children: generous for a machine whose cores are busy

  it('kill -9 of the holder: a waiter gets the lock quickly, with a larger token', async () => {
    const holder = run([kind, target(), 'KIL', '1', '/dev/null', 'hold']);
    const token = await new Promise<number>((resolve) =>
      holder.stdout?.on('data', (c: Buffer) => {
        const m = /HELD (\d+)/.exec(c.toString());
        if (m) resolve(Number(m[1]));
      }),
    );
    const locks =
      kind === 'pg'
        ? createPostgresLockManager({ connectionString: target() })
        : createFileLockManager({ dir: target() });
    // the waiter is already waiting when the holder dies; getting the lock at all (not LockTimeoutError after
    // 60 s) shows the dead holder's lock was taken over — how fast depends on the machine's load, not asserted
    const waiting = locks.acquire('deployment', 'KIL', { timeoutMs: 60_000 });
    const busy = await locks.tryAcquire('deployment', 'KIL');
    expect(busy._unsafeUnwrap()).toBeUndefined();
    holder.kill('SIGKILL');
    const h = (await waiting)._unsafeUnwrap();
    expect(h.fencingToken).toBeGreaterThan(token);
    await h.release();
    await locks[Symbol.asyncDispose]();
  }, 120_000);

  it('different instances never block each other across processes', async () => {
    const holder = run([kind, target(), 'AAA', '1', '/dev/null', 'hold']);
    await new Promise<void>((resolve) => holder.stdout?.on('data', () => resolve()));
    const locks =
      kind === 'pg'
        ? createPostgresLockManager({ connectionString: target() })
        : createFileLockManager({ dir: target() });
    const other = await locks.acquire('deployment', 'BBB', { timeoutMs: 200 });
    expect(other.isOk()).toBe(true);
    await other._unsafeUnwrap().release();
    holder.kill('SIGKILL');
    await locks[Symbol.asyncDispose]();
  }, 120_000);
});
