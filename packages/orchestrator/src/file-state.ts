import { join, resolve } from 'node:path';
import { createFileLockManager } from '@dive/locks';
import { createFileBreakerStore, createFileStateStore } from '@dive/state-db';
import type { StateBackend } from './state.js';

/**
 * The embedded default: state, audit log and checkpoints under `dir/state`, lock files under `dir/locks`.
 * Several processes on one host may share the directory.
 * @param dir - default `.dive`
 * @param options - `sharedBreakers`: keep circuit breakers in the directory too, shared by every process (slower)
 */
export function fileState(dir = '.dive', options: { readonly sharedBreakers?: boolean } = {}): StateBackend {
  const root = resolve(dir);
  const store = createFileStateStore({ dir: join(root, 'state') });
  const locks = createFileLockManager({ dir: join(root, 'locks') });
  // Shared file breakers cost a locked read and write per service start (1,000 services: +3 s), so they are opt-in.
  const breakers = options.sharedBreakers === true ? createFileBreakerStore({ dir: root }) : undefined;
  return {
    kind: 'file',
    store,
    locks,
    ...(breakers === undefined ? {} : { breakers }),
    location: root,
    async [Symbol.asyncDispose]() {
      await locks[Symbol.asyncDispose]();
      await store.close();
    },
  };
}
