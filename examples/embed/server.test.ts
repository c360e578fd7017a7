import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type EmbedServer } from './server.js';

let s: EmbedServer;
beforeAll(async () => {
  s = await startServer();
});
afterAll(async () => {
  await s.close();
  expect(existsSync(s.stateDir)).toBe(false); // nothing left behind in the temp directory
});

describe('examples/embed', () => {
  it('deploys through its own endpoint and serves dive_* metrics on its own /metrics', async () => {
    const r = await fetch(`${s.url}/deploy/USA`, { method: 'POST' });
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ status: 'COMPLETE' });
    const metrics = await (await fetch(`${s.url}/metrics`)).text();
    expect(metrics).toMatch(/embed_requests_total \d/);
    expect(metrics).toMatch(/dive_deployments_total\{instance="USA",result="success"\} 1/);
    expect(metrics).toMatch(/dive_service_start_duration_seconds_bucket\{[^}]*service="api"/);
  });
});

describe('examples/embed: the dashboard mounted at /dive', () => {
  it('serves the page and the API under the prefix, with the CSP', async () => {
    const page = await fetch(`${s.url}/dive/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).toContain('./assets/app.js');
    const redirect = await fetch(`${s.url}/dive`, { redirect: 'manual' });
    expect(redirect.headers.get('location')).toBe('/dive/');
    const api = (await (await fetch(`${s.url}/dive/api/instances`)).json()) as { instances: unknown[] };
    expect(Array.isArray(api.instances)).toBe(true);
  });
});
