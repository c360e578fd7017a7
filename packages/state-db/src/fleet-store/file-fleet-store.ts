import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { systemClock, type Clock } from '@dive/errors';
import { ResultAsync } from 'neverthrow';
import { StateCorruptError, StateStoreUnavailableError } from '../errors.js';
import { writeAtomic } from '../internal/atomic-file.js';
import { withLockFile } from '../internal/lock-file.js';
import { mkdirPrivate } from '../internal/private-files.js';
import { newestFirst, newRunDocument, withApproval, withGate, withInstance, withRunState } from './run-document.js';
import type { FleetPause, FleetRun, FleetStore, FleetStoreError } from './types.js';

/** Options of {@link createFileFleetStore}. */
export interface FileFleetStoreOptions {
  /** Directory of the state store (fleet records go in `<dir>/fleets`). */
  readonly dir: string;
  /** How long a write waits for another process's write, in ms. Default 5,000. */
  readonly lockTimeoutMs?: number;
  /** Runs the lock waits. Default `systemClock`. */
  readonly clock?: Clock;
}

interface Stored {
  readonly run: FleetRun;
  readonly seq: number;
}

const enc = (name: string): string => encodeURIComponent(name).replace(/\./g, '%2E').replace(/\*/g, '%2A');
let counter = 0;

/**
 * The fleet record of one host in files: one JSON file per run (written atomically under a per-run lock file, so
 * several processes of the host may share it) and one pause file per fleet.
 * @param options - `dir`, lock timeout, clock
 * @returns a {@link FleetStore}: calls fail with StateStoreUnavailableError (6001) when the directory is unusable
 *   and StateCorruptError (6003) when a record cannot be parsed
 * @example
 * ```ts
 * const fleets = createFileFleetStore({ dir: '.dive/state' });
 * const run = await fleets.latestRun('coalition');
 * ```
 */
export function createFileFleetStore(options: FileFleetStoreOptions): FleetStore {
  if (typeof options.dir !== 'string' || options.dir === '')
    throw new TypeError('createFileFleetStore: dir is required');
  const timeout = options.lockTimeoutMs ?? 5_000;
  if (!(timeout > 0)) throw new RangeError(`lockTimeoutMs must be > 0, got ${timeout}`);
  const root = join(options.dir, 'fleets');
  const runsDir = join(root, 'runs');
  const pauseDir = join(root, 'pause');
  const runFile = (id: string) => join(runsDir, `${enc(id)}.json`);
  const pauseFile = (fleet: string) => join(pauseDir, `${enc(fleet)}.json`);

  const wrap = <T>(what: string, p: () => Promise<T>): ResultAsync<T, FleetStoreError> =>
    ResultAsync.fromPromise(p(), (e) =>
      e instanceof StateCorruptError
        ? e
        : new StateStoreUnavailableError(`fleet store at ${root}: ${what} failed: ${(e as Error).message}`, {
            context: { dir: root, operation: what },
            cause: e,
          }),
    );
  const readJson = async <T>(path: string): Promise<T | undefined> => {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
    try {
      return JSON.parse(text) as T;
    } catch (cause) {
      throw new StateCorruptError(`fleet record ${path} cannot be parsed`, { context: { file: path }, cause });
    }
  };
  const locked = async <T>(path: string, fn: () => Promise<T>): Promise<T> => {
    await mkdirPrivate(runsDir);
    await mkdirPrivate(pauseDir);
    return withLockFile(`${path}.lock`, timeout, fn, options.clock ?? systemClock);
  };
  const update = (what: string, id: string, f: (r: FleetRun) => FleetRun) =>
    wrap(what, () =>
      locked(runFile(id), async () => {
        const stored = await readJson<Stored>(runFile(id));
        if (stored === undefined) return false;
        await writeAtomic(runFile(id), JSON.stringify({ run: f(stored.run), seq: stored.seq }));
        return true;
      }),
    );
  const ofFleet = async (fleet: string): Promise<Stored[]> => {
    let names: string[];
    try {
      names = await readdir(runsDir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    const out: Stored[] = [];
    for (const n of names.filter((f) => f.endsWith('.json'))) {
      const s = await readJson<Stored>(join(runsDir, n));
      if (s !== undefined && s.run.fleet === fleet) out.push(s);
    }
    return out.sort(newestFirst);
  };
  return {
    createRun: (input) =>
      wrap('createRun', () =>
        locked(runFile(input.id), async () => {
          const run = newRunDocument(input);
          await writeAtomic(runFile(run.id), JSON.stringify({ run, seq: Date.now() * 1000 + (counter++ % 1000) }));
          return run;
        }),
      ),
    getRun: (id) => wrap('getRun', async () => (await readJson<Stored>(runFile(id)))?.run),
    latestRun: (fleet) => wrap('latestRun', async () => (await ofFleet(fleet))[0]?.run),
    listRuns: (fleet, o) =>
      wrap('listRuns', async () => (await ofFleet(fleet)).slice(0, o?.limit ?? 20).map((s) => s.run)),
    setRunState: (id, state, o) => update('setRunState', id, (r) => withRunState(r, state, o)),
    setInstance: (id, instance, u) => update('setInstance', id, (r) => withInstance(r, instance, u)),
    setGate: (id, gate, u) => update('setGate', id, (r) => withGate(r, gate, u)),
    approve: (id, gate, a) => update('approve', id, (r) => withApproval(r, gate, a)),
    setPaused: (fleet, paused, o) =>
      wrap('setPaused', () =>
        locked(pauseFile(fleet), async () => {
          const p: FleetPause = { fleet, paused, by: o.by, at: o.at };
          await writeAtomic(pauseFile(fleet), JSON.stringify(p));
          return p;
        }),
      ),
    getPause: (fleet) =>
      wrap('getPause', async () => (await readJson<FleetPause>(pauseFile(fleet))) ?? { fleet, paused: false }),
  };
}
