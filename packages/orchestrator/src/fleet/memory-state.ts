import { systemClock, type Clock } from '@dive/errors';
import { createMemoryLockManager } from '@dive/locks/testing';
import { createMemoryFleetStore, createMemoryStateStore } from '@dive/state-db/testing';
import type { StateBackend } from '../state.js';

/**
 * State, locks and the fleet record in memory, for tests of `orchestrate()` and `orchestrateFleet()`: nothing
 * waits on real I/O, so a fake clock alone decides every deadline. Nothing survives the process.
 * @param options - `clock` (default the system clock)
 * @returns a {@link StateBackend} of kind `file` whose location is `memory`
 * @example
 * ```ts
 * import { memoryState, memoryRuntime } from '@dive/orchestrator/testing';
 * const report = await orchestrateFleet(fleet, { state: memoryState(), runtimeFor: () => memoryRuntime() });
 * ```
 */
export function memoryState(options: { readonly clock?: Clock } = {}): StateBackend {
  const clock = options.clock ?? systemClock;
  return {
    kind: 'file',
    store: createMemoryStateStore({ clock }),
    locks: createMemoryLockManager({ clock }),
    fleets: createMemoryFleetStore(),
    location: 'memory',
    [Symbol.asyncDispose]: async () => undefined,
  };
}
