import { closeSync, mkdtempSync, openSync, readSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ResultAsync } from 'neverthrow';
import { afterAll, describe, expect, it } from 'vitest';
import { StateCorruptError } from './errors.js';
import { createFileStateStore } from './file-store.js';
import {
  LOG_FILE_MAX_BYTES,
  MAX_JSON_DEPTH,
  METRICS_FILE_MAX_BYTES,
  STATE_FILE_MAX_BYTES,
} from './internal/read-capped.js';
import type { StateStore } from './types.js';

// Fault suite (issue #15): a state file that is corrupt, truncated, enormous or deeply nested is a
// StateCorruptError (6003) naming the file, never a crash; nothing else is lost.
const root = mkdtempSync(join(tmpdir(), 'dive-state-faults-'));
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});
let dirs = 0;
const opts = { fencingToken: 1, reason: 'test', actor: 'test' };
const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;

async function seeded(): Promise<{ dir: string; store: StateStore }> {
  const dir = join(root, `s${dirs++}`);
  const store = createFileStateStore({ dir });
  for (const i of ['USA', 'FRA']) {
    (await store.transition(i, 'INITIALIZING', opts))._unsafeUnwrap();
    (await store.transition(i, 'DEPLOYING', opts))._unsafeUnwrap();
  }
  for (const step of ['db', 'api'])
    (
      await store.recordStep({ deploymentId: 'd1', instance: 'USA', step, status: 'running', startedAt: 1 })
    )._unsafeUnwrap();
  (await store.recordError(new StateCorruptError('earlier'), { instance: 'USA' }))._unsafeUnwrap();
  (await store.saveMetricsSnapshot({ deploys: 1 }))._unsafeUnwrap();
  return { dir, store };
}

/** The first 64 bytes of a file (not the whole of an enormous one). */
function head(path: string): string {
  const fd = openSync(path, 'r');
  const buf = Buffer.alloc(64);
  try {
    return buf.subarray(0, readSync(fd, buf, 0, 64, 0)).toString('base64');
  } finally {
    closeSync(fd);
  }
}

type Damage = 'corrupt' | 'truncated' | 'enormous' | 'deeply nested';
function damage(path: string, how: Damage, limit: number, lines: boolean): void {
  const nl = lines ? '\n' : '';
  if (how === 'corrupt') writeFileSync(path, `\u0000{"state": not json${nl}`);
  if (how === 'truncated') truncateSync(path, Math.floor(statSync(path).size / 2));
  if (how === 'enormous') truncateSync(path, limit + 1); // sparse: refused before a byte is read
  if (how === 'deeply nested') writeFileSync(path, `${deep}${nl}`);
}

async function expectCorrupt(r: ResultAsync<unknown, unknown>, file: string): Promise<void> {
  const e = (await r)._unsafeUnwrapErr();
  expect(e).toBeInstanceOf(StateCorruptError);
  expect((e as StateCorruptError).code).toBe(6003);
  expect((e as StateCorruptError).message).toContain(file);
  expect((e as StateCorruptError).message).not.toMatch(/\n\s+at /);
}

/** What survives any damage to USA's files: FRA, and USA's audit log when it was not the damaged file. */
async function expectOthersIntact(store: StateStore): Promise<void> {
  expect((await store.getState('FRA'))._unsafeUnwrap()).toMatchObject({ state: 'DEPLOYING', version: 2 });
  expect((await store.history('FRA'))._unsafeUnwrap()).toHaveLength(2);
  expect((await store.verifyAuditLog('FRA')).isOk()).toBe(true);
  expect((await store.transition('FRA', 'CONFIGURING', opts))._unsafeUnwrap().version).toBe(3);
}

const damages: Damage[] = ['corrupt', 'truncated', 'enormous', 'deeply nested'];

