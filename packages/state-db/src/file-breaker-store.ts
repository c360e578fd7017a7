import { readdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { BreakerRecord, BreakerStore } from '@dive/circuit-breaker';
import type { Clock } from '@dive/errors';
import { writeAtomic } from './internal/atomic-file.js';
import { withLockFile } from './internal/lock-file.js';
import { mkdirPrivate } from './internal/private-files.js';

/** Options of {@link createFileBreakerStore}. */
export interface FileBreakerStoreOptions {
  /** Directory of the state store (breakers go in `<dir>/breakers`). */
  readonly dir: string;
  /** How long a write waits for another process's lock (default 5,000 ms). */
  readonly lockTimeoutMs?: number;
  /** Runs the lock waits. Default `systemClock`; tests pass `createFakeClock()` from `@dive/errors/testing`. */
  readonly clock?: Clock;
}

const enc = (name: string): string => encodeURIComponent(name).replace(/\./g, '%2E').replace(/\*/g, '%2A');

async function readJson<T>(path: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/**
 * Circuit breaker state shared by the processes of one host through files: one JSON file per breaker, written
 * atomically under a per-breaker lock file, and a probe-slot file with a lease. Implements the `BreakerStore` of
 * `@dive/circuit-breaker`. Methods reject with the file-system error when the directory is unusable.
 * @param options - `dir`, lock timeout, clock
 * @returns a `BreakerStore`
 * @example
 * ```ts
 * const breakers = createFileBreakerStore({ dir: '.dive/state' });
 * await breakers.claimProbe('registry', `pid-${process.pid}`, Date.now(), 10_000); // true for one process
 * ```
 */
export function createFileBreakerStore(options: FileBreakerStoreOptions): BreakerStore {
  if (typeof options.dir !== 'string' || options.dir === '')
    throw new TypeError('createFileBreakerStore: dir is required');
  const timeout = options.lockTimeoutMs ?? 5_000;
  if (!(timeout > 0)) throw new RangeError(`lockTimeoutMs must be > 0, got ${timeout}`);
  const root = join(options.dir, 'breakers');
  const record = (name: string): string => join(root, `${enc(name)}.json`);
  const probe = (name: string): string => join(root, `${enc(name)}.probe`);
  const locked = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    await mkdirPrivate(root);
    return withLockFile(join(root, `${enc(name)}.lock`), timeout, fn, options.clock);
  };
  return {
    load: (name) => readJson<BreakerRecord>(record(name)),
    compareAndSet: (name, expectedVersion, next) =>
      locked(name, async () => {
        const current = await readJson<BreakerRecord>(record(name));
        if ((current?.version ?? 0) !== expectedVersion) return undefined;
        const stored: BreakerRecord = { ...next, name, version: expectedVersion + 1 };
        await writeAtomic(record(name), JSON.stringify(stored));
        return stored;
      }),
    claimProbe: (name, owner, now, ttlMs) =>
      locked(name, async () => {
        const slot = await readJson<{ owner: string; expiresAt: number }>(probe(name));
        if (slot !== undefined && slot.owner !== owner && now < slot.expiresAt) return false;
        await writeAtomic(probe(name), JSON.stringify({ owner, expiresAt: now + ttlMs }));
        return true;
      }),
    releaseProbe: (name, owner) =>
      locked(name, async () => {
        const slot = await readJson<{ owner: string }>(probe(name));
        if (slot?.owner === owner) await unlink(probe(name)).catch(() => undefined);
      }),
    list: async () => {
      let names: string[];
      try {
        names = await readdir(root);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw e;
      }
      const out: BreakerRecord[] = [];
      for (const n of names.filter((f) => f.endsWith('.json'))) {
        const r = await readJson<BreakerRecord>(join(root, n));
        if (r !== undefined) out.push(r);
      }
      return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    },
    reset: (name) =>
      locked(name, async () => {
        await unlink(record(name)).catch(() => undefined);
        await unlink(probe(name)).catch(() => undefined);
      }),
  };
}
