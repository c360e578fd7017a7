import { fromPromise, UsageError } from '@dive/errors';
import { createFileBreakerStore } from '@dive/state-db';
import { stateFor } from '../state-for.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { table } from '../format.js';
import { printData, reportError, type CliIO, type GlobalFlags } from '../io.js';

/** `dive circuit-breaker status` and `dive circuit-breaker reset NAME`: the breakers shared through the state. */
export async function circuitBreakerCommand(
  io: CliIO,
  flags: GlobalFlags,
  action: 'status' | 'reset',
  name?: string,
): Promise<ExitCode> {
  if (action === 'reset' && (name === undefined || name === ''))
    return reportError(
      io,
      flags,
      new UsageError('dive circuit-breaker reset needs the breaker NAME (see `dive circuit-breaker status`)'),
    );
  const state = await stateFor(io, flags);
  if (state.isErr()) return reportError(io, flags, state.error);
  const backend = state.value;
  // File state shares breakers only when asked; reading the directory shows whatever was shared there.
  const store = backend.breakers ?? createFileBreakerStore({ dir: backend.location });
  try {
    if (action === 'reset') {
      const r = await fromPromise(store.reset(name ?? ''), { breaker: name });
      if (r.isErr()) return reportError(io, flags, r.error);
      printData(io, flags, { reset: name }, () => `breaker ${name ?? ''} reset to CLOSED`);
      return EXIT.ok;
    }
    const list = await fromPromise(store.list(), { location: backend.location });
    if (list.isErr()) return reportError(io, flags, list.error);
    const now = Date.now();
    const rows = list.value.map((b) => ({
      name: b.name,
      state: b.state === 'OPEN' && b.nextProbeAt !== null && b.nextProbeAt <= now ? 'HALF_OPEN' : b.state,
      consecutiveFailures: b.consecutiveFailures,
      openedAt: b.openedAt === null ? null : new Date(b.openedAt).toISOString(),
      nextProbeAt: b.nextProbeAt === null ? null : new Date(b.nextProbeAt).toISOString(),
    }));
    printData(io, flags, rows, () =>
      rows.length === 0
        ? `no shared circuit breakers in ${backend.location}${backend.kind === 'file' ? ' (file state shares breakers only with sharedBreakers; PostgreSQL state always does)' : ''}`
        : table(
            ['NAME', 'STATE', 'FAILURES', 'OPENED AT', 'NEXT PROBE'],
            rows.map((r) => [r.name, r.state, String(r.consecutiveFailures), r.openedAt ?? '-', r.nextProbeAt ?? '-']),
          ),
    );
    return EXIT.ok;
  } finally {
    await backend[Symbol.asyncDispose]();
  }
}