describe('a damaged state.json', () => {
  for (const how of damages) {
    it(`${how}: getState and transition are StateCorruptError, the file is not overwritten, the audit log reads`, async () => {
      const { dir, store } = await seeded();
      const file = join(dir, 'instances', 'USA', 'state.json');
      damage(file, how, STATE_FILE_MAX_BYTES, false);
      const damaged = statSync(file).size;
      await expectCorrupt(store.getState('USA'), file);
      await expectCorrupt(store.transition('USA', 'CONFIGURING', opts), file);
      expect(statSync(file).size).toBe(damaged);
      expect((await store.history('USA'))._unsafeUnwrap().map((r) => r.to)).toEqual(['DEPLOYING', 'INITIALIZING']);
      await expectOthersIntact(store);
    });
  }
});

describe('a damaged audit.jsonl', () => {
  for (const how of damages) {
    it(`${how}: reads are StateCorruptError (truncated: tampering), nothing is appended to it`, async () => {
      const { dir, store } = await seeded();
      const file = join(dir, 'instances', 'USA', 'audit.jsonl');
      damage(file, how, LOG_FILE_MAX_BYTES, true);
      const damaged = head(file);
      const damagedSize = statSync(file).size;
      if (how === 'truncated') {
        expect((await store.getState('USA'))._unsafeUnwrap()).toMatchObject({ version: 2 }); // state.json is fine
        expect((await store.verifyAuditLog('USA'))._unsafeUnwrapErr()._tag).toBe('AuditLogTamperedError');
        await expectCorrupt(store.transition('USA', 'CONFIGURING', opts), file);
      } else {
        await expectCorrupt(store.history('USA'), file);
        await expectCorrupt(store.verifyAuditLog('USA'), file);
      }
      expect((await store.transition('USA', 'CONFIGURING', opts)).isErr()).toBe(true);
      expect(statSync(file).size).toBe(damagedSize);
      expect(head(file)).toBe(damaged);
      await expectOthersIntact(store);
    });
  }
});

describe('damaged steps, errors and metrics files', () => {
  for (const how of damages.filter((d) => d !== 'truncated')) {
    it(`${how}: steps, errorAnalytics and loadMetricsSnapshot are StateCorruptError; the instances are untouched`, async () => {
      const { dir, store } = await seeded();
      const steps = join(dir, 'steps', 'd1.jsonl');
      const errors = join(dir, 'errors.jsonl');
      const metrics = join(dir, 'metrics.json');
      damage(steps, how, LOG_FILE_MAX_BYTES, true);
      damage(errors, how, LOG_FILE_MAX_BYTES, true);
      damage(metrics, how, METRICS_FILE_MAX_BYTES, false);
      await expectCorrupt(store.steps('d1'), steps);
      await expectCorrupt(store.errorAnalytics({ bucket: 'day' }), errors);
      await expectCorrupt(store.loadMetricsSnapshot(), metrics);
      expect((await store.getState('USA'))._unsafeUnwrap()).toMatchObject({ version: 2 });
      await expectOthersIntact(store);
    });
  }

  it('truncated: the torn last line of a log is ignored (a crash mid-append), a torn metrics file is corrupt', async () => {
    const { dir, store } = await seeded();
    const steps = join(dir, 'steps', 'd1.jsonl');
    truncateSync(steps, statSync(steps).size - 5);
    expect((await store.steps('d1'))._unsafeUnwrap().map((s) => s.step)).toEqual(['db']);
    const metrics = join(dir, 'metrics.json');
    damage(metrics, 'truncated', METRICS_FILE_MAX_BYTES, false);
    await expectCorrupt(store.loadMetricsSnapshot(), metrics);
  });

  it('nesting up to the limit is accepted', async () => {
    const { store } = await seeded();
    let value: unknown = 1;
    for (let i = 1; i < MAX_JSON_DEPTH; i++) value = [value];
    (await store.saveMetricsSnapshot({ value }))._unsafeUnwrap();
    expect((await store.loadMetricsSnapshot()).isOk()).toBe(true);
  });
});
