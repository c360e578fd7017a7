import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from './server.js';

let s: Awaited<ReturnType<typeof startServer>>;
beforeAll(async () => {
  s = await startServer();
});
afterAll(() => s.close());

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
