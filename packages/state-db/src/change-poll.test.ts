// The file store's change watching when fs.watch is unavailable or fails: the scan alone, on a fake clock.
import { EventEmitter } from 'node:events';
import type { FSWatcher, watch } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFakeClock, type FakeClock } from '@dive/errors/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFileStateStore } from './file-store.js';
import { watchStateDir } from './internal/file-watch.js';
import type { StateChange, StateStore } from './types.js';

const opts = { fencingToken: 1, reason: 'test', actor: 'test' };

/** `fs.watch` on a platform without recursive watching. */
const unavailable = (() => {
  throw Object.assign(new Error('recursive watch unavailable'), { code: 'ERR_FEATURE_UNAVAILABLE_ON_PLATFORM' });
}) as unknown as typeof watch;

/** Wait (turning the event loop, not the clock) until the scan in flight has read the files and set its next timer. */
async function scanned(clock: FakeClock): Promise<void> {
  while (clock.pendingTimers() === 0) await new Promise<void>((resolve) => setImmediate(resolve));
}

describe('file store change watching without fs.watch (polling only)', () => {
  let dir: string;
  let writer: StateStore; // another process's store on the same directory (system clock: its writes are real)
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dive-state-poll-'));
    writer = createFileStateStore({ dir, auditKey: 'k'.repeat(64) });
  });
  afterEach(async () => {
    await writer.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('scans every pollMs, reports each appended file once as the change it means, and stops', async () => {
    const clock = createFakeClock(0);
    const seen: StateChange[] = [];
    const stop = watchStateDir(dir, (c) => seen.push(c), { pollMs: 500 }, clock, unavailable);
    await scanned(clock);
    expect(clock.nextTimerAt()).toBe(500); // pollMs, not the 4 × pollMs of the backstop beside a working fs.watch
    expect(seen).toEqual([]);

    (await writer.transition('USA', 'INITIALIZING', opts))._unsafeUnwrap();
    clock.advance(499);
    expect(clock.pendingTimers()).toBe(1); // not scanned yet: nothing seen before the interval
    expect(seen).toEqual([]);
    clock.advance(1);
    await scanned(clock);
    expect(seen).toEqual([{ kind: 'transition', instance: 'USA' }]);
    expect(clock.nextTimerAt()).toBe(1_000);

    const step = { deploymentId: 'dep.1', instance: 'USA', step: 'api', status: 'running', startedAt: 1 } as const;
    (await writer.recordStep(step))._unsafeUnwrap();
    clock.advance(500);
    await scanned(clock);
    expect(seen.slice(1)).toEqual([{ kind: 'step', deploymentId: 'dep.1' }]);

    clock.advance(500); // nothing written since: nothing reported
    await scanned(clock);
    expect(seen).toHaveLength(2);

    stop();
    expect(clock.pendingTimers()).toBe(0);
    (await writer.transition('USA', 'DEPLOYING', opts))._unsafeUnwrap();
    clock.advance(5_000);
    expect(seen).toHaveLength(2);
  });

  it('reports fs.watch events at once, and polls at pollMs from the scan after the watcher fails', async () => {
    const clock = createFakeClock(0);
    const seen: StateChange[] = [];
    const watcher = Object.assign(new EventEmitter(), { close: () => undefined }) as unknown as FSWatcher;
    const fs: { onEvent?: (event: string, name: string | null) => void } = {};
    const working = ((_root: string, _o: unknown, listener: (event: string, name: string | null) => void) => {
      fs.onEvent = listener;
      return watcher;
    }) as unknown as typeof watch;
    const stop = watchStateDir(dir, (c) => seen.push(c), { pollMs: 500 }, clock, working);
    await scanned(clock);
    expect(clock.nextTimerAt()).toBe(2_000); // the backstop beside a working watcher
    fs.onEvent?.('change', join('steps', 'dep%2E2.jsonl'));
    expect(seen).toEqual([{ kind: 'step', deploymentId: 'dep.2' }]);

    watcher.emit('error', new Error('EMFILE'));
    clock.advance(2_000);
    await scanned(clock);
    expect(clock.nextTimerAt()).toBe(2_500); // the watcher is gone: the scan runs alone at pollMs
    (await writer.transition('EST', 'INITIALIZING', opts))._unsafeUnwrap();
    clock.advance(500);
    await scanned(clock);
    expect(seen.slice(1)).toEqual([{ kind: 'transition', instance: 'EST' }]);
    stop();
  });
});
