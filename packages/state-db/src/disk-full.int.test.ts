import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { StateStoreUnavailableError } from './errors.js';
import { createFileStateStore } from './file-store.js';
import { mountSmallDisk, type SmallDisk } from './test-support/small-disk.js';
import type { StateStore } from './types.js';

// Fault suite (issue #15): the file state store on a full disk. A tmpfs of 512 KiB is mounted (root only), the
// store's previous state is written while there is room, then a filler takes all but a chosen number of blocks
// and a write is attempted. tmpfs counts whole pages, so the free blocks decide which write fails: with 0 even the
// lock file cannot be written, with 1 the lock takes it and the audit append fails part-way, with 2 the audit row
// fits and the state file does not.
let disk: SmallDisk;
let n = 0;
beforeAll(() => {
  disk = mountSmallDisk(512);
});
afterEach(() => {
  disk?.release(); // a failed test must not leave the next one a full disk
});
afterAll(() => {
  disk?.unmount();
});

const opts = { fencingToken: 1, reason: 'test', actor: 'test' };

/** Every file under `dir` with its content: nothing may change, appear or be left behind by a failed write. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[relative(dir, p)] = readFileSync(p, 'base64');
    }
  };
  walk(dir);
  return out;
}

/** A store with two transitions, a checkpoint, a step, an error and a metrics snapshot, written with room. */
async function previous(): Promise<{ dir: string; store: StateStore; checkpoint: string }> {
  const dir = join(disk.dir, `s${n++}`);
  const store = createFileStateStore({ dir });
  (await store.transition('USA', 'INITIALIZING', opts))._unsafeUnwrap();
  (await store.transition('USA', 'DEPLOYING', opts))._unsafeUnwrap();
  const checkpoint = (await store.createCheckpoint('USA', { services: ['db'] }))._unsafeUnwrap().id;
  await store.recordStep({ deploymentId: 'd1', instance: 'USA', step: 'db', status: 'running', startedAt: 1 });
  (await store.recordError(new StateStoreUnavailableError('earlier'), { instance: 'USA' }))._unsafeUnwrap();
  (await store.saveMetricsSnapshot({ deploys: 1 }))._unsafeUnwrap();
  return { dir, store, checkpoint };
}

function expectOutOfSpace(e: unknown): void {
  expect(e).toBeInstanceOf(StateStoreUnavailableError);
  expect((e as StateStoreUnavailableError).context).toMatchObject({ errno: 'ENOSPC' });
  expect((e as StateStoreUnavailableError).message).toMatch(/out of space/);
}

/** The previous state, audit log and checkpoint read back as they were; then, with room again, writing resumes. */
async function expectIntactAndResumes(store: StateStore, checkpoint: string): Promise<void> {
  expect((await store.getState('USA'))._unsafeUnwrap()).toMatchObject({ state: 'DEPLOYING', version: 2 });
  expect((await store.history('USA'))._unsafeUnwrap().map((r) => r.to)).toEqual(['DEPLOYING', 'INITIALIZING']);
  expect((await store.verifyAuditLog('USA')).isOk()).toBe(true);
  expect((await store.getCheckpoint(checkpoint))._unsafeUnwrap().payload).toEqual({ services: ['db'] });
  disk.release();
  expect((await store.transition('USA', 'CONFIGURING', opts))._unsafeUnwrap().version).toBe(3);
  expect((await store.verifyAuditLog('USA')).isOk()).toBe(true);
}

/** Bytes left in the audit log's last block (an append shorter than this needs no new block). */
function slack(dir: string, bsize: number): number {
  const size = statSync(join(dir, 'instances', 'USA', 'audit.jsonl')).size;
  return (bsize - (size % bsize)) % bsize;
}

