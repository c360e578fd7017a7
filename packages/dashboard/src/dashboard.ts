import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { redactString, systemClock } from '@dive/errors';
import type { AnalyticsBucket } from '@dive/state-db';
import { createAssets } from './assets.js';
import { createChangeFeed } from './change-feed.js';
import { createEventLog } from './event-log.js';
import { resolveOptions, type DashboardOptions } from './options.js';
import { pageHtml } from './page-html.js';
import {
  CSRF_COOKIE,
  csrfOk,
  generateToken,
  isLoopback,
  localAddress,
  presentedToken,
  sameSecret,
  securityHeaders,
} from './security.js';
import { createSseHub } from './sse.js';
import { analyticsView, checkpointsView, deploymentView, healthView, historyView, instancesView } from './views.js';
import { handleAction } from './actions.js';

/** A `node:http` request handler serving the dashboard; dispose it to stop watching the store. */
export interface Dashboard extends AsyncDisposable {
  (req: IncomingMessage, res: ServerResponse): void;
  /** Resolves once the store has been read and the event feed is live. */
  readonly ready: Promise<void>;
  /** Open event streams. */
  readonly clients: number;
  /** Ends every event stream and stops watching the store. */
  close(): Promise<void>;
}

const INSTANCE = /^[A-Za-z0-9_-]{1,64}$/;
const BUCKETS: readonly AnalyticsBucket[] = ['minute', 'hour', 'day'];

const json = (res: ServerResponse, status: number, body: unknown): ServerResponse => {
  const text = JSON.stringify(body);
  return res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' }).end(text);
};

/**
 * Create the dashboard: a request handler with the page (bundled assets, strict CSP), a JSON API and server-sent
 * events of every transition and step, live across processes through the store's `onChange`.
 * @param options - the state to show; token, actions, mount prefix, buffer and polling settings
 * @returns a {@link Dashboard} handler for `http.createServer` (or Express/Fastify/Hono's Node adapters)
 * @example
 * ```ts
 * const dashboard = createDashboard({ state: fileState('.dive') });
 * http.createServer(dashboard).listen(8080, '127.0.0.1');
 * ```
 */
export function createDashboard(options: DashboardOptions): Dashboard {
  const o = resolveOptions(options);
  const clock = options.clock ?? systemClock;
  const { store } = options.state;
  const log = createEventLog(o.bufferSize, randomBytes(4).toString('hex'));
  const feed = createChangeFeed(store, log, o.pollMs, clock);
  const sse = createSseHub(log, o.heartbeatMs, clock);
  const assets = createAssets();
  const actionsOn = options.allowActions === true;

  const authorise = (req: IncomingMessage, res: ServerResponse, url: URL): boolean => {
    if (options.token === undefined) {
      if (isLoopback(localAddress(req))) return true;
      json(res, 403, { error: 'this dashboard is reachable beyond loopback: start it with a token' });
      return false;
    }
    const fromQuery = url.searchParams.get('token') ?? undefined;
    if (fromQuery !== undefined && sameSecret(fromQuery, options.token)) {
      // once: keep it in an HttpOnly cookie and drop it from the address bar
      url.searchParams.delete('token');
      res.setHeader('Set-Cookie', `dive_token=${options.token}; HttpOnly; SameSite=Strict; Path=/`);
      res.writeHead(303, { Location: `${o.prefix}${url.pathname}${url.search}` }).end();
      return false;
    }
    if (sameSecret(presentedToken(req), options.token)) return true;
    json(res, 401, { error: 'token required (Authorization: Bearer …, or open the URL with ?token=…)' });
    return false;
  };

  const route = async (req: IncomingMessage, res: ServerResponse, url: URL, path: string): Promise<unknown> => {
    const parts = path
      .split('/')
      .filter((p) => p !== '')
      .map(decodeURIComponent);
    const [a, b, c] = parts;
    if (req.method === 'POST')
      return handleAction(req, res, parts, { actionsOn, csrfOk, actions: options.actions, feed });
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return json(res, 405, { error: `method ${req.method} not allowed` });
    if (path === '/') {
      const csrf = actionsOn ? randomBytes(18).toString('base64url') : undefined;
      if (csrf !== undefined) res.setHeader('Set-Cookie', `${CSRF_COOKIE}=${csrf}; SameSite=Strict; Path=/`);
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(pageHtml({ csrf, actions: actionsOn }));
      return;
    }
    if (path === '/favicon.ico') return res.writeHead(204).end();
    if (a === 'assets' && b !== undefined && c === undefined) {
      await assets.serve(b, res);
      return undefined;
    }
    if (a === 'events' && b === undefined) {
      sse.serve(req, res);
      return undefined;
    }
    if (a !== 'api') return json(res, 404, { error: `no page ${path}` });
    const instance = c;
    if (instance !== undefined && !INSTANCE.test(instance)) return json(res, 400, { error: 'bad instance name' });
    const view =
      b === 'instances' && c === undefined
        ? await instancesView(options.state)
        : b === 'deployments' && c !== undefined
          ? await deploymentView(store, c)
          : b === 'history' && instance !== undefined
            ? await historyView(store, instance, Math.min(Number(url.searchParams.get('limit') ?? 100) || 100, 1000))
            : b === 'checkpoints' && instance !== undefined
              ? await checkpointsView(store, instance)
              : b === 'analytics'
                ? await analyticsView(
                    store,
                    instance,
                    BUCKETS.find((x) => x === url.searchParams.get('bucket')) ?? 'hour',
                    clock.now() - 7 * 24 * 3_600_000,
                  )
                : b === 'health'
                  ? await healthView(options.state)
                  : b === 'session'
                    ? { status: 200 as const, body: { actions: actionsOn } }
                    : undefined;
    if (view === undefined) return json(res, 404, { error: `no API ${path}` });
    return json(res, view.status, view.body);
  };

  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    securityHeaders(res);
    const url = new URL(req.url ?? '/', 'http://dashboard.invalid');
    let path = url.pathname;
    if (o.prefix !== '' && (path === o.prefix || path.startsWith(`${o.prefix}/`))) path = path.slice(o.prefix.length);
    if (path === '') {
      res.writeHead(308, { Location: `${o.prefix}/${url.search}` }).end();
      return;
    }
    if (!authorise(req, res, url)) return;
    route(req, res, url, path).catch((e: unknown) => {
      if (!res.headersSent) json(res, 500, { error: redactString(e instanceof Error ? e.message : String(e)) });
      else res.end();
    });
  };
  const close = async (): Promise<void> => {
    sse.closeAll();
    await feed.stop();
  };
  return Object.assign(handler, {
    ready: feed.ready,
    get clients() {
      return sse.clients;
    },
    close,
    [Symbol.asyncDispose]: close,
  });
}

export { generateToken };
