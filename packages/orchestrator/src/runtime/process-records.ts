// The JSON record the process runtime keeps per started process, so a later process can find and stop it.
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * One started process, as recorded under `<logDir>/<instance>/<service>.<pid>.json` (mode 0600, its directory
 * 0700). The record holds no resolved secret value: `command` is the command line with every secret value written
 * `${NAME}` (version 2). Finding the process again does not need the real command line: a pid is the recorded
 * process when its /proc start time is the recorded one (a reused pid has another), and whether a running service
 * can be kept is decided by `configHash` (a SHA-256 of the resolved spec, arguments included). A command line read
 * back from /proc would be no better a check (a process may rewrite its title, and would then never be stopped).
 */
export interface ProcessRecord {
  /** 2; a version 1 record (an earlier DIVE, whose `command` may hold a secret) is read as described in {@link readRecords}. */
  readonly version: 2;
  readonly instance: string;
  readonly service: string;
  readonly pid: number;
  /** /proc start time of the pid at spawn (clock ticks since boot); absent where /proc is not available. */
  readonly procStartTime?: string;
  /** The command line for people, secret values written `${NAME}` (never holds the environment). */
  readonly command: string;
  readonly startedAt: string;
  readonly deploymentId: string;
  readonly configHash: string;
  readonly stopGraceMs?: number;
  /** Written when the process that started it saw it exit. */
  readonly exit?: { readonly exitCode: number; readonly signal?: string };
}

/** What a version 1 record's command line is shown as: it was written in full and may hold a secret. */
export const V1_COMMAND = '(command line recorded by an earlier DIVE; not shown)';

/** Directory of an instance's logs and records. */
export const instanceDir = (logDir: string, instance: string): string => join(logDir, instance);

const recordPath = (logDir: string, instance: string, service: string, pid: number): string =>
  join(instanceDir(logDir, instance), `${service}.${pid}.json`);

/** Owner-only modes of what the process runtime writes: records, log files and their directories. */
export const RECORD_FILE_MODE = 0o600;
/** See {@link RECORD_FILE_MODE}. */
export const RECORD_DIR_MODE = 0o700;

/** Write a record atomically (temp file 0600, then rename). */
export async function writeRecord(logDir: string, record: ProcessRecord): Promise<void> {
  await mkdir(instanceDir(logDir, record.instance), { recursive: true, mode: RECORD_DIR_MODE });
  const path = recordPath(logDir, record.instance, record.service, record.pid);
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(record, null, 2)}\n`, { mode: RECORD_FILE_MODE });
  await rename(tmp, path);
}

/** Remove a record; a missing one is fine. */
export async function removeRecord(logDir: string, instance: string, service: string, pid: number): Promise<void> {
  await rm(recordPath(logDir, instance, service, pid), { force: true });
}

/**
 * A parsed record file as a version 2 record, or undefined when it is not one of ours. A version 1 record (written
 * by an earlier DIVE, with the full command line) is still found and stopped: its pid, start time and config hash
 * are all that is used; its command line is replaced by {@link V1_COMMAND} and never read into a handle.
 */
function asRecord(value: unknown): ProcessRecord | undefined {
  const r = value as Partial<Omit<ProcessRecord, 'version'>> & { version?: unknown };
  const ok =
    typeof r === 'object' &&
    r !== null &&
    (r.version === 1 || r.version === 2) &&
    typeof r.pid === 'number' &&
    typeof r.service === 'string' &&
    typeof r.instance === 'string';
  if (!ok) return undefined;
  if (r.version === 2) return r as ProcessRecord;
  return { ...(r as Omit<ProcessRecord, 'version'>), version: 2, command: V1_COMMAND };
}

/** Every readable record of an instance (unreadable or foreign files are skipped). */
export async function readRecords(logDir: string, instance: string): Promise<ProcessRecord[]> {
  let names: string[];
  try {
    names = await readdir(instanceDir(logDir, instance));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const records: ProcessRecord[] = [];
  for (const name of names.filter((n) => n.endsWith('.json')).sort()) {
    try {
      const parsed = asRecord(JSON.parse(await readFile(join(instanceDir(logDir, instance), name), 'utf8')));
      if (parsed !== undefined && parsed.instance === instance) records.push(parsed);
    } catch {
      // a record being written, or not ours: skip it
    }
  }
  return records;
}

/** The record of one pid of a service, if any. */
export async function findRecord(
  logDir: string,
  instance: string,
  service: string,
  pid: number,
): Promise<ProcessRecord | undefined> {
  try {
    return asRecord(JSON.parse(await readFile(recordPath(logDir, instance, service, pid), 'utf8')));
  } catch {
    return undefined;
  }
}
