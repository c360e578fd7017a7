import { newStoreId } from './internal/store-id.js';
import { randomBytes } from 'node:crypto';
import type {
  CheckpointInfo,
  CommonStoreOptions,
  ErrorRecord,
  InstanceState,
  StateStore,
  StepRecord,
  TransitionRecord,
} from './types.js';
import { createLocalStore, type LocalBackend } from './internal/local-store.js';
import type { SealedHead } from './internal/audit-seal.js';

const done = <T>(value: T): Promise<T> => Promise.resolve(value);

/** Options of {@link createMemoryStateStore}. */
export type MemoryStateStoreOptions = CommonStoreOptions;

/**
 * An in-memory state store with the same rules as the PostgreSQL and file stores (it passes the same contract
 * suite), for tests and single-process tools. Nothing survives the process.
 * @param options - clock, checkpoint key, audit key (default: a random key of this store)
 * @returns a {@link StateStore}
 * @example
 * ```ts
 * const store = createMemoryStateStore();
 * await store.transition('USA', 'INITIALIZING', { fencingToken: 1, reason: 'deploy', actor: 'ci' });
 * ```
 */
export function createMemoryStateStore(options: MemoryStateStoreOptions = {}): StateStore {
  const states = new Map<string, { state: InstanceState; head: string; seal: SealedHead }>();
  const fallbackKey = randomBytes(32);
  const id = newStoreId();
  const audit = new Map<string, TransitionRecord[]>();
  const steps = new Map<string, Map<string, StepRecord>>();
  const checkpoints = new Map<string, { info: CheckpointInfo; text: string }>();
  const errors: ErrorRecord[] = [];
  let metrics: string | undefined;
  let tail: Promise<unknown> = Promise.resolve();
  const backend: LocalBackend = {
    where: 'memory',
    withLock: <T>(_instance: string, fn: () => Promise<T>): Promise<T> => {
      const next = tail.then(fn, fn);
      tail = next.catch(() => undefined);
      return next;
    },
    readState: (instance) => done(states.get(instance)),
    readSeal: (instance) => done(states.get(instance)?.seal),
    fallbackAuditKey: () => done(fallbackKey),
    commit: (r, seal) => {
      audit.set(r.instance, [...(audit.get(r.instance) ?? []), r]);
      states.set(r.instance, {
        state: { instance: r.instance, state: r.to, version: r.version, fencingToken: r.fencingToken, updatedAt: r.at },
        head: r.hash,
        seal,
      });
      return done(undefined);
    },
    readAudit: (instance) => done([...(audit.get(instance) ?? [])]),
    listInstances: () => done([...states.keys()]),
    putStep: (s) => {
      const forDeployment = steps.get(s.deploymentId) ?? new Map<string, StepRecord>();
      forDeployment.set(s.step, s);
      steps.set(s.deploymentId, forDeployment);
      return done(undefined);
    },
    readSteps: (id) => done([...(steps.get(id)?.values() ?? [])]),
    putCheckpoint: (info, text) => {
      checkpoints.set(info.id, { info, text });
      return done(undefined);
    },
    readCheckpoint: (id, maxBytes) => {
      const text = checkpoints.get(id)?.text;
      const size = text === undefined ? 0 : Buffer.byteLength(text);
      return done(size > maxBytes ? { size } : text);
    },
    listCheckpointTexts: (instance) =>
      done(
        [...checkpoints.values()]
          .filter((c) => c.info.instance === instance)
          .map((c) => ({ id: c.info.id, text: c.text })),
      ),
    deleteCheckpoint: (id) => {
      checkpoints.delete(id);
      return done(undefined);
    },
    appendError: (r) => {
      errors.push(r);
      return done(undefined);
    },
    readErrors: () => done([...errors]),
    saveMetrics: (json) => {
      metrics = json;
      return done(undefined);
    },
    loadMetrics: () => done(metrics),
    storeId: () => done(id),
    close: () => done(undefined),
  };
  return createLocalStore(backend, options);
}
