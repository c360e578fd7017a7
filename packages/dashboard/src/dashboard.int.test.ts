import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFileStateStore, createPostgresStateStore, type StateStore } from '@dive/state-db';
import { createTestDatabase, waitFor, type TestDatabase } from '@dive/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDashboard } from './dashboard.js';
import { fetchText, openEvents, serve, stop, type SseEvent } from './test-support/http.js';

const KEY = 'a'.repeat(64);
const opts = { fencingToken: 1, reason: 'deploy', actor: 'test', deploymentId: 'dep-1' };
const STATES = ['INITIALIZING', 'DEPLOYING', 'CONFIGURING', 'VERIFYING', 'COMPLETE'] as const;

/** A writer (another process's store) and the dashboard's own store on the same storage. */
interface Backend {
  readonly name: string;
  make: () => Promise<{ writer: StateStore; reader: StateStore; done: () => Promise<void> }>;
}

const transitionsOf = (events: readonly SseEvent[]): unknown[] =>
  events.filter((e) => e.type === 'transition').map((e) => e.data['version']);
const stepsOf = (events: readonly SseEvent[]): string[] =>
  events.filter((e) => e.type === 'step').map((e) => `${String(e.data['step'])}:${String(e.data['status'])}`);

/**
 * A deployment written by another store appears as events; a client that disconnects halfway and reconnects with
 * Last-Event-ID gets every event it missed, once.
 */
async function reconnectScenario(backend: Backend): Promise<void> {
  const { writer, reader, done } = await backend.make();
  const dashboard = createDashboard({ state: { store: reader } });
  const { url, server } = await serve(dashboard);
  try {
    await dashboard.ready;
    const first = await openEvents(url);
    const step = (status: 'running' | 'succeeded', name: string) =>
      writer.recordStep({
        deploymentId: 'dep-1',
        instance: 'USA',
        step: `service:${name}`,
        status,
        startedAt: 1_000,
        ...(status === 'running' ? {} : { endedAt: 2_000 }),
      });
    (await writer.transition('USA', 'INITIALIZING', opts))._unsafeUnwrap();
    (await step('running', 'db'))._unsafeUnwrap();
    await waitFor('the first events', () => stepsOf(first.events).includes('service:db:running'));
    first.close();
    const lastId = first.events.filter((e) => e.id !== undefined).at(-1)?.id ?? '';
    // written while the client is away
    (await step('succeeded', 'db'))._unsafeUnwrap();
    for (const s of STATES.slice(1)) (await writer.transition('USA', s, opts))._unsafeUnwrap();
    (await step('running', 'api'))._unsafeUnwrap();
    const second = await openEvents(url, { 'Last-Event-ID': lastId });
    await waitFor(
      'the missed events',
      () => transitionsOf(second.events).includes(5) && stepsOf(second.events).includes('service:api:running'),
      20_000,
    );
    second.close();
    const all = [...first.events, ...second.events];
    expect(transitionsOf(all)).toEqual([1, 2, 3, 4, 5]);
    expect(stepsOf(all)).toEqual(['service:db:running', 'service:db:succeeded', 'service:api:running']);
    expect(new Set(all.map((e) => e.id)).size).toBe(all.length);
    const instances = JSON.parse((await fetchText(`${url}api/instances`)).body) as {
      instances: { instance: string; state: string; lastDeployment: { durationMs: number } }[];
    };
    expect(instances.instances.map((i) => [i.instance, i.state])).toEqual([['USA', 'COMPLETE']]);
    expect(instances.instances[0]?.lastDeployment.durationMs).toBeGreaterThanOrEqual(0);
  } finally {
    await stop(server);
    await dashboard.close();
    await done();
  }
}

let dir: string;
let db: TestDatabase;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dive-dashboard-'));
  db = await createTestDatabase('dashboard');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await db?.drop();
});

