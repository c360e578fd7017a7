import { execFile } from 'node:child_process';
import { connect } from 'node:net';
import type { Clock } from '@dive/errors';
import type { CommandGateCheck, HttpGateCheck, TcpGateCheck } from './types.js';

/** One try of a check: passed or not, and what it found. @internal */
export interface Try {
  readonly passed: boolean;
  readonly detail: string;
  /** Set when the try ended at its deadline without an answer. */
  readonly noAnswer?: true;
}

/** An error's message, with its cause's code when it has one (`fetch failed (ECONNREFUSED)`). */
function reasonOf(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const cause: unknown = e.cause;
  const code = typeof cause === 'object' && cause !== null && 'code' in cause ? String(cause.code) : undefined;
  return code === undefined || e.message.includes(code) ? e.message : `${e.message} (${code})`;
}

/** Race `work` against `ms` on `clock` (and `signal`); `onTimeout` cleans up. */
function bounded(clock: Clock, ms: number, work: (stop: AbortSignal) => Promise<Try>, what: string): Promise<Try> {
  const stop = new AbortController();
  return new Promise<Try>((resolve) => {
    const timer = clock.setTimeout(() => {
      stop.abort();
      resolve({ passed: false, detail: `${what}: no answer within ${ms} ms`, noAnswer: true });
    }, ms);
    work(stop.signal).then(
      (t) => {
        clock.clearTimeout(timer);
        resolve(t);
      },
      (e: unknown) => {
        clock.clearTimeout(timer);
        resolve({ passed: false, detail: `${what}: ${reasonOf(e)}` });
      },
    );
  });
}

/** One HTTP try: GET `url`, passes on `expectStatus` (default 200). @internal */
export function tryHttp(c: HttpGateCheck, clock: Clock, ms: number): Promise<Try> {
  const expect = c.expectStatus ?? 200;
  return bounded(
    clock,
    ms,
    async (signal) => {
      const res = await fetch(c.url, { signal, redirect: 'manual' });
      await res.body?.cancel();
      return { passed: res.status === expect, detail: `GET ${c.url}: HTTP ${res.status} (want ${expect})` };
    },
    `GET ${c.url}`,
  );
}

/** One TCP try: connect to `host:port`. @internal */
export function tryTcp(c: TcpGateCheck, clock: Clock, ms: number): Promise<Try> {
  const where = `${c.host}:${c.port}`;
  return bounded(
    clock,
    ms,
    (signal) =>
      new Promise<Try>((resolve) => {
        const socket = connect({ host: c.host, port: c.port });
        const end = (t: Try): void => {
          socket.destroy();
          resolve(t);
        };
        signal.addEventListener('abort', () => socket.destroy(), { once: true });
        socket.once('connect', () => end({ passed: true, detail: `connected to ${where}` }));
        socket.once('error', (e) => end({ passed: false, detail: `connect ${where}: ${e.message}` }));
      }),
    `connect ${where}`,
  );
}

/** One command try: run it (no shell), passes on exit 0. @internal */
export function tryCommand(c: CommandGateCheck, clock: Clock, ms: number, env: NodeJS.ProcessEnv): Promise<Try> {
  const what = [c.run, ...(c.args ?? [])].join(' ');
  return bounded(
    clock,
    ms,
    (signal) =>
      new Promise<Try>((resolve) => {
        execFile(c.run, [...(c.args ?? [])], { signal, env, maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
          const out = `${stdout}${stderr}`.trim().split('\n').slice(-3).join(' | ');
          if (error === null) resolve({ passed: true, detail: `${what}: exit 0` });
          else {
            const code = typeof error.code === 'number' ? `exit ${error.code}` : error.message;
            resolve({ passed: false, detail: `${what}: ${code}${out === '' ? '' : ` (${out})`}` });
          }
        });
      }),
    what,
  );
}
