import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { orchestrate } from './operations/orchestrate.js';
import { fileState } from './state.js';
import { memoryRuntime } from './testing/memory-runtime.js';
import type { Topology } from './topology/types.js';

const dir = mkdtempSync(join(tmpdir(), 'dive-file-state-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const topology = (arg: string): Topology => ({
  instance: 'FLR',
  services: { api: { process: { command: 'api', args: [arg] } } },
});

describe('fileState', () => {
  it('a lost lock directory restarts the fencing tokens from the highest one the store accepted, not 0', async () => {
    const runtime = memoryRuntime();
    const token = async (arg: string) =>
      (await orchestrate(topology(arg), { runtime, state: fileState(dir) }))._unsafeUnwrap().fencingToken;
    expect([await token('1'), await token('2')]).toEqual([1, 2]);
    rmSync(join(dir, 'locks'), { recursive: true, force: true });
    const third = await orchestrate(topology('3'), { runtime, state: fileState(dir) });
    expect(third._unsafeUnwrap()).toMatchObject({ success: true, fencingToken: 3 });
  });
});
