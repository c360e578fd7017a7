import type { StateChange, StateWatch, WatchOptions } from '../types.js';

/** In-process change listeners of a local store, plus the backend's watcher of other processes while any listen. */
export interface ChangeHub {
  emit(change: StateChange): void;
  subscribe(listener: (change: StateChange) => void, options?: WatchOptions): StateWatch;
  close(): void;
}

/** Deliver to one listener; a listener that throws never breaks the store operation that notified. */
function deliver(listener: (change: StateChange) => void, change: StateChange): void {
  try {
    listener(change);
  } catch {
    // the listener's own failure is its business
  }
}

/**
 * A change hub: writes of this process are emitted at once; each subscription with a `watch` backend also starts
 * its own watcher of the storage (other processes' writes).
 * @param watch - the backend's watcher, returning its stop function
 */
export function createChangeHub(
  watch: ((emit: (change: StateChange) => void, options: WatchOptions) => () => void) | undefined,
): ChangeHub {
  const subs = new Set<{ listener: (change: StateChange) => void; stop: () => void }>();
  const remove = (sub: { listener: (change: StateChange) => void; stop: () => void }): Promise<void> => {
    if (subs.delete(sub)) sub.stop();
    return Promise.resolve();
  };
  return {
    emit: (change) => {
      for (const s of [...subs]) deliver(s.listener, change);
    },
    subscribe: (listener, options = {}) => {
      const pollMs = options.pollMs ?? 500;
      if (!(Number.isFinite(pollMs) && pollMs > 0)) throw new RangeError(`pollMs must be > 0, got ${pollMs}`);
      const sub = {
        listener,
        stop: watch === undefined ? () => undefined : watch((c) => deliver(listener, c), { pollMs }),
      };
      subs.add(sub);
      return { ready: Promise.resolve(), close: () => remove(sub), [Symbol.asyncDispose]: () => remove(sub) };
    },
    close: () => {
      for (const s of [...subs]) void remove(s);
    },
  };
}
