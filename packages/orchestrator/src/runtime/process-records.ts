// The JSON record the process runtime keeps per started process, so a later process can find and stop it.
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** One started process, as recorded under `<logDir>/<instance>/<service>.<pid>.json`. */
export interface ProcessRecord {
  readonly version: 1;
  readonly instance: string;
  readonly service: string;
  readonly pid: number;
  /** /proc start time of the pid at spawn (clock ticks since boot); absent where /proc is not available. */
  readonly procStartTime?: string;
  /** The command line, for people (never holds the environment). */
  readonly command: string;
  readonly startedAt: string;
  readonly deploymentId: string;
  readonly configHash: string;
  readonly stopGraceMs?: number;
  /** Written when the process that started it saw it exit. */
  readonly exit?: { readonly exitCode: number; readonly signal?: string };
}

/** Directory of an instance's logs and records. */
export const instanceDir = (logDir: string, instance: string): string => join(logDir, instance);

const recordPath = (logDir: string, instance: string, service: string, pid: number): string =>
  join(instanceDir(logDir, instance), `${service}.${pid}.json`);

/** Write a record atomically (temp file, then rename). */
export async function writeRecord(logDir: string, record: ProcessRecord): Promise<void> {
  await mkdir(instanceDir(logDir, record.instance), { recursive: true });
  const path = recordPath(logDir, record.instance, record.service, record.pid);
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(record, null, 2)}\n`);
  await rename(tmp, path);
}

/** Remove a record; a missing one is fine. */
export async function removeRecord(logDir: string, instance: string, service: string, pid: number): Promise<void> {
  await rm(recordPath(logDir, instance, service, pid), { force: true });
}

function isRecord(value: unknown): value is ProcessRecord {
  const r = value as Partial<ProcessRecord> | null;
  return (
    typeof r === 'object' &&
    r !== null &&
    r.version === 1 &&
    typeof r.pid === 'number' &&
    typeof r.service === 'string' &&
    typeof r.instance === 'string'
  );
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
      const parsed: unknown = JSON.parse(await readFile(join(instanceDir(logDir, instance), name), 'utf8'));
      if (isRecord(parsed) && parsed.instance === instance) records.push(parsed);
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
    const parsed: unknown = JSON.parse(await readFile(recordPath(logDir, instance, service, pid), 'utf8'));
    return isRecord(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}
