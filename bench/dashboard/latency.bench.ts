// Event-to-screen latency of the dashboard: a 5-service deployment run by the BUILT `dive deploy` in another process,
// the BUILT `dive ui` serving the same state, its page open in headless Debian chromium (playwright-core). For each
// change the page shows after it has loaded — a graph node turning `running` or `succeeded` on the deployment view, an
// instance's state badge on the instances view — the time from the store's timestamp of the write (the step's start
// or end, the transition's `at`) to the next animation frame after the DOM changed. File state and PostgreSQL, ROUNDS
// rounds each (default 5), alternating. No peer has a dashboard to compare with. Run (after `pnpm build`, with
// chromium and DATABASE_URL as scripts/test-services.sh sets them up):
//   npx tsx --tsconfig tsconfig.json bench/dashboard/latency.bench.ts
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { createTestDatabase } from '@dive/test-utils';
import { chromium, type Browser, type Page } from 'playwright-core';
import {
  createBrowserFixture,
  type BrowserFixture,
} from '../../packages/dashboard/src/test-support/browser-fixture.js';
import { dive, diveBin } from '../../packages/dashboard/src/test-support/cli.js';
import { openEvents } from '../../packages/dashboard/src/test-support/http.js';
import { machine, percentile } from '../lib/harness.js';

const ROUNDS = Number(process.env['ROUNDS'] ?? 5);
if (!existsSync(diveBin)) throw new Error(`${diveBin} is missing: build first (npx -y pnpm@10 run build)`);
const pct = percentile;
const median = (xs: readonly number[]) => percentile(xs, 50);

/**
 * In the page: from now on, record the first time each `key` is seen (at the next animation frame after the DOM
 * changed); what `keys()` returns at installation is the baseline, not a change.
 */
const recorder = (keys: string) => `(() => {
  const keys = () => ${keys};
  const marks = (window.__marks = {});
  const baseline = new Set(keys());
  new MutationObserver(() => {
    const fresh = keys().filter((k) => !baseline.has(k) && marks[k] === undefined);
    if (fresh.length === 0) return;
    for (const k of fresh) marks[k] = 0;
    requestAnimationFrame(() => { const t = Date.now(); for (const k of fresh) marks[k] = t; });
  }).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
})()`;
const NODES = `[...document.querySelectorAll('svg.graph g[data-service]')].map((g) => 'service:' + g.getAttribute('data-service') + ':' + g.getAttribute('data-status'))`;
const BADGES = `[...document.querySelectorAll('tr[data-instance="WEB"] td[data-label="state"]')].map((td) => 'state:' + td.textContent.trim())`;

interface Steps {
  readonly steps: { step: string; startedAt: number; endedAt: number | null }[];
}
interface History {
  readonly rows: { to: string; at: number; deploymentId: string | null }[];
}

const api = async <T>(url: string, path: string): Promise<T> => (await (await fetch(`${url}api/${path}`)).json()) as T;

/** The latency of one change the page showed: a graph node's state (`node`) or an instance's state badge. */
interface Sample {
  readonly kind: 'node' | 'badge';
  readonly ms: number;
  /** From the store's timestamp to the event's arrival at a server-sent-events client in this process. */
  readonly sseMs: number | undefined;
}

