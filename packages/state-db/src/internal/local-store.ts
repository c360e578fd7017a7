import { errAsync, okAsync, ResultAsync } from 'neverthrow';
import { systemClock, toDiveError } from '@dive/errors';
import {
  CheckpointNotFoundError,
  type CheckpointTooLargeError,
  StateCorruptError,
  StateStoreUnavailableError,
  type CheckpointReadError,
} from '../errors.js';
import { toAsync } from './to-async.js';
import type {
  Checkpoint,
  CheckpointInfo,
  CommonStoreOptions,
  ErrorRecord,
  InstanceState,
  StateChange,
  StateStore,
  StepRecord,
  TransitionRecord,
  WatchOptions,
} from '../types.js';
import { createChangeHub } from './change-hub.js';
import { checkpointIds } from './checkpoint-id.js';
import { checkpointLimit, checkpointTooLarge } from './checkpoint-size.js';
import { ownedBy } from './checkpoint-owner.js';
import { analyse } from './analytics.js';
import { decodeCheckpoint, encodeCheckpoint, peekCheckpoint, resolveKey } from './checkpoint-codec.js';
import { assertTransitionOptions, nextRecord, refusal, unknownState } from './rules.js';
import { resolveAuditKey } from './audit-key.js';
import { sealHead, type SealedHead } from './audit-seal.js';
import { verifySealedChain } from './audit-verify.js';

/** What a local backend (memory, files) stores; the engine below adds the rules. Methods may throw. */
export interface LocalBackend {
  readonly where: string;
  /** Start-up work run once before the first operation (checks that only warn); must not throw. */
  readonly init?: () => Promise<void>;
  /** Run `fn` holding the instance's write lock (across processes for files). */
  withLock<T>(instance: string, fn: () => Promise<T>): Promise<T>;
  /** Current state and the newest audit hash; `undefined` for a new instance. Throws StateCorruptError. */
  readState(instance: string): Promise<{ state: InstanceState; head: string } | undefined>;
  /** Make `record` durable: append to the audit log, then replace the current state with `seal` (the new head). */
  commit(record: TransitionRecord, seal: SealedHead): Promise<void>;
  /** The sealed head kept apart from the log (not rolled forward); `undefined` when none was written. */
  readSeal(instance: string): Promise<SealedHead | undefined>;
  /** The audit key when none is configured (files: a per-store key file; memory: a random key). */
  readonly fallbackAuditKey?: () => Promise<Buffer>;
  /** Rows past the sealed head tolerated by verification (files: 1, a crash between append and state write). */
  readonly maxUnsealed?: number;
  readAudit(instance: string): Promise<TransitionRecord[]>;
  listInstances(): Promise<string[]>;
  putStep(step: StepRecord): Promise<void>;
  readSteps(deploymentId: string): Promise<StepRecord[]>;
  putCheckpoint(info: CheckpointInfo, text: string): Promise<void>;
  /** The stored text; `{ size }` (not read) when it is above `maxBytes`; `undefined` when there is none. */
  readCheckpoint(id: string, maxBytes: number): Promise<string | { readonly size: number } | undefined>;
  listCheckpointTexts(instance: string): Promise<{ id: string; text: string }[]>;
  deleteCheckpoint(id: string): Promise<void>;
  appendError(record: ErrorRecord): Promise<void>;
  readErrors(): Promise<ErrorRecord[]>;
  saveMetrics(json: string): Promise<void>;
  loadMetrics(): Promise<string | undefined>;
  /** The store's id, made the first time (see {@link StateStore.storeId}). */
  storeId(): Promise<string>;
  close(): Promise<void>;
  /** Watch for changes made by other processes (files); returns the stop function. */
  watch?(emit: (change: StateChange) => void, options: WatchOptions): () => void;
}

