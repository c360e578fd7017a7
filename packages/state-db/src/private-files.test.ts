import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createFileBreakerStore } from './file-breaker-store.js';
import { createFileStateStore } from './file-store.js';
import { checkStatePermissions, type StoreWarning } from './store-warnings.js';

const root = mkdtempSync(join(tmpdir(), 'dive-state-modes-'));
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});
const opts = { fencingToken: 1, reason: 'test', actor: 'test' };

function modes(dir: string): Map<string, number> {
  const out = new Map<string, number>();
  const walk = (p: string): void => {
    const s = statSync(p);
    out.set(p, s.mode & 0o777);
    if (s.isDirectory()) for (const n of readdirSync(p)) walk(join(p, n));
  };
  walk(dir);
  return out;
}

async function populate(dir: string, onWarning?: (w: StoreWarning) => void): Promise<void> {
  const store = createFileStateStore({ dir, ...(onWarning === undefined ? {} : { onWarning }) });
  (await store.transition('USA', 'INITIALIZING', opts))._unsafeUnwrap();
  (await store.createCheckpoint('USA', { a: 1 }))._unsafeUnwrap();
  (
    await store.recordStep({ deploymentId: 'd1', instance: 'USA', step: 's', status: 'running', startedAt: 1 })
  )._unsafeUnwrap();
  (await store.recordError({ _tag: 'X', code: 8001, severity: 'HIGH', message: 'm' }))._unsafeUnwrap();
  (await store.saveMetricsSnapshot({ n: 1 }))._unsafeUnwrap();
  await createFileBreakerStore({ dir }).compareAndSet('b', 0, {
    state: 'CLOSED',
    consecutiveFailures: 0,
    consecutiveSuccesses: 0,
    openedAt: null,
    nextProbeAt: null,
  });
  await store.close();
}

describe('file store permissions', () => {
  it('creates directories 0700 and files 0600: state, audit, checkpoints, steps, errors, metrics, breakers', async () => {
    const dir = join(root, 'fresh');
    const warnings: StoreWarning[] = [];
    await populate(dir, (w) => warnings.push(w));
    const found = modes(dir);
    expect(found.size).toBeGreaterThan(10);
    for (const [path, mode] of found) {
      expect({ path, mode: mode.toString(8) }).toEqual({
        path,
        mode: statSync(path).isDirectory() ? '700' : '600',
      });
    }
    expect(warnings).toEqual([]);
    expect(await checkStatePermissions(dir)).toEqual([]);
  });

  it('warns at start-up, once, about each file or directory other users can read, and changes nothing', async () => {
    const dir = join(root, 'loose');
    await populate(dir);
    const audit = join(dir, 'instances', 'USA', 'audit.jsonl');
    chmodSync(audit, 0o644);
    chmodSync(join(dir, 'checkpoints'), 0o755);
    const warnings: StoreWarning[] = [];
    const store = createFileStateStore({ dir, onWarning: (w) => warnings.push(w) });
    (await store.getState('USA'))._unsafeUnwrap();
    (await store.getState('USA'))._unsafeUnwrap();
    expect(warnings.map((w) => [w.code, w.path])).toEqual([
      ['loose-permissions', join(dir, 'checkpoints')],
      ['loose-permissions', audit],
    ]);
    expect(warnings[1]?.message).toContain('0644');
    expect(statSync(audit).mode & 0o777).toBe(0o644);
  });

  it('a missing directory has nothing to report', async () => {
    expect(await checkStatePermissions(join(root, 'nothing-here'))).toEqual([]);
  });
});
