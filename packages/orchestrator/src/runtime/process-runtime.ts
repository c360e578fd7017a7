import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants as fsConstants, mkdirSync, openSync, closeSync, appendFileSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { CancelledError, ConfigInvalidError, fromPromise, type DiveError } from '@dive/errors';
import { errAsync, okAsync, ResultAsync } from 'neverthrow';
import { ContainerStartFailedError } from './errors.js';
import { groupAlive, isSameProcess, processStartTime, signalGroup } from './process-identity.js';
import {
  findRecord,
  instanceDir,
  readRecords,
  RECORD_DIR_MODE,
  RECORD_FILE_MODE,
  removeRecord,
  writeRecord,
  type ProcessRecord,
} from './process-records.js';
import { childEnvBuilder, type ChildEnvOptions } from './process-env.js';
import { tailFile } from './tail-file.js';
import type { Disposable, Runtime, ServiceHandle, ServiceStatus, StartRequest } from './types.js';
import type { ProcessSpec } from '../topology/types.js';

type Exited = Extract<ServiceStatus, { state: 'exited' }>;

/**
 * Options of {@link processRuntime}. A child gets its service's own environment plus, from this process, only the
 * allowlisted variables (`envAllowlist`, default {@link DEFAULT_ENV_ALLOWLIST}) or everything with `inheritEnv`,
 * and never DIVE's own ({@link DENIED_ENV}: `DIVE_*`, `DATABASE_URL`, `PGPASSWORD`, plus `deniedEnv`).
 */
export interface ProcessRuntimeOptions extends ChildEnvOptions {
  /** Where logs (`<instance>/<service>.log`) and process records go. Default `.dive/logs`. */
  readonly logDir?: string;
  /** Time between SIGTERM and SIGKILL when a service's spec and `stop()` set none. Default 5000. */
  readonly stopGraceMs?: number;
  /** How often `onExit` polls a process this process did not start (a pid liveness check). Default 500. */
  readonly pollMs?: number;
}

