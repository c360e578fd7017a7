// The page in a real browser (Debian's chromium, driven by playwright-core) against the BUILT `dive ui`, with a
// deployment run by the BUILT `dive deploy` in another process (process runtime, file state).
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { percentile } from './internal/percentile.js';
import {
  createBrowserFixture,
  NODE_FILLS,
  OBSERVE_GRAPH,
  OVERFLOW,
  type BrowserFixture,
} from './test-support/browser-fixture.js';
import { dive, startUi } from './test-support/cli.js';
import { screenshotPath } from './test-support/screenshots.js';

const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let fx: BrowserFixture;
let context: BrowserContext;
let ui: BrowserFixture['ui'];
let dir: string;
const state = (): string[] => [...fx.state];

beforeAll(async () => {
  fx = await createBrowserFixture('browser', { uiArgs: ['--allow-actions'] });
  ({ ui, dir } = fx);
  context = await chromium.launchPersistentContext(join(dir, 'profile'), {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: 1200, height: 800 },
  });
}, 60_000);

afterAll(async () => {
  await context?.close();
  await fx?.close();
});

const open = async (url: string, token: string | undefined): Promise<Page> => {
  const page = await context.newPage();
  await page.goto(token === undefined ? url : `${url}?token=${token}`);
  return page;
};

