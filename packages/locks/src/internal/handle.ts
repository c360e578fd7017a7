import { toDiveError } from '@dive/errors';
import { errAsync, okAsync, ResultAsync } from 'neverthrow';
import { LockLostError, LockStoreError } from '../errors.js';
import type { AcquireError, AcquireOptions, LockHandle } from '../types.js';

/** A handle plus the backend's side: `lost(reason)` tells the holder its lock is gone. */
export interface HandleControl {
  readonly handle: LockHandle;
  lost(reason: string, cause?: unknown): void;
}

/** Build a handle; `release` runs once, then the handle is no longer held. */
export function createHandle(fields: {
  readonly type: string;
  readonly resource: string;
  readonly fencingToken: number;
  readonly acquiredAt: number;
  readonly release: () => Promise<void>;
}): HandleControl {
  let held = true;
  let releasing: ResultAsync<void, LockStoreError> | undefined;
  const listeners = new Set<(e: LockLostError) => void>();
  const handle: LockHandle = {
    type: fields.type,
    resource: fields.resource,
    fencingToken: fields.fencingToken,
    acquiredAt: fields.acquiredAt,
    get isHeld() {
      return held;
    },
    release() {
      if (releasing !== undefined) return releasing;
      if (!held) return okAsync(undefined);
      held = false;
      listeners.clear();
      releasing = ResultAsync.fromPromise(
        fields.release(),
        (e) =>
          new LockStoreError(
            `releasing the ${fields.type} lock on ${fields.resource} failed: ${toDiveError(e).message}`,
            { cause: e, context: { type: fields.type, resource: fields.resource } },
          ),
      );
      return releasing;
    },
    onLost(listener) {
      listeners.add(listener);
      return { [Symbol.dispose]: () => listeners.delete(listener) };
    },
    async [Symbol.asyncDispose]() {
      // Dispose cannot answer with a Result; call release() to see a failure (the lock expires with its holder).
      await handle.release().match(
        () => undefined,
        () => undefined,
      );
    },
  };
  return {
    handle,
    lost(reason, cause) {
      if (!held) return;
      held = false;
      const error = new LockLostError(
        `the ${fields.type} lock on ${fields.resource} (fencing token ${fields.fencingToken}) was lost: ${reason}`,
        {
          ...(cause === undefined ? {} : { cause }),
          context: { type: fields.type, resource: fields.resource, fencingToken: fields.fencingToken },
        },
      );
      for (const l of [...listeners]) {
        try {
          l(error);
        } catch {
          // a listener's failure must not stop the others
        }
      }
      listeners.clear();
    },
  };
}

/** `withLock` on top of `acquire`, shared by every manager: the handle is released on every path. */
export function withLockVia<T, E>(
  acquire: (type: string, resource: string, options?: AcquireOptions) => ResultAsync<LockHandle, AcquireError>,
  type: string,
  resource: string,
  fn: (handle: LockHandle) => ResultAsync<T, E> | Promise<T>,
  options?: AcquireOptions,
): ResultAsync<T, E | AcquireError> {
  return acquire(type, resource, options).andThen((handle) => {
    const run = async (): Promise<{ ok: true; value: T } | { ok: false; error: E }> => {
      try {
        const out = fn(handle);
        if (out instanceof ResultAsync) {
          const r = await out;
          return r.isOk() ? { ok: true, value: r.value } : { ok: false, error: r.error };
        }
        return { ok: true, value: await out };
      } finally {
        // The work's outcome is the answer; a failed release is deliberately not (the lock expires with its holder).
        await handle.release().match(
          () => undefined,
          () => undefined,
        );
      }
    };
    return ResultAsync.fromPromise(run(), (e) => toDiveError(e) as unknown as E).andThen((r) =>
      r.ok ? okAsync<T, E>(r.value) : errAsync<T, E>(r.error),
    );
  });
}
