import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createFileLockManager } from './file-lock-manager.js';

const root = mkdtempSync(join(tmpdir(), 'dive-lock-modes-'));
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('file lock permissions', () => {
  it('creates the lock directory 0700 and the lock and token files 0600', async () => {
    const dir = join(root, 'locks');
    await using locks = createFileLockManager({ dir });
    const handle = (await locks.acquire('deployment', 'USA', { timeoutMs: 1_000 }))._unsafeUnwrap();
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const files = readdirSync(dir);
    expect(files.some((f) => f.endsWith('.lock'))).toBe(true);
    expect(files.some((f) => f.endsWith('.token'))).toBe(true);
    for (const f of files) expect([f, statSync(join(dir, f)).mode & 0o777]).toEqual([f, 0o600]);
    await handle.release();
  });
});
