import { createFakeClock } from '@dive/errors/testing';
import { describe, expect, it } from 'vitest';
import { createMemoryStateStore, stateStoreContract } from './testing/index.js';

describe('memory state store contract', () => {
  const store = createMemoryStateStore();
  let n = 0;
  for (const c of stateStoreContract({ store, instance: () => `mem-${n++}` })) it(c.name, c.run);
});

describe('README example', () => {
  it('runs', async () => {
    const store = createMemoryStateStore({ clock: createFakeClock(1_000) });
    const r = await store.transition('USA', 'INITIALIZING', { fencingToken: 1, reason: 'deploy', actor: 'ci' });
    expect(r._unsafeUnwrap()).toMatchObject({ version: 1, from: 'UNKNOWN', to: 'INITIALIZING', at: 1_000 });
    const bad = await store.transition('USA', 'COMPLETE', { fencingToken: 1, reason: 'skip', actor: 'ci' });
    expect(bad._unsafeUnwrapErr()).toMatchObject({ _tag: 'InvalidTransitionError', code: 6002 });
  });

  it('throws RangeError on a nonsense fencing token', () => {
    const store = createMemoryStateStore();
    expect(() => store.transition('USA', 'INITIALIZING', { fencingToken: -1, reason: 'x', actor: 'y' })).toThrow(
      RangeError,
    );
  });
});
