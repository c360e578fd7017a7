import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFakeClock, driveUntilSettled } from '@dive/errors/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { withLockFile } from './lock-file.js';

const dir = mkdtempSync(join(tmpdir(), 'dive-state-lock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('lock file', () => {
  it('serialises holders and removes the lock afterwards', async () => {
    const path = join(dir, 'a.lock');
    const order: string[] = [];
    const clock = createFakeClock();
    const holders = [1, 2, 3].map((n) =>
      withLockFile(
        path,
        5_000,
        async () => {
          order.push(`in${n}`);
          await Promise.resolve();
          order.push(`out${n}`);
        },
        clock,
      ),
    );
    await driveUntilSettled(clock, Promise.all(holders), { maxStepMs: 20 });
    expect(order).toHaveLength(6);
    for (let i = 0; i < order.length; i += 2) expect(order[i]?.slice(2)).toBe(order[i + 1]?.slice(3));
    expect(existsSync(path)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.startsWith('a.lock'))).toEqual([]);
  });

  it('takes over a lock whose holder pid is dead', async () => {
    const path = join(dir, 'b.lock');
    writeFileSync(path, '4194000'); // above the default pid_max on most systems: not alive
    expect(await withLockFile(path, 2_000, () => Promise.resolve('ran'))).toBe('ran');
  });

  it('fails after the timeout while a live process holds it', async () => {
    const path = join(dir, 'c.lock');
    writeFileSync(path, String(process.pid));
    const clock = createFakeClock();
    const waiting = withLockFile(path, 30, () => Promise.resolve(), clock);
    await expect(driveUntilSettled(clock, waiting, { maxStepMs: 20 })).rejects.toThrow(/still held/);
    expect(clock.now()).toBeGreaterThan(30);
  });
});
