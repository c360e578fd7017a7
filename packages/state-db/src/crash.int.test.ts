import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnFixture } from './test-support/spawn.js';
import type { Result } from 'neverthrow';
import { createFileStateStore } from './file-store.js';
import { TRANSITIONS } from './state-machine.js';

function must<T>(r: Result<T, { _tag: string; message: string }>): T {
  if (r.isErr()) throw new Error(`${r.error._tag}: ${r.error.message}`);
  return r.value;
}

const dir = mkdtempSync(join(tmpdir(), 'dive-state-crash-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('kill -9 during file writes', () => {
  it('leaves the old or the new state, never a torn one, and the next writer goes on', async () => {
    const store = createFileStateStore({ dir, lockTimeoutMs: 5_000 });
    let last = 0;
    for (let round = 0; round < 6; round++) {
      const child = spawnFixture('writer.ts', [dir, 'CRASH']);
      let stderr = '';
      child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      // `ready` comes after the child's first write; a child that dies first fails the test instead of hanging it
      await new Promise<void>((resolve, reject) => {
        child.stdout!.once('data', () => resolve());
        child.once('exit', (code) => reject(new Error(`writer exited ${String(code)} before writing: ${stderr}`)));
      });
      await new Promise((r) => setTimeout(r, 40 + round * 25));
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
      const state = must(await store.getState('CRASH'));
      expect(state.version).toBeGreaterThanOrEqual(last);
      expect(must(await store.verifyAuditLog('CRASH')).rows).toBe(state.version);
      // the killed writer's lock is taken over, and the chain goes on
      const next = TRANSITIONS.find((t) => t.from === state.state)?.to ?? 'INITIALIZING';
      const r = await store.transition('CRASH', next, { fencingToken: 1, reason: 'after crash', actor: 'test' });
      expect(must(r).version).toBe(state.version + 1);
      last = state.version + 1;
    }
    expect(last).toBeGreaterThanOrEqual(12); // each round: at least one write by the child, one by the test
  }, 240_000); // six `node --import tsx` children: generous for a machine whose cores are busy
});
