import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { Clock } from '@dive/errors';
import { makeCheck, timeoutSignal } from '../internal/timing.js';
import type { HealthCheck } from '../result.js';

/** Options of {@link http}. */
export interface HttpCheckOptions {
  readonly url: string;
  /** Expected status: a number, a list, or a predicate (default 200–399). */
  readonly expectStatus?: number | readonly number[] | ((status: number) => boolean);
  readonly headers?: Readonly<Record<string, string>>;
  /** Accept self-signed certificates. */
  readonly insecureTls?: boolean;
  /** Per-check timeout (default 1000 ms). */
  readonly timeoutMs?: number;
  /** Times the per-check timeout. Default `systemClock`. */
  readonly clock?: Clock;
}

function statusOk(expect: HttpCheckOptions['expectStatus'], s: number): boolean {
  if (expect === undefined) return s >= 200 && s < 400;
  if (typeof expect === 'number') return s === expect;
  if (typeof expect === 'function') return expect(s);
  return expect.includes(s);
}

/**
 * HTTP GET; healthy when the status matches. `localhost` tries IPv4 and IPv6 (`autoSelectFamily`).
 *
 * @param options - url, expected status, headers, TLS, timeout, clock
 * @returns a {@link HealthCheck} whose `output` is the status line
 */
export function httpCheck(options: HttpCheckOptions): HealthCheck {
  const timeoutMs = options.timeoutMs ?? 1000;
  return makeCheck(`http GET ${options.url}`, (parent) => {
    const url = new URL(options.url);
    const lib = url.protocol === 'https:' ? https : http;
    const signal = timeoutSignal(timeoutMs, parent, options.clock);
    return new Promise((resolve, reject) => {
      const req = lib.request(
        url,
        {
          method: 'GET',
          headers: { ...options.headers },
          signal,
          autoSelectFamily: true,
          autoSelectFamilyAttemptTimeout: 100,
          ...(options.insecureTls === true ? { rejectUnauthorized: false } : {}),
          agent: false,
        } as http.RequestOptions,
        (res) => {
          res.resume();
          const s = res.statusCode ?? 0;
          const output = `${String(s)} ${res.statusMessage ?? ''}`.trim();
          resolve(
            statusOk(options.expectStatus, s)
              ? { status: 'healthy', detail: `status ${String(s)}`, output }
              : { status: 'unhealthy', detail: `unexpected status ${String(s)}`, output },
          );
        },
      );
      req.on('error', (e) =>
        signal.aborted && parent?.aborted !== true
          ? resolve({ status: 'unhealthy', detail: `no response within ${String(timeoutMs)} ms` })
          : reject(e),
      );
      req.end();
    });
  });
}

/** Options of {@link tcp}. */
export interface TcpCheckOptions {
  readonly host: string;
  readonly port: number;
  /** Per-check timeout (default 1000 ms). */
  readonly timeoutMs?: number;
  /** Times the per-check timeout. Default `systemClock`. */
  readonly clock?: Clock;
}

/**
 * TCP connect; healthy when the connection opens. `localhost` tries IPv4 and IPv6.
 *
 * @param options - host, port, timeout, clock
 * @returns a {@link HealthCheck}
 */
export function tcp(options: TcpCheckOptions): HealthCheck {
  const timeoutMs = options.timeoutMs ?? 1000;
  return makeCheck(`tcp ${options.host}:${String(options.port)}`, (parent) => {
    const signal = timeoutSignal(timeoutMs, parent, options.clock);
    return new Promise((resolve) => {
      const socket = net.connect({
        host: options.host,
        port: options.port,
        autoSelectFamily: true,
        autoSelectFamilyAttemptTimeout: 100,
      });
      const done = (r: { status: 'healthy' | 'unhealthy'; detail: string }): void => {
        signal.removeEventListener('abort', onAbort);
        socket.destroy();
        resolve(r);
      };
      const onAbort = (): void => done({ status: 'unhealthy', detail: `no connection within ${String(timeoutMs)} ms` });
      signal.addEventListener('abort', onAbort, { once: true });
      socket.once('connect', () => done({ status: 'healthy', detail: 'connected' }));
      socket.once('error', (e) => done({ status: 'unhealthy', detail: e.message }));
    });
  });
}