describe('dashboard server', () => {
  it('file store: live events, and a reconnect with Last-Event-ID loses nothing', async () => {
    const stateDir = join(dir, 'file-live');
    await reconnectScenario({
      name: 'file',
      make: () =>
        Promise.resolve({
          writer: createFileStateStore({ dir: stateDir, auditKey: KEY }),
          reader: createFileStateStore({ dir: stateDir, auditKey: KEY }),
          done: () => Promise.resolve(),
        }),
    });
  });

  it('PostgreSQL: live events through LISTEN/NOTIFY, and a reconnect loses nothing', async () => {
    await reconnectScenario({
      name: 'postgres',
      make: async () => {
        const o = { connectionString: db.url, schema: 'dive_dash', auditKey: KEY };
        const writer = createPostgresStateStore(o);
        (await writer.migrate())._unsafeUnwrap();
        const reader = createPostgresStateStore(o);
        return {
          writer,
          reader,
          done: async () => {
            await writer.close();
            await reader.close();
          },
        };
      },
    });
  });

  it("a first deployment's graph (its `graph` step, no checkpoint yet) reaches the API and the stream while it runs", async () => {
    const stateDir = join(dir, 'file-graph');
    const writer = createFileStateStore({ dir: stateDir, auditKey: KEY });
    const dashboard = createDashboard({ state: { store: createFileStateStore({ dir: stateDir, auditKey: KEY }) } });
    const { url, server } = await serve(dashboard);
    try {
      await dashboard.ready;
      const events = await openEvents(url);
      // the engine's graph step: names only, in a list (a service named like a secret key is not masked)
      const services = [
        { name: 'secret-store', kind: 'service', dependsOn: [] },
        { name: 'api', kind: 'service', dependsOn: ['secret-store'] },
        { name: 'web', kind: 'service', dependsOn: ['api'] },
      ];
      const base = { deploymentId: 'dep-g', instance: 'GRAPH', startedAt: 1_000 };
      (await writer.transition('GRAPH', 'INITIALIZING', { ...opts, deploymentId: 'dep-g' }))._unsafeUnwrap();
      (
        await writer.recordStep({ ...base, step: 'graph', status: 'succeeded', endedAt: 1_000, detail: { services } })
      )._unsafeUnwrap();
      (await writer.recordStep({ ...base, step: 'service:secret-store', status: 'running' }))._unsafeUnwrap();
      expect((await writer.listCheckpoints('GRAPH'))._unsafeUnwrap()).toEqual([]);
      const view = JSON.parse((await fetchText(`${url}api/deployments/dep-g`)).body) as Record<string, unknown>;
      expect(view['planned']).toEqual(['secret-store', 'api', 'web']);
      expect(view['dependsOn']).toEqual({ 'secret-store': [], api: ['secret-store'], web: ['api'] });
      await waitFor('the graph step on the stream', () =>
        stepsOf(events.events).includes('service:secret-store:running'),
      );
      events.close();
      const graph = events.events.find((e) => e.type === 'step' && e.data['step'] === 'graph');
      expect(graph?.data['detail']).toEqual({ services });
    } finally {
      await stop(server);
      await dashboard.close();
    }
  });

  it('sends the CSP and security headers, serves the page without inline script', async () => {
    const dashboard = createDashboard({
      state: { store: createFileStateStore({ dir: join(dir, 'csp'), auditKey: KEY }) },
    });
    const { url, server } = await serve(dashboard);
    try {
      const page = await fetchText(url);
      expect(page.status).toBe(200);
      expect(page.headers['content-security-policy']).toContain("script-src 'self'");
      expect(page.headers['content-security-policy']).not.toContain('unsafe-inline');
      expect(page.body).not.toMatch(/<script>(?!<\/script>)|<script\s+(?![^>]*src=)/);
      const api = await fetchText(`${url}api/instances`);
      expect(api.headers['content-security-policy']).toBeDefined();
      expect(api.headers['x-content-type-options']).toBe('nosniff');
    } finally {
      await stop(server);
      await dashboard.close();
    }
  });

  it('refuses requests without the token, takes it as a bearer or once from the URL', async () => {
    const token = 't'.repeat(24);
    const dashboard = createDashboard({
      state: { store: createFileStateStore({ dir: join(dir, 'tok'), auditKey: KEY }) },
      token,
    });
    const { url, server } = await serve(dashboard);
    try {
      expect((await fetchText(`${url}api/instances`)).status).toBe(401);
      expect(
        (await fetchText(`${url}api/instances`, { headers: { Authorization: 'Bearer wrong-token-0123456789' } }))
          .status,
      ).toBe(401);
      expect((await fetchText(`${url}api/instances`, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(
        200,
      );
      const once = await fetchText(`${url}?token=${token}`);
      expect(once.status).toBe(303);
      expect(once.headers.location).toBe('/');
      expect(String(once.headers['set-cookie'])).toContain('HttpOnly');
      expect((await fetchText(`${url}api/instances`, { headers: { Cookie: `dive_token=${token}` } })).status).toBe(200);
    } finally {
      await stop(server);
      await dashboard.close();
    }
  });

  it('without a token, refuses requests that arrive on an address other than 127.0.0.1', async () => {
    const dashboard = createDashboard({
      state: { store: createFileStateStore({ dir: join(dir, 'far'), auditKey: KEY }) },
    });
    const { url, server } = await serve(dashboard, '127.0.0.2');
    try {
      expect((await fetchText(url)).status).toBe(403);
      expect((await fetchText(`${url}events`)).status).toBe(403);
    } finally {
      await stop(server);
      await dashboard.close();
    }
  });

  it('actions: refused when off, refused without the CSRF header, done with token and CSRF', async () => {
    const token = 'k'.repeat(24);
    const calls: string[] = [];
    const actions = {
      rollback: (instance: string) => {
        calls.push(instance);
        return Promise.resolve({ ok: true as const, summary: `${instance} rolled back` });
      },
    };
    const store = createFileStateStore({ dir: join(dir, 'act'), auditKey: KEY });
    const off = createDashboard({ state: { store }, token, actions });
    const on = createDashboard({ state: { store }, token, actions, allowActions: true });
    const a = await serve(off);
    const b = await serve(on);
    const auth = { Authorization: `Bearer ${token}` };
    try {
      const refusedOff = await fetchText(`${a.url}api/actions/rollback/USA`, { method: 'POST', headers: auth });
      expect(refusedOff.status).toBe(403);
      const page = await fetchText(b.url, { headers: auth });
      const csrf = /dive_csrf=([^;]+)/.exec(String(page.headers['set-cookie']))?.[1] ?? '';
      expect(csrf.length).toBeGreaterThanOrEqual(16);
      const noHeader = await fetchText(`${b.url}api/actions/rollback/USA`, {
        method: 'POST',
        headers: { ...auth, Cookie: `dive_csrf=${csrf}` },
      });
      expect(noHeader.status).toBe(403);
      const mismatch = await fetchText(`${b.url}api/actions/rollback/USA`, {
        method: 'POST',
        headers: { ...auth, Cookie: `dive_csrf=${csrf}`, 'X-Dive-Csrf': 'x'.repeat(24) },
      });
      expect(mismatch.status).toBe(403);
      const noToken = await fetchText(`${b.url}api/actions/rollback/USA`, {
        method: 'POST',
        headers: { Cookie: `dive_csrf=${csrf}`, 'X-Dive-Csrf': csrf },
      });
      expect(noToken.status).toBe(401);
      expect(calls).toEqual([]);
      const done = await fetchText(`${b.url}api/actions/rollback/USA`, {
        method: 'POST',
        headers: { ...auth, Cookie: `dive_csrf=${csrf}`, 'X-Dive-Csrf': csrf },
        body: '{}',
      });
      expect(done.status).toBe(200);
      expect(calls).toEqual(['USA']);
    } finally {
      await stop(a.server);
      await stop(b.server);
      await off.close();
      await on.close();
    }
  });
});