describe('file state store on a full disk', () => {
  it('a transition with no block free: out-of-space error, nothing changed, no lock or temp file left', async () => {
    const { dir, store, checkpoint } = await previous();
    const before = snapshot(dir);
    disk.fill(0);
    const r = await store.transition('USA', 'CONFIGURING', opts);
    expectOutOfSpace(r._unsafeUnwrapErr());
    expect(snapshot(dir)).toEqual(before);
    await expectIntactAndResumes(store, checkpoint);
  });

  it('an audit append that fails part-way is cut back: no half line, the state unchanged', async () => {
    const { dir, store, checkpoint } = await previous();
    const before = snapshot(dir);
    const bsize = disk.fill(1); // the lock file takes the one block
    const r = await store.transition('USA', 'CONFIGURING', { ...opts, reason: 'x'.repeat(3 * bsize) });
    expectOutOfSpace(r._unsafeUnwrapErr());
    expect(snapshot(dir)).toEqual(before);
    expect(disk.freeBlocks()).toBe(1);
    await expectIntactAndResumes(store, checkpoint);
  });

  it('a state write that fails after the audit row was appended takes the row back: the transition did not happen', async () => {
    const { dir, store, checkpoint } = await previous();
    const before = snapshot(dir);
    const bsize = disk.fill(2); // the lock takes one, the audit row (just longer than the slack) the other
    const reason = 'x'.repeat(slack(dir, bsize) + 1);
    const r = await store.transition('USA', 'CONFIGURING', { ...opts, reason });
    expectOutOfSpace(r._unsafeUnwrapErr());
    expect(snapshot(dir)).toEqual(before); // a reader would otherwise roll the complete row forward
    expect(disk.freeBlocks()).toBe(2);
    await expectIntactAndResumes(store, checkpoint);
  });

  it('a checkpoint that does not fit: out-of-space error, no temp file, the earlier checkpoint still readable', async () => {
    const { dir, store, checkpoint } = await previous();
    const before = snapshot(dir);
    disk.fill(0);
    const r = await store.createCheckpoint('USA', { services: ['db', 'api'] });
    expectOutOfSpace(r._unsafeUnwrapErr());
    expect(snapshot(dir)).toEqual(before);
    expect((await store.listCheckpoints('USA'))._unsafeUnwrap().map((c) => c.id)).toEqual([checkpoint]);
    await expectIntactAndResumes(store, checkpoint);
  });

  it('steps, errors and metrics that do not fit leave their files as they were; later appends parse', async () => {
    const { dir, store, checkpoint } = await previous();
    const before = snapshot(dir);
    const bsize = disk.fill(0);
    const big = { log: 'y'.repeat(3 * bsize) };
    const step = { deploymentId: 'd1', instance: 'USA', step: 'api', status: 'running', startedAt: 2 } as const;
    expectOutOfSpace((await store.recordStep({ ...step, detail: big }))._unsafeUnwrapErr());
    expectOutOfSpace((await store.saveMetricsSnapshot({ deploys: 2, big }))._unsafeUnwrapErr());
    const failure = new StateStoreUnavailableError('x'.repeat(3 * bsize));
    expectOutOfSpace((await store.recordError(failure, { instance: 'USA' }))._unsafeUnwrapErr());
    expect(snapshot(dir)).toEqual(before);
    expect((await store.loadMetricsSnapshot())._unsafeUnwrap()).toEqual({ deploys: 1 });
    await expectIntactAndResumes(store, checkpoint);
    (await store.recordStep({ ...step, status: 'succeeded', endedAt: 3 }))._unsafeUnwrap();
    expect((await store.steps('d1'))._unsafeUnwrap().map((s) => `${s.step}:${s.status}`)).toEqual([
      'db:running',
      'api:succeeded',
    ]);
    (await store.recordError(failure, { instance: 'USA' }))._unsafeUnwrap();
    const analytics = (await store.errorAnalytics({ bucket: 'day' }))._unsafeUnwrap();
    expect(analytics.total).toBe(2); // the earlier error and this one; the failed append left no half line
  });
});
