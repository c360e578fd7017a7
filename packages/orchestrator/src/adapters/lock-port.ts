import type { LockManager } from '@dive/locks';
import type { EngineLocks, LockLease } from '../engine/ports.js';

/** The engine's view of a @dive/locks manager. */
export function lockPort(locks: LockManager): EngineLocks {
  return {
    acquire: (type, resource, options) =>
      locks
        .acquire(type, resource, {
          timeoutMs: options.timeoutMs,
          ...(options.signal === undefined ? {} : { signal: options.signal }),
        })
        .map((handle): LockLease => ({
          fencingToken: handle.fencingToken,
          get isHeld() {
            return handle.isHeld;
          },
          onLost: (listener) => handle.onLost(listener),
          release: () => handle.release(),
        })),
  };
}
