// Who holds a file lock, beyond its pid: the host, the boot it ran in, and when its process started, so that a pid
// reused after the holder died, or a lock left from before a reboot, is recognised as dead.
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

/** This host's name, as recorded in lock files. */
export const HOST = hostname();

/** The kernel's boot id (`/proc/sys/kernel/random/boot_id`), `undefined` where there is none (not Linux). */
export function readBootId(): string | undefined {
  try {
    const id = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    return id === '' ? undefined : id;
  } catch {
    return undefined;
  }
}

/**
 * When `pid` started, in clock ticks since boot (`/proc/<pid>/stat` field 22), `undefined` when it is gone, a
 * zombie, or there is no /proc. With the pid and the boot id, a unique identity of a process.
 */
export function processStartTime(pid: number): number | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // `pid (comm) state …`: comm may hold spaces and parentheses, so count fields after the last ')'
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    if (fields[0] === 'Z' || fields[0] === 'X') return undefined;
    const start = Number(fields[19]);
    return Number.isSafeInteger(start) ? start : undefined;
  } catch {
    return undefined;
  }
}

function signalZero(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The identity a lock file records for its holder. `bootId`/`startTime` are absent in older lock files. */
export interface HolderIdentity {
  readonly pid: number;
  readonly host: string;
  readonly bootId?: string;
  readonly startTime?: number;
}

/** This process's identity. */
export function selfIdentity(): HolderIdentity {
  const bootId = readBootId();
  const startTime = processStartTime(process.pid);
  return {
    pid: process.pid,
    host: HOST,
    ...(bootId === undefined ? {} : { bootId }),
    ...(startTime === undefined ? {} : { startTime }),
  };
}

/**
 * Whether the holder of a lock still runs: `remote` when it is on another host (this host cannot tell, so the
 * lock is never taken over), `dead` when it ran in another boot, its pid is gone, or its pid now belongs to a
 * process that started at another time (reused), else `alive`.
 */
export function holderStatus(holder: HolderIdentity, bootId = readBootId()): 'alive' | 'dead' | 'remote' {
  if (holder.host !== HOST) return 'remote';
  if (holder.bootId !== undefined && bootId !== undefined && holder.bootId !== bootId) return 'dead';
  if (!signalZero(holder.pid)) return 'dead';
  if (holder.startTime === undefined) return 'alive';
  const now = processStartTime(holder.pid);
  return now !== undefined && now !== holder.startTime ? 'dead' : 'alive';
}
