// The page in Firefox: Debian's firefox-esr (installed by scripts/test-services.sh), driven over WebDriver BiDi by
// puppeteer-core. playwright-core's own `firefox` needs Playwright's patched build, and its BiDi channel
// (`moz-firefox`) sends `emulation.setMediaFeaturesOverride`, which Firefox 153 ESR answers "unknown command".
// One pass over what Firefox must render (the full behaviour is browser.int.test.ts, in Chromium).
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createBrowserFixture,
  NODE_FILLS,
  OBSERVE_GRAPH,
  OVERFLOW,
  type BrowserFixture,
} from './test-support/browser-fixture.js';
import { screenshotPath } from './test-support/screenshots.js';

let fx: BrowserFixture;
let browser: Browser;
const problems: string[] = [];

beforeAll(async () => {
  fx = await createBrowserFixture('firefox');
  browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: '/usr/bin/firefox-esr',
    headless: true,
    userDataDir: join(fx.dir, 'firefox-profile'),
    defaultViewport: { width: 1200, height: 800 },
    protocolTimeout: 60_000,
    timeout: 90_000,
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await fx?.close();
});

/** A page whose console errors and uncaught exceptions are collected in `problems`. */
async function open(): Promise<Page> {
  const page = await browser.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e instanceof Error ? e.message : String(e)}`));
  await page.goto(fx.ui.url);
  return page;
}

const go = (page: Page, hash: string): Promise<unknown> => page.evaluate(`location.hash = ${JSON.stringify(hash)}`);
/** Evaluated in the page as a string: these files are type-checked without the DOM library. */
const inPage = async <T>(page: Page, expression: string): Promise<T> => (await page.evaluate(expression)) as T;
const count = (page: Page, selector: string): Promise<number> =>
  inPage(page, `document.querySelectorAll(${JSON.stringify(selector)}).length`);
const text = (page: Page, selector: string): Promise<string | undefined> =>
  inPage(page, `document.querySelector(${JSON.stringify(selector)})?.textContent`);

describe('the dashboard in Firefox ESR', () => {
  it('lists instances, renders a live deployment with its graph, history and charts, on a narrow screen too', async () => {
    const page = await open();
    expect(await browser.version()).toMatch(/^firefox\//);
    await page.waitForFunction(`document.body.textContent.includes('No instance has been deployed')`);
    const { exited } = fx.deploy();
    const link = await page.waitForSelector('tr[data-instance="WEB"] a[href^="#/d/"]', { timeout: 30_000 });
    await link?.click();
    await page.waitForSelector('svg.graph g[data-service]', { timeout: 30_000 });
    const seen = new Set<string>();
    await page.exposeFunction('diveSeen', (s: string) => seen.add(s));
    await page.evaluate(OBSERVE_GRAPH);
    await page.waitForSelector('svg.graph g[data-service="web"][data-status="succeeded"]', { timeout: 60_000 });
    await page.waitForSelector('svg.graph g[data-service="worker"][data-status="succeeded"]', { timeout: 60_000 });
    expect(await exited).toBe(0);
    // a service seen running and then succeeded: the page changed live, not on a reload
    expect([...seen].filter((s) => s.endsWith(':running')).length).toBeGreaterThan(0);
    // the graph: 5 nodes in one colour (all succeeded), the 3 dependency edges, the critical path; the timeline
    expect(await count(page, 'svg.graph g[data-service]')).toBe(5);
    expect(new Set(await inPage<string[]>(page, NODE_FILLS)).size).toBe(1);
    expect(await count(page, 'svg.graph .edge')).toBe(3);
    expect(await count(page, 'svg.graph .edge.critical')).toBeGreaterThanOrEqual(1);
    expect(await count(page, 'svg.gantt g.lane')).toBe(5);
    await page.screenshot({ path: screenshotPath(fx.dir, 'deployment-firefox.png'), fullPage: true });
    await page.setViewport({ width: 390, height: 800 });
    expect(await inPage<number>(page, OVERFLOW)).toBeLessThanOrEqual(1);

    await go(page, '#/');
    await page.waitForSelector('tr[data-instance="WEB"]');
    expect(await inPage<number>(page, OVERFLOW)).toBeLessThanOrEqual(1);
    await page.setViewport({ width: 1200, height: 800 });

    await go(page, '#/i/WEB');
    await page.waitForSelector('.verify, .error');
    expect(await text(page, '.verify')).toMatch(/^Audit chain verified/);
    expect(await count(page, 'table.history tbody tr')).toBeGreaterThanOrEqual(5);

    await go(page, '#/analytics');
    await page.waitForSelector('svg.chart');
    expect(await count(page, 'svg.chart')).toBe(2);
    expect(await count(page, 'svg.chart circle.dot')).toBeGreaterThanOrEqual(1);
    await page.close();
    expect(problems).toEqual([]);
  }, 150_000);
});
