import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UsageError, redactString } from '@dive/errors';
import type { ActionOutcome, DashboardActions } from '@dive/dashboard';
import { down } from '../../operations/down.js';
import { rollback } from '../../operations/rollback.js';
import type { StateBackend } from '../../state.js';
import { instanceRuntime } from '../instance-runtime.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { reportError, type CliIO, type GlobalFlags } from '../io.js';
import { withState } from './with-state.js';

/** Flags of `dive ui`. */
export interface UiFlags {
  readonly host?: string;
  readonly port?: string;
  readonly open?: boolean;
  readonly allowActions?: boolean;
  readonly token?: string;
}

const LOCAL = new Set(['127.0.0.1', '::1', 'localhost']);

/** Rollback and down from the page, as `dive rollback` / `dive down` would run them (recorded runtime, lock). */
function cliActions(state: StateBackend, io: CliIO, signal: AbortSignal): DashboardActions {
  const withRuntime = async (
    instance: string,
    fn: (common: object) => Promise<ActionOutcome>,
  ): Promise<ActionOutcome> => {
    const rt = await instanceRuntime(state, instance, undefined);
    if (rt.isErr()) return { ok: false, message: redactString(rt.error.message), code: rt.error.code };
    try {
      return await fn({ state, env: io.env, signal, ...(rt.value === undefined ? {} : { runtime: rt.value }) });
    } finally {
      if (rt.value !== undefined) await rt.value[Symbol.asyncDispose]();
    }
  };
  return {
    rollback: (instance, checkpointId) =>
      withRuntime(instance, async (common) => {
        const r = await rollback(instance, checkpointId === undefined ? {} : { checkpointId }, common);
        if (r.isErr()) return { ok: false, message: redactString(r.error.message), code: r.error.code };
        return r.value.error === undefined
          ? { ok: true, summary: `${instance}: rollback (${r.value.strategy}) → ${r.value.finalState}` }
          : { ok: false, message: redactString(r.value.error.message), code: r.value.error.code };
      }),
    down: (instance) =>
      withRuntime(instance, async (common) => {
        const r = await down(instance, common);
        return r.isErr()
          ? { ok: false, message: redactString(r.error.message), code: r.error.code }
          : { ok: true, summary: `${instance}: ${r.value.from} → ${r.value.status}` };
      }),
  };
}

/** Open a URL in the desktop's browser, best effort (no browser is not an error). */
function openBrowser(url: string): void {
  const cmd = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  try {
    spawn(cmd, [url], { stdio: 'ignore', detached: true })
      .on('error', () => undefined)
      .unref();
  } catch {
    // no opener installed
  }
}

/**
 * `dive ui`: serve the dashboard until interrupted. The URL is the first line on stdout; a token (given, or
 * generated when bound beyond loopback or with actions) is printed once on stderr.
 */
export async function uiCommand(io: CliIO, flags: GlobalFlags, o: UiFlags, signal: AbortSignal): Promise<ExitCode> {
  const host = o.host ?? '127.0.0.1';
  const port = Number(o.port ?? '0');
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    return reportError(
      io,
      flags,
      new UsageError(`--port must be 0–65535, got ${o.port}`, { context: { flag: '--port' } }),
    );
  if (o.token !== undefined && o.token.length < 16)
    return reportError(
      io,
      flags,
      new UsageError('--token must be at least 16 characters', { context: { flag: '--token' } }),
    );
  const { createDashboard, generateToken } = await import('@dive/dashboard');
  const token = o.token ?? (!LOCAL.has(host) || o.allowActions === true ? generateToken() : undefined);
  return withState(io, flags, async (state) => {
    const dashboard = createDashboard({
      state,
      ...(token === undefined ? {} : { token }),
      ...(o.allowActions === true ? { allowActions: true, actions: cliActions(state, io, signal) } : {}),
    });
    const server = createServer(dashboard);
    const listening = await new Promise<Error | undefined>((resolve) => {
      server.once('error', resolve);
      server.listen(port, host, () => resolve(undefined));
    });
    if (listening !== undefined) {
      await dashboard.close();
      return reportError(io, flags, new UsageError(`cannot listen on ${host}:${port}: ${listening.message}`));
    }
    const address = server.address() as AddressInfo;
    const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    const url = `http://${shown}:${address.port}/`;
    io.stdout.write(`${url}\n`);
    if (token !== undefined && o.token === undefined)
      io.stderr.write(`token (shown once): ${token}\nopen ${url}?token=${token}\n`);
    if (o.open === true) openBrowser(token === undefined ? url : `${url}?token=${token}`);
    await new Promise<void>((resolve) => {
      if (signal.aborted) resolve();
      else signal.addEventListener('abort', () => resolve(), { once: true });
    });
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await dashboard.close();
    return EXIT.ok;
  });
}