interface Child {
  readonly child: ChildProcess;
  readonly record: ProcessRecord;
  exit?: Exited;
  /** The write of the exit code into the record, so `stop` can wait for it before removing the record. */
  persisted: Promise<void>;
  readonly listeners: Set<(s: Exited) => void>;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** How long a poller waits for the starter to record the exit code of a process that is gone. */
const UNKNOWN_EXIT_GRACE_MS = 500;

function exitStatus(code: number | null, signal: NodeJS.Signals | null): Exited {
  if (signal !== null) {
    const n = osConstants.signals[signal];
    return { state: 'exited', exitCode: 128 + n, signal };
  }
  return { state: 'exited', exitCode: code ?? -1 };
}

function statusFromRecord(record: ProcessRecord | undefined): ServiceStatus {
  if (record === undefined) return { state: 'missing' };
  if (record.exit !== undefined) {
    return {
      state: 'exited',
      exitCode: record.exit.exitCode,
      ...(record.exit.signal === undefined ? {} : { signal: record.exit.signal }),
    };
  }
  if (isSameProcess(record.pid, record.procStartTime)) return { state: 'running', pid: record.pid };
  // It ended while no process of ours watched it: the exit code is not known.
  return { state: 'exited', exitCode: -1 };
}

function findExecutable(command: string, cwd: string, path: string | undefined): boolean {
  const executable = (p: string): boolean => {
    try {
      accessSync(p, fsConstants.X_OK);
      return true;
    } catch {
      return false;
    }
  };
  if (command.includes('/')) return executable(isAbsolute(command) ? command : resolve(cwd, command));
  return (path ?? '').split(delimiter).some((dir) => dir !== '' && executable(join(dir, command)));
}

/**
 * The command line as the runtime records and shows it (record, handle name, the line it writes into the log):
 * with `withoutSecrets` (the engine's), every secret value written `${NAME}`; without it no secret is known, so
 * only the executable and the number of arguments are kept.
 */
function recordedCommandLine(
  command: string,
  args: readonly string[],
  withoutSecrets: ((text: string) => string) | undefined,
): string {
  if (withoutSecrets !== undefined) return withoutSecrets([command, ...args].join(' '));
  return args.length === 0 ? command : `${command} (${args.length} argument${args.length === 1 ? '' : 's'} not shown)`;
}

/**
 * The local-process {@link Runtime}: each service is spawned detached, in its own process group (signals reach the
 * whole tree), stdout and stderr appended to `<logDir>/<instance>/<service>.log`, and a JSON record (pid, its
 * /proc start time, command line, start time, config hash, deployment id) kept beside it so that a later process
 * (after a crash, or `dive down`) can list, inspect and stop what an earlier one started. Before any signal the pid
 * is checked to still be the recorded process (same /proc start time), so a recycled pid is never killed.
 *
 * What the runtime writes holds no resolved secret: the command line in the record, in the handle's `name` and in
 * the line it writes into the log before the service's own output has every secret value written `${NAME}` (the
 * engine's `withoutSecrets`; the pid check needs no more: see docs/security.md). Records, logs and their
 * directories are created owner-only (0600, 0700).
 *
 * Children are unref'd: a process that started services may exit and leave them running; while an `onExit`
 * listener waits for a child, that child keeps the event loop alive.
 *
 * Exit is detected at once, from the child's `exit` event, for processes this runtime started; for processes a
 * different process started, `onExit` polls the pid every `pollMs` (a /proc read, no spawn) and reads the exit code
 * from the record if the starting process wrote it, else reports exit code -1 (unknown).
 *
 * Stop sends SIGTERM to the group, waits up to the grace period (the call's `graceMs`, else the spec's
 * `stopGraceMs`, else the runtime's) for every member to go, then SIGKILLs the group, and removes the record.
 * Linux gives the full identity check; elsewhere only liveness of the pid is checked.
 *
 * @param options - log directory, default grace period, poll interval
 * @returns the runtime (`name: 'process'`): `start` gives a handle whose `id` is the pid, or
 *   ContainerStartFailedError (3001: executable missing, spawn failed), ConfigInvalidError (1002: no process spec),
 *   CancelledError (8002); `preflight` gives ContainerStartFailedError for an executable not found
 * @throws RangeError if `stopGraceMs` or `pollMs` is negative; TypeError for a malformed `envAllowlist` or `deniedEnv` name
 * @example
 * ```ts
 * const runtime = processRuntime({ logDir: '.dive/logs', stopGraceMs: 2000 });
 * const report = await orchestrate(topology, { runtime });
 * ```
 */
export function processRuntime(options: ProcessRuntimeOptions = {}): Runtime {
  const logDir = resolve(options.logDir ?? '.dive/logs');
  const defaultGrace = options.stopGraceMs ?? 5000;
  const pollMs = options.pollMs ?? 500;
  if (!(defaultGrace >= 0)) throw new RangeError(`processRuntime: stopGraceMs must be >= 0, got ${defaultGrace}`);
  if (!(pollMs > 0)) throw new RangeError(`processRuntime: pollMs must be > 0, got ${pollMs}`);
  const childEnv = childEnvBuilder(options);
  const children = new Map<number, Child>();
  const pollers = new Set<ReturnType<typeof setInterval>>();

  const logPath = (instance: string, service: string): string => join(instanceDir(logDir, instance), `${service}.log`);
  const pidOf = (h: ServiceHandle): number => Number(h.id);

  const lookup = (h: ServiceHandle): ResultAsync<ProcessRecord | undefined, DiveError> => {
    const pid = pidOf(h);
    if (!Number.isInteger(pid) || pid <= 0) return okAsync(undefined);
    const own = children.get(pid);
    if (own !== undefined) return okAsync(own.exit === undefined ? own.record : { ...own.record, exit: own.exit });
    return fromPromise(findRecord(logDir, h.instance, h.service, pid), { instance: h.instance, service: h.service });
  };

  const startFailed = (r: StartRequest, message: string, cause?: unknown): ContainerStartFailedError =>
    new ContainerStartFailedError(`process ${r.process?.command ?? '?'} of ${r.instance}/${r.service} ${message}`, {
      context: { instance: r.instance, service: r.service, runtime: 'process', command: r.process?.command },
      ...(cause === undefined ? {} : { cause }),
    });

  /** Spawn `spec` detached in its own process group, output appended to `log`; resolves once it has a pid. */
  const spawnChild = async (r: StartRequest, spec: ProcessSpec, log: string): Promise<[ChildProcess, number]> => {
    const fd = openSync(log, 'a', RECORD_FILE_MODE);
    let child: ChildProcess;
    try {
      child = spawn(spec.command, [...(spec.args ?? [])], {
        cwd: spec.cwd === undefined ? process.cwd() : resolve(spec.cwd),
        env: childEnv(process.env, r.env),
        detached: true,
        stdio: ['ignore', fd, fd],
      });
    } catch (e) {
      throw startFailed(r, `could not be started: ${(e as Error).message}`, e);
    } finally {
      closeSync(fd);
    }
    await new Promise<void>((ok, fail) => {
      child.once('spawn', ok);
      child.once('error', (e) => {
        fail(startFailed(r, `could not be started: ${e.message}`, e));
      });
    });
    if (child.pid === undefined) throw startFailed(r, 'could not be started: no pid');
    return [child, child.pid];
  };

  const spawnService = async (r: StartRequest): Promise<ServiceHandle> => {
    const spec = r.process;
    if (spec === undefined) throw new ConfigInvalidError(`${r.instance}/${r.service} has no process spec`);
    const dir = instanceDir(logDir, r.instance);
    mkdirSync(dir, { recursive: true, mode: RECORD_DIR_MODE });
    const log = logPath(r.instance, r.service);
    const commandLine = recordedCommandLine(spec.command, [...(spec.args ?? [])], r.withoutSecrets);
    appendFileSync(log, `--- ${new Date().toISOString()} starting ${commandLine} (deployment ${r.deploymentId})\n`, {
      mode: RECORD_FILE_MODE,
    });
    const [child, pid] = await spawnChild(r, spec, log);
    const procStartTime = processStartTime(pid);
    const record: ProcessRecord = {
      version: 2,
      instance: r.instance,
      service: r.service,
      pid,
      ...(procStartTime === undefined ? {} : { procStartTime }),
      command: commandLine,
      startedAt: new Date().toISOString(),
      deploymentId: r.deploymentId,
      configHash: r.configHash,
      ...(spec.stopGraceMs === undefined ? {} : { stopGraceMs: spec.stopGraceMs }),
    };
    const entry: Child = { child, record, persisted: Promise.resolve(), listeners: new Set() };
    children.set(pid, entry);
    let recorded = false;
    // Keep the exit code for later readers of the record (unless the service was stopped and its record removed).
    const persistExit = (status: Exited): void => {
      entry.persisted = findRecord(logDir, r.instance, r.service, pid)
        .then((found) =>
          found === undefined
            ? undefined
            : writeRecord(logDir, {
                ...found,
                exit: { exitCode: status.exitCode, ...(status.signal === undefined ? {} : { signal: status.signal }) },
              }),
        )
        .catch(() => undefined);
    };
    child.once('exit', (code, signal) => {
      const status = exitStatus(code, signal);
      entry.exit = status;
      if (recorded) persistExit(status);
      const listeners = [...entry.listeners];
      entry.listeners.clear();
      for (const l of listeners) l(status);
    });
    child.unref();
    await writeRecord(logDir, record);
    recorded = true;
    if (entry.exit !== undefined) persistExit(entry.exit); // it exited before its record was written
    return {
      runtime: 'process',
      instance: r.instance,
      service: r.service,
      id: String(pid),
      name: commandLine,
      deploymentId: r.deploymentId,
      configHash: r.configHash,
      startedAt: record.startedAt,
    };
  };

  const terminate = async (record: ProcessRecord, graceMs: number): Promise<void> => {
    const pid = record.pid;
    const leaderIsOurs = isSameProcess(pid, record.procStartTime);
    // A recycled pid (alive, other start time) is never signalled. A dead leader with live group members is safe
    // to signal: Linux does not reuse a pid while it is still some group's id.
    if (!leaderIsOurs && processStartTime(pid) !== undefined) return;
    if (!groupAlive(pid)) return;
    signalGroup(pid, 'SIGTERM');
    const deadline = Date.now() + graceMs;
    while (groupAlive(pid) && Date.now() < deadline) await sleep(Math.min(25, Math.max(1, deadline - Date.now())));
    if (groupAlive(pid)) {
      signalGroup(pid, 'SIGKILL');
      const killDeadline = Date.now() + 5000;
      while (groupAlive(pid) && Date.now() < killDeadline) await sleep(10);
    }
    const own = children.get(pid);
    if (own !== undefined && own.exit === undefined) {
      // Give the 'exit' event a moment so listeners hear the real code.
      await new Promise<void>((done) => {
        const t = setTimeout(done, 1000);
        own.child.once('exit', () => {
          clearTimeout(t);
          done();
        });
      });
    }
  };

  const runtime: Runtime = {
    name: 'process',
    ping: () => okAsync(undefined),
    preflight: (requests) => {
      for (const r of requests) {
        if (r.process === undefined) continue;
        const cwd = r.process.cwd === undefined ? process.cwd() : resolve(r.process.cwd);
        if (!findExecutable(r.process.command, cwd, r.env['PATH'] ?? process.env['PATH'])) {
          return errAsync(startFailed(r, 'cannot be started: executable not found (check the command and PATH)'));
        }
      }
      return okAsync(undefined);
    },
    start: (r) => {
      if (r.signal?.aborted === true) {
        return errAsync(
          new CancelledError(`start of ${r.instance}/${r.service} cancelled`, { context: { service: r.service } }),
        );
      }
      return fromPromise(spawnService(r), { instance: r.instance, service: r.service, runtime: 'process' }).mapErr(
        (e) => (e.code === 8001 ? startFailed(r, `could not be started: ${e.message}`, e) : e),
      );
    },
    status: (h) => lookup(h).map(statusFromRecord),
    stop: (h, o) =>
      lookup(h).andThen((record) => {
        if (record === undefined) return okAsync(undefined);
        const grace = o?.graceMs ?? record.stopGraceMs ?? defaultGrace;
        return fromPromise(
          terminate(record, grace).then(async () => {
            await children.get(record.pid)?.persisted;
            await removeRecord(logDir, record.instance, record.service, record.pid);
            children.delete(record.pid);
          }),
          { instance: h.instance, service: h.service, pid: record.pid, runtime: 'process' },
        );
      }),
    list: (instance) =>
      fromPromise(readRecords(logDir, instance), { instance, runtime: 'process' }).map((records) =>
        records.map((rec): ServiceHandle => ({
          runtime: 'process',
          instance: rec.instance,
          service: rec.service,
          id: String(rec.pid),
          name: rec.command,
          deploymentId: rec.deploymentId,
          configHash: rec.configHash,
          startedAt: rec.startedAt,
        })),
      ),
    logs: (h, o) =>
      fromPromise(tailFile(logPath(h.instance, h.service), o?.tail ?? 100), {
        instance: h.instance,
        service: h.service,
      }),
    onExit: (h, listener): Disposable => {
      let active = true;
      const once = (s: Exited): void => {
        if (!active) return;
        active = false;
        listener(s);
      };
      const own = children.get(pidOf(h));
      if (own !== undefined) {
        if (own.exit !== undefined) {
          const exit = own.exit;
          queueMicrotask(() => {
            once(exit);
          });
        } else {
          // Keep the event loop alive while someone waits for this exit; unref again when no one does.
          own.listeners.add(once);
          own.child.ref();
        }
        return {
          [Symbol.dispose]: () => {
            active = false;
            own.listeners.delete(once);
            if (own.listeners.size === 0) own.child.unref();
          },
        };
      }
      // Started by another process: poll the pid (a /proc read per tick, no spawn).
      let unknownSince: number | undefined;
      const probe = (): void => {
        void lookup(h).match(
          (record) => {
            if (record === undefined) return; // stopped and removed: it did not exit on its own
            const s = statusFromRecord(record);
            // Gone but no exit code yet: its starter may still be writing it; give it a moment before saying -1.
            if (
              s.state === 'exited' &&
              s.exitCode === -1 &&
              (unknownSince ??= Date.now()) > Date.now() - UNKNOWN_EXIT_GRACE_MS
            )
              return;
            if (s.state === 'exited') {
              clearInterval(timer);
              pollers.delete(timer);
              once(s);
            }
          },
          () => undefined,
        ); // a failed read is tried again on the next tick
      };
      const timer = setInterval(probe, pollMs);
      pollers.add(timer);
      probe();
      return {
        [Symbol.dispose]: () => {
          active = false;
          clearInterval(timer);
          pollers.delete(timer);
        },
      };
    },
    [Symbol.asyncDispose]: () => {
      for (const t of pollers) clearInterval(t);
      pollers.clear();
      for (const c of children.values()) {
        c.listeners.clear();
        c.child.unref();
      }
      return Promise.resolve();
    },
  };
  return runtime;
}
