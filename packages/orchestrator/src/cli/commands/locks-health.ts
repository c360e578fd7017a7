import { UsageError } from '@dive/errors';
import { checkOnce } from '../../adapters/check-once.js';
import { runtimeFor } from '../runtime-for.js';
import { stateFor } from '../state-for.js';
import { loadFor, type TopologyFlags } from '../topology-file.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { table } from '../format.js';
import { printData, reportError, type CliIO, type GlobalFlags } from '../io.js';

/** `dive locks list` and `dive locks release TYPE RESOURCE --force`. */
export async function locksCommand(
  io: CliIO,
  flags: GlobalFlags,
  action: 'list' | 'release',
  args: { readonly type?: string; readonly resource?: string; readonly force?: boolean },
): Promise<ExitCode> {
  if (action === 'release' && args.force !== true) {
    return reportError(
      io,
      flags,
      new UsageError('dive locks release takes the lock away from its holder: add --force to confirm', {
        context: { flag: '--force' },
      }),
    );
  }
  const state = await stateFor(io, flags);
  if (state.isErr()) return reportError(io, flags, state.error);
  try {
    if (action === 'list') {
      const list = await state.value.locks.list();
      if (list.isErr()) return reportError(io, flags, list.error);
      printData(io, flags, list.value, () =>
        list.value.length === 0
          ? 'no locks held'
          : table(
              ['TYPE', 'RESOURCE', 'TOKEN', 'HOLDER', 'SINCE', 'WAITERS'],
              list.value.map((l) => [
                l.type,
                l.resource,
                String(l.fencingToken),
                `pid ${l.holder.pid}@${l.holder.host} (${l.holder.application}${l.holder.backendPid === undefined ? '' : `, backend ${l.holder.backendPid}`})`,
                new Date(l.acquiredAt).toISOString(),
                String(l.waiters),
              ]),
            ),
      );
      return EXIT.ok;
    }
    const released = await state.value.locks.forceRelease(args.type ?? '', args.resource ?? '');
    if (released.isErr()) return reportError(io, flags, released.error);
    printData(io, flags, { type: args.type, resource: args.resource, released: released.value }, () =>
      released.value
        ? `released the ${args.type ?? ''} lock on ${args.resource ?? ''}`
        : `the ${args.type ?? ''} lock on ${args.resource ?? ''} was not held`,
    );
    return EXIT.ok;
  } finally {
    await state.value[Symbol.asyncDispose]();
  }
}

/** The flags of `dive health`. */
export interface HealthFlags extends TopologyFlags {
  readonly file?: string;
  readonly runtime?: string;
}

/** `dive health [INSTANCE]`: run every running service's checks once, now. */
export async function healthCommand(
  io: CliIO,
  flags: GlobalFlags,
  instance: string | undefined,
  opts: HealthFlags,
): Promise<ExitCode> {
  const loaded = await loadFor(io, opts.file, { ...opts, ...(instance === undefined ? {} : { instance }) });
  if (loaded.isErr()) return reportError(io, flags, loaded.error);
  const topology = loaded.value.topology;
  if (instance !== undefined && instance !== topology.instance) {
    return reportError(
      io,
      flags,
      new UsageError(`the topology file is for ${topology.instance}, not ${instance}`, { context: { instance } }),
    );
  }
  const runtime = runtimeFor(opts.runtime, loaded.value, undefined);
  if (runtime.isErr() || runtime.value === undefined)
    return reportError(io, flags, runtime.isErr() ? runtime.error : new UsageError('no runtime'));
  const rt = runtime.value;
  try {
    const listed = await rt.list(topology.instance);
    if (listed.isErr()) return reportError(io, flags, listed.error);
    const byService = new Map(listed.value.map((h) => [h.service, h]));
    const rows: { service: string; status: string; check: string; output: string }[] = [];
    for (const [name, spec] of Object.entries(topology.services)) {
      if (spec.kind === 'job') continue;
      const handle = byService.get(name);
      const st = handle === undefined ? undefined : await rt.status(handle);
      if (handle === undefined || st === undefined || st.isErr() || st.value.state !== 'running') {
        rows.push({
          service: name,
          status: 'unhealthy',
          check: 'running',
          output: handle === undefined ? 'not running' : st?.isOk() === true ? st.value.state : 'unknown',
        });
        continue;
      }
      let answer = { status: 'healthy', check: 'running', output: 'running' };
      for (const c of spec.health ?? []) {
        if (c.type === 'running') continue;
        const a = await checkOnce(
          c,
          { ...(rt.docker === undefined ? {} : { docker: rt.docker }), containerId: handle.id },
          io.env,
        );
        if (a.status === 'unknown') continue;
        answer = a;
        break;
      }
      rows.push({ service: name, ...answer });
    }
    printData(io, flags, { instance: topology.instance, services: rows }, () =>
      table(
        ['SERVICE', 'STATUS', 'CHECK', 'OUTPUT'],
        rows.map((r) => [r.service, r.status, r.check, r.output]),
      ),
    );
    return rows.every((r) => r.status === 'healthy') ? EXIT.ok : EXIT.failed;
  } finally {
    await rt[Symbol.asyncDispose]();
  }
}
