// Linux /proc helpers: who a pid is (its start time) and whether a process group still has live members.
import { readdirSync, readFileSync } from 'node:fs';

interface ProcStat {
  readonly state: string;
  readonly pgrp: number;
  /** Clock ticks since boot at which the process started: with the pid, a unique identity. */
  readonly startTime: string;
}

function readStat(pid: number | string): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // `pid (comm) state ppid pgrp …`: comm may hold spaces and parentheses, so split after the last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    const [state, , pgrp] = fields;
    const startTime = fields[19];
    if (state === undefined || pgrp === undefined || startTime === undefined) return undefined;
    return { state, pgrp: Number(pgrp), startTime };
  } catch {
    return undefined;
  }
}

/** Whether this platform has Linux's /proc (the identity checks below need it). */
export const HAS_PROC = readStat(process.pid) !== undefined;

/** The start time of `pid` (clock ticks since boot), or undefined if it is gone, a zombie, or /proc is absent. */
export function processStartTime(pid: number): string | undefined {
  const stat = readStat(pid);
  return stat === undefined || stat.state === 'Z' || stat.state === 'X' ? undefined : stat.startTime;
}

function signalZero(target: number): boolean {
  try {
    process.kill(target, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether `pid` is alive and is the process that was started at `startTime` (so a recycled pid is never taken
 * for it). Without /proc only liveness can be checked.
 */
export function isSameProcess(pid: number, startTime: string | undefined): boolean {
  if (!HAS_PROC || startTime === undefined) return signalZero(pid);
  return processStartTime(pid) === startTime;
}

/** Whether any live (non-zombie) process is still in process group `pgid`. */
export function groupAlive(pgid: number): boolean {
  // Fast paths: no member at all, or a live leader; only zombies need a /proc scan to be told apart.
  if (!signalZero(-pgid)) return false;
  if (!HAS_PROC) return true;
  const leader = readStat(pgid);
  if (leader !== undefined && leader.pgrp === pgid && leader.state !== 'Z' && leader.state !== 'X') return true;
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return true;
  }
  for (const entry of entries) {
    if (entry.charCodeAt(0) < 48 || entry.charCodeAt(0) > 57) continue;
    const stat = readStat(entry);
    if (stat !== undefined && stat.pgrp === pgid && stat.state !== 'Z' && stat.state !== 'X') return true;
  }
  return false;
}

/** Send `signal` to the whole group `pgid`; a group that is already gone is not an error. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
  }
}
