// What the browser tests (Chromium through playwright-core, Firefox through puppeteer-core) share: a directory with
// a 5-service process topology, the BUILT `dive ui` on its file state, a deployment by the BUILT `dive deploy` in
// another process, and the in-page observer that reports what the graph showed.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dive, diveBin, freePort, startUi } from './cli.js';

/** A node server that listens after `ms` (so each service takes a visible moment to get healthy). */
const server = (port: number, ms: number) =>
  `setTimeout(() => require('http').createServer((q,s)=>s.end('ok')).listen(${port},'127.0.0.1'), ${ms})`;

/**
 * Instance WEB: db (700 ms) and cache (300 ms); api after cache (700 ms), web after api (500 ms), worker after db
 * (300 ms). Started as soon as their own dependencies are ready, api and worker finish ~400 ms before level by level
 * would (which waits for db before starting api). With `bootMs`, db and cache wait for a `boot` service that takes
 * that long (so that a page opened once the deployment began sees every later change).
 */
export async function webTopology(bootMs?: number): Promise<string> {
  const p = await Promise.all([1, 2, 3, 4, 5, 6].map(() => freePort()));
  const svc = (name: string, port: number, ms: number, deps: string[]) => `  ${name}:
    process: { command: node, args: ['-e', "${server(port, ms)}"] }
    health: [{ type: http, url: 'http://127.0.0.1:${port}/' }]
${deps.length === 0 ? '' : `    dependsOn: [${deps.join(', ')}]\n`}`;
  const boot = bootMs === undefined ? [] : ['boot'];
  return `instance: WEB\nservices:\n${bootMs === undefined ? '' : svc('boot', p[5] ?? 0, bootMs, [])}${svc('db', p[0] ?? 0, 700, boot)}${svc('cache', p[1] ?? 0, 300, boot)}${svc('api', p[2] ?? 0, 700, ['cache'])}${svc('web', p[3] ?? 0, 500, ['api'])}${svc('worker', p[4] ?? 0, 300, ['db'])}`;
}

/** Options of {@link createBrowserFixture}. */
export interface BrowserFixtureOptions {
  /** More `dive ui` options (`--allow-actions`). */
  readonly uiArgs?: readonly string[];
  /** Another state than the directory's files (a migrated `postgres://…`). */
  readonly stateUrl?: string;
  /** Add the `boot` service of {@link webTopology}. */
  readonly bootMs?: number;
}

/** A temporary directory with the WEB topology and `dive ui` serving its state (files in the directory, or `state`). */
export interface BrowserFixture {
  readonly dir: string;
  readonly ui: Awaited<ReturnType<typeof startUi>>;
  /** `--state file:<dir>/.dive`, or `--state <state>` */
  readonly state: readonly string[];
  /** Start `dive deploy` in another process; resolves with its exit code. */
  deploy(): { readonly exited: Promise<number | null> };
  /** Stop `dive ui`, take WEB down and remove the directory. */
  close(): Promise<void>;
}

/**
 * Make the directory and start `dive ui` on it.
 * @param label - part of the directory's name
 * @param options - `dive ui` options, another state, a boot service
 */
export async function createBrowserFixture(
  label: string,
  options: BrowserFixtureOptions = {},
): Promise<BrowserFixture> {
  const dir = mkdtempSync(join(tmpdir(), `dive-dashboard-${label}-`));
  writeFileSync(join(dir, 'dive.yaml'), await webTopology(options.bootMs));
  const state = ['--state', options.stateUrl ?? `file:${join(dir, '.dive')}`];
  const ui = await startUi(dir, [...state, ...(options.uiArgs ?? [])]).catch((e: unknown) => {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  });
  return {
    dir,
    ui,
    state,
    deploy: () => {
      const child = spawn(process.execPath, [diveBin, ...state, '--progress', 'quiet', 'deploy'], {
        cwd: dir,
        env: { ...process.env, NO_COLOR: '1', CI: 'true' },
      });
      return { exited: new Promise((resolve) => child.on('exit', resolve)) };
    },
    close: async () => {
      await ui.stop();
      dive(dir, [...state, 'down', 'WEB']);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * In the page (a string: these files are type-checked without the DOM library): report each graph node's
 * `service:status` to `window.diveSeen`, and whether edges and the critical path were drawn while a service ran.
 */
export const OBSERVE_GRAPH = `(() => {
  const report = () => {
    for (const g of document.querySelectorAll('svg.graph g[data-service]'))
      window.diveSeen(g.getAttribute('data-service') + ':' + g.getAttribute('data-status'));
    if (document.querySelector('svg.graph g[data-status="running"]') === null) return;
    if (document.querySelector('svg.graph .edge') !== null) window.diveSeen('edges while running');
    if (document.querySelector('svg.graph .edge.critical') !== null) window.diveSeen('critical path while running');
  };
  report();
  new MutationObserver(report).observe(document.body, { subtree: true, childList: true, attributes: true });
})()`;

/** In the page: the computed fill of every graph node's box (one colour when all have the same state). */
export const NODE_FILLS = `[...document.querySelectorAll('svg.graph g[data-service] rect')].map((r) => getComputedStyle(r).fill)`;

/** In the page: how far the document is wider than the window (≤ 1 px: no horizontal scrolling). */
export const OVERFLOW = 'document.documentElement.scrollWidth - window.innerWidth';
