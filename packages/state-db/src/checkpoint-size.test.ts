import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFileStateStore } from './file-store.js';
import { CHECKPOINT_MAX_BYTES } from './internal/checkpoint-size.js';
import { createMemoryStateStore } from './memory-store.js';
import type { StateStore } from './types.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});
const tempDir = async (): Promise<string> => {
  const d = await mkdtemp(join(tmpdir(), 'dive-cp-size-'));
  dirs.push(d);
  return d;
};

const small = { services: { a: 'x' } };
const big = { services: { a: 'x'.repeat(8000) } };

async function refusesOnWrite(store: StateStore): Promise<void> {
  const kept = (await store.createCheckpoint('USA', small))._unsafeUnwrap();
  const refused = (await store.createCheckpoint('USA', big))._unsafeUnwrapErr();
  expect(refused._tag).toBe('CheckpointTooLargeError');
  expect(refused.code).toBe(7006);
  expect(refused.message).toMatch(/above the 4096-byte limit; it was not written/);
  expect(refused.context).toMatchObject({ instance: 'USA', limit: 4096, when: 'write' });
  // nothing stored was lost, nothing was added
  expect((await store.listCheckpoints('USA'))._unsafeUnwrap().map((c) => c.id)).toEqual([kept.id]);
  expect((await store.getCheckpoint(kept.id))._unsafeUnwrap().payload).toEqual(small);
}

describe('checkpoint size cap', () => {
  it('the default is 16 MiB, and a limit that is not a positive integer is a RangeError at construction', () => {
    expect(CHECKPOINT_MAX_BYTES).toBe(16 * 1024 * 1024);
    expect(() => createMemoryStateStore({ checkpointMaxBytes: 0 })).toThrow(RangeError);
    expect(() => createMemoryStateStore({ checkpointMaxBytes: 1.5 })).toThrow(RangeError);
  });

  it('memory: a checkpoint above the limit is refused on write; the stored ones are untouched', async () => {
    await refusesOnWrite(createMemoryStateStore({ checkpointMaxBytes: 4096 }));
  });

  it('files: refused on write with no file written; one above the limit is refused on read, not read', async () => {
    const dir = await tempDir();
    await refusesOnWrite(createFileStateStore({ dir, checkpointMaxBytes: 4096 }));
    const files = await readdir(join(dir, 'checkpoints', 'USA'));
    expect(files).toHaveLength(1); // no temp file left either
    const roomy = createFileStateStore({ dir });
    const large = (await roomy.createCheckpoint('USA', big))._unsafeUnwrap();
    expect((await roomy.getCheckpoint(large.id))._unsafeUnwrap().payload).toEqual(big);
    const strict = createFileStateStore({ dir, checkpointMaxBytes: 4096 });
    const e = (await strict.getCheckpoint(large.id))._unsafeUnwrapErr();
    expect(e._tag).toBe('CheckpointTooLargeError');
    expect(e.context).toMatchObject({ checkpointId: large.id, limit: 4096, when: 'read' });
  });
});