/** One deployment watched by two pages; the latency of every change they showed. */
async function round(browser: Browser, fx: BrowserFixture): Promise<Sample[]> {
  const url = fx.ui.url;
  const stream = await openEvents(url);
  const instances: Page = await browser.newPage();
  await instances.goto(url);
  await instances.waitForSelector('text=No instance has been deployed');
  await instances.evaluate(recorder(BADGES));
  const { exited } = fx.deploy();
  const link = await instances.waitForSelector('tr[data-instance="WEB"] a[href^="#/d/"]', { timeout: 30_000 });
  const id = ((await link.getAttribute('href')) ?? '').slice('#/d/'.length);
  const deployment = await browser.newPage();
  await deployment.goto(`${url}#/d/${id}`);
  await deployment.waitForSelector('svg.graph g[data-service]', { timeout: 30_000 });
  await deployment.evaluate(recorder(NODES));
  if ((await exited) !== 0) throw new Error('dive deploy failed');
  await deployment.waitForSelector('svg.graph g[data-service="web"][data-status="succeeded"]', { timeout: 30_000 });
  await instances.waitForSelector('tr[data-instance="WEB"] td[data-label="state"] .badge.complete', {
    timeout: 30_000,
  });
  const marks = {
    ...(await instances.evaluate<Record<string, number>>('window.__marks')),
    ...(await deployment.evaluate<Record<string, number>>('window.__marks')),
  };
  await instances.close();
  await deployment.close();
  stream.close();
  const arrived = new Map<string, number>();
  for (const e of stream.events) {
    const key =
      e.type === 'transition'
        ? `state:${String(e.data['to'])}`
        : `${String(e.data['step'])}:${String(e.data['status'])}`;
    if (!arrived.has(key)) arrived.set(key, e.receivedAt);
  }
  const written = new Map<string, number>();
  for (const s of (await api<Steps>(url, `deployments/${id}`)).steps) {
    written.set(`${s.step}:running`, s.startedAt);
    if (s.endedAt !== null) written.set(`${s.step}:succeeded`, s.endedAt);
  }
  for (const r of (await api<History>(url, 'history/WEB')).rows)
    if (r.deploymentId === id) written.set(`state:${r.to}`, r.at);
  return Object.entries(marks)
    .filter(([k, t]) => t > 0 && written.has(k))
    .map(([k, t]) => {
      const at = written.get(k) ?? t;
      const sse = arrived.get(k);
      return {
        kind: k.startsWith('state:') ? 'badge' : 'node',
        ms: t - at,
        sseMs: sse === undefined ? undefined : sse - at,
      };
    });
}

async function backend(name: 'file' | 'postgres', browser: Browser, n: number): Promise<Sample[]> {
  const db = name === 'postgres' ? await createTestDatabase(`dash_latency_${n}`) : undefined;
  const fx = await createBrowserFixture(`latency-${name}`, {
    bootMs: 2_000,
    ...(db === undefined ? {} : { stateUrl: db.url }),
  });
  try {
    if (db !== undefined && dive(fx.dir, [...fx.state, 'db', 'migrate']).code !== 0) throw new Error('migrate failed');
    return await round(browser, fx);
  } finally {
    await fx.close();
    await db?.drop();
  }
}

const summary = (xs: readonly number[]) => `${median(xs)} / ${pct(xs, 95)} / ${Math.max(...xs)}`;

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});
const all = { file: [] as Sample[], postgres: [] as Sample[] };
const rounds = { file: [] as string[], postgres: [] as string[] };
const load0 = loadavg()[0] ?? 0;
try {
  for (let n = 0; n < ROUNDS; n++)
    for (const name of ['file', 'postgres'] as const) {
      const samples = await backend(name, browser, n);
      const ms = samples.map((x) => x.ms);
      all[name].push(...samples);
      rounds[name].push(`${median(ms)}/${pct(ms, 95)}`);
      console.error(`round ${n + 1} ${name}: ${ms.length} changes, p50 ${median(ms)} ms, p95 ${pct(ms, 95)} ms`);
    }
} finally {
  await browser.close();
}
const load1 = loadavg()[0] ?? 0;
console.log(
  `\nEvent-to-screen latency, ${ROUNDS} rounds, ${machine()}, load average ${load0.toFixed(1)} → ${load1.toFixed(1)}\n`,
);
console.log(
  '| state | changes | all: p50 / p95 / max ms | graph nodes | state badges | of which write → SSE client | per round p50/p95 ms |',
);
console.log(
  '| ----- | ------- | ----------------------- | ----------- | ------------ | --------------------------- | -------------------- |',
);
const sse = (name: keyof typeof all) => all[name].flatMap((x) => (x.sseMs === undefined ? [] : [x.sseMs]));
for (const name of ['file', 'postgres'] as const) {
  const of = (kind?: Sample['kind']) => all[name].filter((x) => kind === undefined || x.kind === kind).map((x) => x.ms);
  console.log(
    `| ${name} | ${of().length} | ${summary(of())} | ${summary(of('node'))} | ${summary(of('badge'))} | ${summary(sse(name))} | ${rounds[name].join(', ')} |`,
  );
}