const unavailable =
  (where: string) =>
  (e: unknown): StateStoreUnavailableError | StateCorruptError => {
    if (e instanceof StateCorruptError || e instanceof StateStoreUnavailableError) return e;
    const cause = toDiveError(e);
    const errno = (e as NodeJS.ErrnoException | undefined)?.code;
    const what = errno === 'ENOSPC' ? 'is out of space' : 'failed';
    return new StateStoreUnavailableError(`state store at ${where} ${what}: ${cause.message}`, {
      context: typeof errno === 'string' ? { where, errno } : { where },
      cause: e,
    });
  };

/** Build a {@link StateStore} from a local backend. */
export function createLocalStore(backend: LocalBackend, options: CommonStoreOptions = {}): StateStore {
  const clock = options.clock ?? systemClock;
  const now = (): number => clock.now();
  const nextId = checkpointIds();
  let started: Promise<void> | undefined;
  const start = (): Promise<void> => (started ??= backend.init?.() ?? Promise.resolve());
  const run = <T>(p: () => Promise<T>): ResultAsync<T, StateStoreUnavailableError | StateCorruptError> =>
    ResultAsync.fromPromise(start().then(p), unavailable(backend.where));
  const runU = <T>(p: () => Promise<T>): ResultAsync<T, StateStoreUnavailableError> =>
    run(p).mapErr((e) =>
      e instanceof StateStoreUnavailableError ? e : new StateStoreUnavailableError(e.message, { cause: e }),
    );
  const auditKey = auditKeyOf(backend, options);
  const maxCheckpoint = checkpointLimit(options.checkpointMaxBytes);
  const current = async (instance: string): Promise<{ state: InstanceState; head: string }> =>
    (await backend.readState(instance)) ?? { state: unknownState(instance), head: '' };

  const changes = createChangeHub(backend.watch?.bind(backend));
  const store: StateStore = {
    migrate: () => okAsync({ applied: [] }),
    getState: (instance) => run(async () => (await current(instance)).state),
    instances: () => run(async () => (await backend.listInstances()).sort()),
    transition: (instance, to, opts) => {
      assertTransitionOptions(opts);
      return run(() =>
        backend.withLock(instance, async () => {
          const { state, head } = await current(instance);
          const refused = refusal(state, to, opts);
          if (refused !== undefined) return refused;
          const record = nextRecord(state, head, to, opts, now());
          await backend.commit(record, sealHead(await auditKey(), instance, record.version, record.hash));
          changes.emit({ kind: 'transition', instance });
          return record;
        }),
      ).andThen((r) => ('_tag' in r ? errAsync(r) : okAsync(r)));
    },
    history: (instance, opts = {}) =>
      run(async () => {
        const rows = await backend.readAudit(instance);
        const before = opts.before ?? Number.POSITIVE_INFINITY;
        return rows
          .filter((r) => r.version < before)
          .reverse()
          .slice(0, opts.limit ?? 100);
      }),
    verifyAuditLog: (instance) =>
      run(async () =>
        verifySealedChain(instance, await backend.readAudit(instance), {
          stateVersion: (await current(instance)).state.version,
          sealed: await backend.readSeal(instance),
          key: await auditKey(),
          maxUnsealed: backend.maxUnsealed ?? 0,
        }),
      ).andThen((r) => ('_tag' in r ? errAsync(r) : okAsync(r))),
    recordStep: (step) => {
      const record: StepRecord = { ...step, endedAt: step.endedAt ?? null };
      return runU(async () => {
        await backend.putStep(record);
        changes.emit({ kind: 'step', instance: record.instance, deploymentId: record.deploymentId });
        return record;
      });
    },
    steps: (deploymentId) =>
      run(async () => (await backend.readSteps(deploymentId)).sort((a, b) => a.startedAt - b.startedAt)),
    createCheckpoint: (instance, payload) =>
      resolveKey(options.checkpointKey).asyncAndThen(
        (key): ResultAsync<CheckpointInfo, CheckpointTooLargeError | StateStoreUnavailableError> => {
          const createdAt = now();
          const info = { id: nextId(createdAt), instance, createdAt };
          const text = encodeCheckpoint(info, payload, key);
          const size = Buffer.byteLength(text);
          if (size > maxCheckpoint) return errAsync(checkpointTooLarge(info, size, maxCheckpoint, 'write'));
          const full: CheckpointInfo = { ...info, encrypted: key !== undefined };
          return runU(async () => {
            await backend.putCheckpoint(full, text);
            return full;
          });
        },
      ),
    listCheckpoints: (instance) => runU(async () => listInfos(backend, instance)),
    getCheckpoint: (id, readOptions) =>
      runU(() => backend.readCheckpoint(id, maxCheckpoint)).andThen(
        (text): ResultAsync<Checkpoint, CheckpointReadError> =>
          text === undefined
            ? errAsync(notFound(id))
            : typeof text !== 'string'
              ? errAsync(checkpointTooLarge({ id }, text.size, maxCheckpoint, 'read'))
              : toAsync(resolveKey(options.checkpointKey).andThen((k) => decodeCheckpoint(id, text, k))).andThen((c) =>
                  ownedBy(c, readOptions),
                ),
      ),
    pruneCheckpoints: (instance, keep) => {
      if (!Number.isSafeInteger(keep) || keep < 0)
        throw new RangeError(`keep must be a non-negative integer, got ${keep}`);
      return runU(async () => {
        const old = (await listInfos(backend, instance)).slice(keep);
        for (const c of old) await backend.deleteCheckpoint(c.id);
        return old.length;
      });
    },
    recordError: (error, context = {}) => {
      const record: ErrorRecord = {
        tag: error._tag,
        code: error.code,
        severity: error.severity,
        message: error.message,
        instance: context.instance ?? null,
        deploymentId: context.deploymentId ?? null,
        at: context.at ?? now(),
      };
      return runU(async () => {
        await backend.appendError(record);
        return record;
      });
    },
    errorAnalytics: (opts) =>
      run(async () => {
        const rows = (await backend.readErrors()).filter(
          (r) =>
            (opts.instance === undefined || r.instance === opts.instance) &&
            (opts.since === undefined || r.at >= opts.since),
        );
        return analyse(rows, opts.bucket);
      }),
    saveMetricsSnapshot: (snapshot) => runU(() => backend.saveMetrics(JSON.stringify(snapshot))),
    loadMetricsSnapshot: () =>
      run(async () => {
        const text = await backend.loadMetrics();
        if (text === undefined) return undefined;
        try {
          return JSON.parse(text) as unknown;
        } catch (e) {
          throw new StateCorruptError(`metrics snapshot at ${backend.where} is not valid JSON`, {
            cause: e,
            context: { where: backend.where },
          });
        }
      }),
    storeId: () => run(() => backend.storeId()),
    onChange: (listener, watchOptions) => changes.subscribe(listener, watchOptions),
    close: () => {
      changes.close();
      return backend.close();
    },
    [Symbol.asyncDispose]: () => store.close(),
  };
  return store;
}

async function listInfos(backend: LocalBackend, instance: string): Promise<CheckpointInfo[]> {
  const out: CheckpointInfo[] = [];
  for (const { id, text } of await backend.listCheckpointTexts(instance)) {
    out.push(peekCheckpoint(text) ?? { id, instance, createdAt: 0, encrypted: false });
  }
  return out.sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1));
}

function notFound(id: string): CheckpointNotFoundError {
  return new CheckpointNotFoundError(`no checkpoint with id ${id}`, { context: { id } });
}

/** The audit key: configured (resolved now, so a malformed one throws at construction) or the backend's fallback. */
function auditKeyOf(backend: LocalBackend, options: CommonStoreOptions): () => Promise<Buffer | undefined> {
  const configured = resolveAuditKey(options);
  let loading: Promise<Buffer | undefined> | undefined;
  return () => {
    if (configured !== undefined || backend.fallbackAuditKey === undefined) return Promise.resolve(configured);
    loading ??= backend.fallbackAuditKey().catch((e: unknown) => {
      loading = undefined; // an I/O failure is retried by the next operation
      throw e;
    });
    return loading;
  };
}
