import { mkdir, open, readFile, rmdir, stat, unlink } from 'node:fs/promises';
import { LockCorruptError } from '../errors.js';

/** What a lock file holds. */
export interface LockRecord {
  readonly type: string;
  readonly resource: string;
  readonly pid: number;
  readonly host: string;
  readonly application: string;
  readonly token: number;
  readonly acquiredAt: number;
  readonly owner: string;
  /** The holder's boot id and process start time (absent in lock files of older versions). */
  readonly bootId?: string;
  readonly startTime?: number;
}

/** The paths of one (type, resource): the lock file, its token counter and its reclaim mutex. */
export interface LockPaths {
  readonly lock: string;
  readonly counter: string;
  readonly reclaim: string;
}

/** A lock file read: the record, `missing`, `creating` (empty and young), or a corrupt-file error. */
export type ReadLock = LockRecord | 'missing' | 'creating' | LockCorruptError;

/** An empty lock file (or reclaim mutex) younger than this is being written by its creator, not corrupt. */
const CREATING_GRACE_MS = 5_000;

const isRecord = (v: unknown): v is LockRecord =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as LockRecord).pid === 'number' &&
  typeof (v as LockRecord).token === 'number' &&
  typeof (v as LockRecord).owner === 'string';

/** Whether a read is a record owned by `owner`. */
export const ownedBy = (r: ReadLock, owner: string): boolean =>
  typeof r === 'object' && !(r instanceof LockCorruptError) && r.owner === owner;

/**
 * Read a lock file. `now` (epoch ms, the manager's clock) is compared with the file's mtime to tell a file being
 * written from a corrupt one.
 */
export async function readLock(path: string, now: number): Promise<ReadLock> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw e;
  }
  if (text === '') {
    const s = await stat(path).catch(() => undefined);
    if (s === undefined) return 'missing';
    if (now - s.mtimeMs < CREATING_GRACE_MS) return 'creating';
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (isRecord(parsed)) return parsed;
  } catch {
    // fall through
  }
  return new LockCorruptError(
    `lock file ${path} is not a lock record (${text.length} bytes); remove it if no process holds the lock`,
    { context: { path } },
  );
}

/** Write `text` to `path` (created 0600) and fsync it. */
export async function writeDurably(path: string, text: string): Promise<void> {
  const fh = await open(path, 'w', 0o600);
  try {
    await fh.writeFile(text);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Remove a lock whose holder is dead (this host only), under a reclaim mutex so only one waiter does it. */
export async function reclaim(p: LockPaths, seen: LockRecord, now: () => number): Promise<void> {
  try {
    await mkdir(p.reclaim, { mode: 0o700 });
  } catch {
    const s = await stat(p.reclaim).catch(() => undefined);
    if (s !== undefined && now() - s.mtimeMs > CREATING_GRACE_MS) await rmdir(p.reclaim).catch(() => undefined);
    return;
  }
  try {
    if (ownedBy(await readLock(p.lock, now()), seen.owner)) await unlink(p.lock).catch(() => undefined);
  } finally {
    await rmdir(p.reclaim).catch(() => undefined);
  }
}
