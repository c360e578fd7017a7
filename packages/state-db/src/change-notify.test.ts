import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { changeOf } from './internal/file-watch.js';
import { parseChange } from './internal/pg-listen.js';
import { createMemoryStateStore } from './memory-store.js';
import type { StateChange } from './types.js';

const opts = { fencingToken: 1, reason: 'test', actor: 'test' };

describe('state change notifications', () => {
  it('the memory store notifies its listeners of transitions and steps, and stops after close', async () => {
    const store = createMemoryStateStore();
    const seen: StateChange[] = [];
    const watch = store.onChange?.((c) => seen.push(c));
    await watch?.ready;
    (await store.transition('USA', 'INITIALIZING', opts))._unsafeUnwrap();
    (
      await store.recordStep({ deploymentId: 'd1', instance: 'USA', step: 'api', status: 'running', startedAt: 1 })
    )._unsafeUnwrap();
    await watch?.close();
    (await store.transition('USA', 'DEPLOYING', opts))._unsafeUnwrap();
    expect(seen).toEqual([
      { kind: 'transition', instance: 'USA' },
      { kind: 'step', instance: 'USA', deploymentId: 'd1' },
    ]);
  });

  it('a listener that throws does not fail the write', async () => {
    const store = createMemoryStateStore();
    store.onChange?.(() => {
      throw new Error('listener bug');
    });
    expect((await store.transition('EST', 'INITIALIZING', opts)).isOk()).toBe(true);
  });

  it('refuses a non-positive polling interval', () => {
    const store = createMemoryStateStore();
    expect(() => store.onChange?.(() => undefined, { pollMs: 0 })).toThrow(RangeError);
  });

  it('maps changed paths of the file store to changes', () => {
    expect(changeOf(join('instances', 'USA', 'audit.jsonl'))).toEqual({ kind: 'transition', instance: 'USA' });
    expect(changeOf(join('steps', 'dep%2E1.jsonl'))).toEqual({ kind: 'step', deploymentId: 'dep.1' });
    expect(changeOf(join('steps', 'x.tmp'))).toEqual({ kind: 'other' });
    expect(changeOf('errors.jsonl')).toEqual({ kind: 'other' });
    expect(changeOf(join('instances', '%E0%A4%A'))).toEqual({ kind: 'other' });
  });

  it('parses NOTIFY payloads, treating anything unexpected as other', () => {
    expect(parseChange('{"kind":"step","instance":"USA","deploymentId":"d"}')).toEqual({
      kind: 'step',
      instance: 'USA',
      deploymentId: 'd',
    });
    expect(parseChange('not json')).toEqual({ kind: 'other' });
    expect(parseChange('{"kind":"drop"}')).toEqual({ kind: 'other' });
  });
});
