import { readdir, readFile, stat, truncate, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { StateCorruptError } from './errors.js';
import { createAppendQueue } from './file-append-queue.js';
import { appendDurable, writeAtomic } from './internal/atomic-file.js';
import { canonicalJson, sha256 } from './internal/hash.js';
import { createLocalStore, type LocalBackend } from './internal/local-store.js';
import { withLockFile } from './internal/lock-file.js';
import { mkdirPrivate } from './internal/private-files.js';
import { perStoreKey } from './internal/audit-key.js';
import type { SealedHead } from './internal/audit-seal.js';
import { fileStoreId } from './internal/store-id.js';
import { checkStatePermissions, startupWarnings } from './store-warnings.js';
import { readAuditTail } from './internal/audit-tail.js';
import { watchStateDir } from './internal/file-watch.js';
import { systemClock } from '@dive/errors';
import {
  LOG_FILE_MAX_BYTES,
  METRICS_FILE_MAX_BYTES,
  parseStored,
  readCapped,
  STATE_FILE_MAX_BYTES,
} from './internal/read-capped.js';
import type {
  CommonStoreOptions,
  ErrorRecord,
  InstanceState,
  StateStore,
  StepRecord,
  TransitionRecord,
} from './types.js';

/** Options of {@link createFileStateStore}. */
export interface FileStateStoreOptions extends CommonStoreOptions {
  /** Directory holding everything (created if missing). */
  readonly dir: string;
  /** How long a write waits for another process's lock on the same instance (default 10,000 ms). */
  readonly lockTimeoutMs?: number;
}

interface StateFile {
  readonly state: InstanceState;
  readonly head: string;
  /** The head sealed with the audit key (absent in files written before sealing). */
  readonly seal?: SealedHead;
  /** Size of the audit log once this state's row was appended. */
  readonly auditSize: number;
  readonly checksum: string;
}

const enc = (name: string): string => encodeURIComponent(name).replace(/\./g, '%2E').replace(/\*/g, '%2A');
const notFound = (e: unknown): boolean => (e as NodeJS.ErrnoException).code === 'ENOENT';
const orUndefined = <T>(p: Promise<T>): Promise<T | undefined> =>
  p.catch((e: unknown) => {
    if (notFound(e)) return undefined;
    throw e;
  });

/** Complete JSON lines of `text`; the part after the last newline (empty, or a torn append) is ignored. */
function parseLines<T>(text: string, file: string): T[] {
  const lines = text.split('\n');
  lines.pop();
  return lines.filter((l) => l !== '').map((l, n) => parseStored(l, file, n + 1) as T);
}

/**
 * The embedded state store: one directory, no server. Current state per instance is written atomically (temp
 * file, fsync, rename) with a checksum; the audit log is append-only JSON lines with the same hash chain as
 * PostgreSQL; writes to an instance are serialised across processes by a lock file. Directories are created 0700
 * and files 0600; looser ones found at start-up are reported to `onWarning`.
 * @param options - `dir`, lock timeout, clock, checkpoint key
 * @returns a {@link StateStore}
 * @example
 * ```ts
 * const store = createFileStateStore({ dir: '.dive/state' });
 * const r = await store.transition('USA', 'INITIALIZING', { fencingToken: 1, reason: 'deploy', actor: 'ci' });
 * ```
 */
export function createFileStateStore(options: FileStateStoreOptions): StateStore {
  if (typeof options.dir !== 'string' || options.dir === '')
    throw new TypeError('createFileStateStore: dir is required');
  const lockTimeoutMs = options.lockTimeoutMs ?? 10_000;
  if (!(lockTimeoutMs > 0)) throw new RangeError(`lockTimeoutMs must be > 0, got ${lockTimeoutMs}`);
  const root = options.dir;
  const instDir = (i: string): string => join(root, 'instances', enc(i));
  const statePath = (i: string): string => join(instDir(i), 'state.json');
  const auditPath = (i: string): string => join(instDir(i), 'audit.jsonl');
  const cpDir = (i: string): string => join(root, 'checkpoints', enc(i));
  const validSize = new Map<string, number>();
  // steps and error records come in bursts: one fsync per burst (the audit log is appended on its own, under its lock)
  const appendGrouped = createAppendQueue();
  const foreignTail = new Map<string, StateCorruptError>();

  async function readStateFile(instance: string): Promise<StateFile | undefined> {
    const path = statePath(instance);
    const text = await readCapped(path, STATE_FILE_MAX_BYTES);
    if (text === undefined) return undefined;
    try {
      const file = parseStored(text, path) as StateFile;
      const { checksum, ...rest } = file;
      if (sha256(canonicalJson(rest)) !== checksum) throw new Error('checksum mismatch');
      return file;
    } catch (e) {
      throw new StateCorruptError(`state file ${path} is corrupt: ${(e as Error).message}`, {
        context: { instance, file: path },
        cause: e,
      });
    }
  }

  const backend: LocalBackend = {
    where: root,
    init: startupWarnings(() => checkStatePermissions(root), options.onWarning),
    withLock: async (instance, fn) => {
      await mkdirPrivate(instDir(instance));
      return withLockFile(join(instDir(instance), 'lock'), lockTimeoutMs, fn, options.clock);
    },
    readState: async (instance) => {
      const file = await readStateFile(instance);
      const base = file?.auditSize ?? 0;
      const tail = await readAuditTail(auditPath(instance), base, (file?.state.version ?? 0) + 1);
      validSize.set(instance, base);
      if (tail.kind === 'foreign') foreignTail.set(instance, tail.error);
      else foreignTail.delete(instance);
      if (tail.kind === 'row') {
        // a crash between the audit append and the state write: the complete row is rolled forward
        validSize.set(instance, base + tail.bytes);
        return { state: toState(tail.row), head: tail.row.hash };
      }
      return file === undefined ? undefined : { state: file.state, head: file.head };
    },
    readSeal: async (instance) => (await readStateFile(instance))?.seal,
    fallbackAuditKey: () => perStoreKey(join(root, 'audit.key')),
    maxUnsealed: 1,
    commit: async (record, seal) => {
      const audit = auditPath(record.instance);
      const size = (await orUndefined(stat(audit)))?.size ?? 0;
      const valid = validSize.get(record.instance) ?? size;
      if (size < valid) throw shorterAudit(audit, size, valid); // never append to a log cut short
      const foreign = foreignTail.get(record.instance); // nor to one with rows it does not know
      if (foreign !== undefined) throw foreign;
      if (size > valid) await truncate(audit, valid); // drop a torn append
      const line = `${JSON.stringify(record)}\n`;
      await appendDurable(audit, line);
      const rest = {
        state: toState(record),
        head: record.hash,
        seal,
        auditSize: Math.min(size, valid) + Buffer.byteLength(line),
      };
      await writeAtomic(
        statePath(record.instance),
        JSON.stringify({ ...rest, checksum: sha256(canonicalJson(rest)) }),
      ).catch(async (e: unknown) => {
        // the state write failed (a full disk): take the row back, so the failed transition did not happen
        await truncate(audit, Math.min(size, valid)).catch(() => undefined);
        throw e;
      });
    },
    readAudit: async (instance) =>
      parseLines<TransitionRecord>(
        (await readCapped(auditPath(instance), LOG_FILE_MAX_BYTES)) ?? '',
        auditPath(instance),
      ),
    listInstances: async () => {
      const names = (await orUndefined(readdir(join(root, 'instances')))) ?? [];
      const out: string[] = [];
      for (const n of names) {
        // a refused first transition leaves an empty directory behind: not an instance
        if ((await orUndefined(stat(join(root, 'instances', n, 'audit.jsonl')))) !== undefined)
          out.push(decodeURIComponent(n));
      }
      return out;
    },
    putStep: async (step) => {
      await mkdirPrivate(join(root, 'steps'));
      await appendGrouped(join(root, 'steps', `${enc(step.deploymentId)}.jsonl`), `${JSON.stringify(step)}\n`);
    },
    readSteps: async (id) => {
      const file = join(root, 'steps', `${enc(id)}.jsonl`);
      const text = (await readCapped(file, LOG_FILE_MAX_BYTES)) ?? '';
      const latest = new Map<string, StepRecord>();
      for (const s of parseLines<StepRecord>(text, file)) latest.set(s.step, s);
      return [...latest.values()];
    },
    putCheckpoint: async (info, text) => {
      await mkdirPrivate(cpDir(info.instance));
      await writeAtomic(join(cpDir(info.instance), `${enc(info.id)}.json`), text);
    },
    readCheckpoint: async (id, maxBytes) => {
      for (const d of (await orUndefined(readdir(join(root, 'checkpoints')))) ?? []) {
        const file = join(root, 'checkpoints', d, `${enc(id)}.json`);
        const size = (await orUndefined(stat(file)))?.size;
        if (size === undefined) continue;
        // the size is checked before a byte is read: a huge file never fills the memory
        if (size > maxBytes) return { size };
        const text = await orUndefined(readFile(file, 'utf8'));
        if (text !== undefined) return text;
      }
      return undefined;
    },
    listCheckpointTexts: async (instance) => {
      const names = ((await orUndefined(readdir(cpDir(instance)))) ?? []).filter((n) => n.endsWith('.json'));
      const out: { id: string; text: string }[] = [];
      for (const n of names) {
        const text = await orUndefined(readFile(join(cpDir(instance), n), 'utf8'));
        if (text !== undefined) out.push({ id: decodeURIComponent(n.slice(0, -5)), text });
      }
      return out;
    },
    deleteCheckpoint: async (id) => {
      for (const d of (await orUndefined(readdir(join(root, 'checkpoints')))) ?? []) {
        await unlink(join(root, 'checkpoints', d, `${enc(id)}.json`)).catch(() => undefined);
      }
    },
    appendError: async (r) => {
      await mkdirPrivate(root);
      await appendGrouped(join(root, 'errors.jsonl'), `${JSON.stringify(r)}\n`);
    },
    readErrors: async () => {
      const file = join(root, 'errors.jsonl');
      return parseLines<ErrorRecord>((await readCapped(file, LOG_FILE_MAX_BYTES)) ?? '', file);
    },
    saveMetrics: async (json) => {
      await mkdirPrivate(root);
      await writeAtomic(join(root, 'metrics.json'), json);
    },
    loadMetrics: async () => {
      const file = join(root, 'metrics.json');
      const text = await readCapped(file, METRICS_FILE_MAX_BYTES);
      if (text !== undefined) parseStored(text, file); // depth and syntax, with the file named
      return text;
    },
    storeId: () => fileStoreId(join(root, 'store-id')),
    close: () => Promise.resolve(),
    watch: (emit, watchOptions) =>
      watchStateDir(root, emit, { pollMs: watchOptions.pollMs ?? 500 }, options.clock ?? systemClock),
  };
  return createLocalStore(backend, options);
}

function shorterAudit(file: string, size: number, expected: number): StateCorruptError {
  return new StateCorruptError(`audit log ${file} is ${size} bytes, shorter than its state file records: truncated`, {
    context: { file, size, expected },
  });
}

function toState(r: TransitionRecord): InstanceState {
  return { instance: r.instance, state: r.to, version: r.version, fencingToken: r.fencingToken, updatedAt: r.at };
}