describe('the dashboard in a browser', () => {
  it('lists instances and shows a deployment by another process live (event-to-screen latency measured)', async () => {
    expect(ui.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(ui.token).toBeDefined(); // actions on: a token is generated and printed once
    const page = await open(ui.url, ui.token);
    await page.waitForSelector('text=No instance has been deployed');
    const { exited } = fx.deploy();
    const link = await page.waitForSelector('tr[data-instance="WEB"] a[href^="#/d/"]', { timeout: 30_000 });
    await link.click();
    await page.waitForSelector('svg.graph g[data-service]', { timeout: 30_000 });
    const seen = new Set<string>();
    await page.exposeFunction('diveSeen', (s: string) => seen.add(s));
    await page.evaluate(OBSERVE_GRAPH);
    await page.waitForSelector('svg.graph g[data-service="web"][data-status="succeeded"]', { timeout: 60_000 });
    await page.waitForSelector('svg.graph g[data-service="worker"][data-status="succeeded"]', { timeout: 60_000 });
    expect(await exited).toBe(0);
    // every node drawn in its state's colour (Chromium kept a stale style on a moved node whose class changed)
    const fills = await page.evaluate<string[]>(NODE_FILLS);
    expect(new Set(fills).size).toBe(1);
    // a service seen running and then succeeded: the page changed live, not on a reload
    expect([...seen].filter((s) => s.endsWith(':running')).length).toBeGreaterThan(0);
    // the instance's first deployment (no checkpoint yet): its graph had its edges and critical path while it ran
    expect(seen).toContain('edges while running');
    expect(seen).toContain('critical path while running');
    // attached, not visible: a horizontal edge (both ends on one row) has a zero-height box, which is "not visible"
    await page.waitForSelector('svg.graph .edge.critical', { state: 'attached', timeout: 30_000 });
    expect(await page.locator('svg.gantt g.lane').count()).toBe(5);
    // beside each actual bar, its window had the deployment gone level by level, and the time saved
    expect(await page.locator('svg.gantt rect.estimate').count()).toBe(5);
    expect(await page.textContent('svg.gantt .estimate-total')).toMatch(
      /actual [\d.]+ m?s · level by level \(outlined\) ~[\d.]+ m?s · (saved [\d.]+ m?s|[\d.]+ m?s slower)/,
    );
    const latencies = await page.evaluate<number[]>('window.__diveLatencies');
    expect(latencies.length).toBeGreaterThanOrEqual(5);
    const p95 = percentile(latencies, 95) ?? Infinity;
    console.log(`event-to-screen latency: n=${latencies.length} p50=${percentile(latencies, 50)} ms p95=${p95} ms`);
    // The target (p95 ≤ 500 ms) is a benchmark figure, measured on a quiet machine and recorded in
    // docs/benchmarks.md; p95 of ~10 samples is near their maximum, and CI runs this beside the other int files on 2
    // cores (540 ms was seen at load 21). Here the bound only proves the page is live, not polling or reloading.
    expect(p95).toBeLessThanOrEqual(3_000);
    await page.screenshot({ path: screenshotPath(dir, 'deployment.png'), fullPage: true });
    await page.goto(`${ui.url}#/`);
    await page.waitForSelector('tr[data-instance="WEB"]');
    await page.screenshot({ path: screenshotPath(dir, 'instances.png'), fullPage: true });
    await page.setViewportSize({ width: 390, height: 800 });
    await page.screenshot({ path: screenshotPath(dir, 'instances-narrow.png'), fullPage: true });
    const overflow = await page.evaluate<number>(OVERFLOW);
    expect(overflow).toBeLessThanOrEqual(1);
    await page.close();
  }, 120_000);

  it('renders history with the verified audit chain, and the charts', async () => {
    // the hash navigation follows the page's load at once (the token's redirect already loaded `/`): no reload
    const page = await open(ui.url, ui.token);
    await page.goto(`${ui.url}#/i/WEB`);
    await page.waitForSelector('.verify, .error');
    expect(await page.textContent('.verify')).toMatch(/^Audit chain verified/);
    expect(await page.locator('table.history tbody tr').count()).toBeGreaterThanOrEqual(5);
    await page.screenshot({ path: screenshotPath(dir, 'history.png'), fullPage: true });
    await page.goto(`${ui.url}#/analytics`);
    await page.waitForSelector('svg.chart');
    expect(await page.locator('svg.chart').count()).toBe(2);
    expect(await page.locator('svg.chart circle.dot').count()).toBeGreaterThanOrEqual(1);
    await page.screenshot({ path: screenshotPath(dir, 'analytics.png'), fullPage: true });
    await page.close();
  });

  it('a navigation between the first render and its effects still renders the view (no hashchange is missed)', async () => {
    const page = await context.newPage();
    // DOMContentLoaded follows the deferred bundle, which has rendered; Preact's effects run only after a frame, so
    // this hashchange always fires before the router's effect: the view must render from the effect's own read.
    await page.addInitScript(
      `addEventListener('DOMContentLoaded', () => { if (location.protocol === 'http:' && location.hash === '') location.hash = '#/i/WEB'; })`,
    );
    await page.goto(`${ui.url}?token=${ui.token ?? ''}`);
    await page.waitForSelector('.verify', { timeout: 10_000 });
    expect(await page.textContent('main h2')).toBe('WEB');
    await page.close();
  });

  it('with --allow-actions a rollback from the page works', async () => {
    // a second deployment, so that there is an earlier good checkpoint to roll back to
    expect(dive(dir, [...state(), '--progress', 'quiet', 'deploy']).code).toBe(0);
    const page = await open(ui.url, ui.token);
    await page.goto(`${ui.url}#/i/WEB`);
    await page.click('button[data-action="rollback"]');
    await page.waitForSelector('.outcome:text-matches("WEB|refused")', { timeout: 60_000 });
    expect(await page.textContent('.outcome')).toMatch(/WEB: rollback \(\w+\) → COMPLETE/);
    await page.close();
  }, 90_000);

  it('without --allow-actions the action is refused', async () => {
    const readOnly = await startUi(dir, [...state()]);
    try {
      expect(readOnly.token).toBeUndefined();
      const page = await open(readOnly.url, undefined);
      await page.goto(`${readOnly.url}#/i/WEB`);
      await page.waitForSelector('.verify');
      expect(await page.locator('button[data-action]').count()).toBe(0);
      const status = await page.evaluate(
        async () => (await fetch('./api/actions/rollback/WEB', { method: 'POST' })).status,
      );
      expect(status).toBe(403);
      await page.close();
    } finally {
      await readOnly.stop();
    }
  });

  it('bound elsewhere than 127.0.0.1, a token is required', async () => {
    const far = await startUi(dir, [...state(), '--host', '127.0.0.2']);
    try {
      expect(far.url).toMatch(/^http:\/\/127\.0\.0\.2:\d+\/$/);
      expect(far.token).toBeDefined();
      const page = await context.newPage();
      const refused = await page.goto(far.url);
      expect(refused?.status()).toBe(401);
      await page.goto(`${far.url}?token=${far.token}`);
      await page.waitForSelector('tr[data-instance="WEB"]');
      await page.close();
    } finally {
      await far.stop();
    }
  });
});
