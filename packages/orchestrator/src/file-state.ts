import { join, resolve } from 'node:path';
import { createFileLockManager, type TokenFloor } from '@dive/locks';
import { createFileBreakerStore, createFileFleetStore, createFileStateStore, type StateStore } from '@dive/state-db';
import type { StateBackend } from './state.js';

/**
 * Where a missing fencing-token counter starts: for an instance's `deployment` lock, the highest token the store has
 * accepted for that instance (so a deleted `locks/` directory never hands out a token the store would refuse as
 * stale); 0 for other locks. A store that cannot be read throws: the acquire fails rather than restart from 0.
 * @internal
 */
export function deploymentTokenFloor(store: StateStore): TokenFloor {
  return async (type, resource) => {
    if (type !== 'deployment') return 0;
    const s = await store.getState(resource);
    if (s.isErr()) throw s.error;
    return s.value.fencingToken ?? 0;
  };
}

/**
 * The embedded default: state, audit log and checkpoints under `dir/state`, lock files under `dir/locks`.
 * Several processes on one host may share the directory.
 * @param dir - default `.dive`
 * @param options - `sharedBreakers`: keep circuit breakers in the directory too, shared by every process (slower)
 */
export function fileState(dir = '.dive', options: { readonly sharedBreakers?: boolean } = {}): StateBackend {
  const root = resolve(dir);
  const store = createFileStateStore({ dir: join(root, 'state') });
  const locks = createFileLockManager({ dir: join(root, 'locks'), tokenFloor: deploymentTokenFloor(store) });
  // Shared file breakers cost a locked read and write per service start (1,000 services: +3 s), so they are opt-in.
  const breakers = options.sharedBreakers === true ? createFileBreakerStore({ dir: root }) : undefined;
  return {
    kind: 'file',
    store,
    locks,
    fleets: createFileFleetStore({ dir: join(root, 'state') }),
    ...(breakers === undefined ? {} : { breakers }),
    location: root,
    async [Symbol.asyncDispose]() {
      await locks[Symbol.asyncDispose]();
      await store.close();
    },
  };
}
