import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadTopology } from '../load-topology.js';
import type { TopologyProblem } from '../problems.js';
import type { ServiceSpec, Topology } from '../types.js';

/** One corpus entry (fixtures/compose-corpus/MANIFEST.json). */
interface Entry {
  readonly dir: string;
  readonly file: string;
  readonly repo: string;
  readonly path: string;
  readonly commit: string;
  readonly license: string;
  /** Runs offline here: every image is the busybox test image (DIVE_TEST_IMAGE) or built from it. */
  readonly offline: boolean;
  readonly note?: string;
}

const corpus = fileURLToPath(new URL('../fixtures/compose-corpus/', import.meta.url));
const manifest = JSON.parse(readFileSync(join(corpus, 'MANIFEST.json'), 'utf8')) as Entry[];

/** What a plan of a service shows, short: where it runs, what it waits for, what it joins and mounts. */
function brief(spec: ServiceSpec): Record<string, unknown> {
  const c = spec.container ?? {};
  return {
    ...(spec.kind === 'job' ? { kind: 'job' } : {}),
    run: c.image ?? `build ${c.build?.context.replace(corpus, '')}`,
    ...(spec.dependsOn === undefined ? {} : { dependsOn: spec.dependsOn }),
    ...(c.networkMode === undefined ? {} : { networkMode: c.networkMode }),
    ...(c.networks === undefined ? {} : { networks: Object.keys(c.networks) }),
    ...(c.volumes === undefined
      ? {}
      : { volumes: c.volumes.map((v) => `${v.type}:${(v.source ?? '').replace(corpus, '')}:${v.target}`) }),
    ...(c.ports === undefined
      ? {}
      : { ports: c.ports.map((p) => `${p.hostIp ?? ''}:${p.published ?? ''}:${p.target}/${p.protocol ?? 'tcp'}`) }),
    ...(c.healthcheck === undefined ? {} : { healthcheck: 'disable' in c.healthcheck ? 'disabled' : 'set' }),
  };
}

function planOf(topology: Topology): Record<string, unknown> {
  return {
    instance: topology.instance,
    services: Object.fromEntries(Object.entries(topology.services).map(([name, spec]) => [name, brief(spec)])),
    networks: Object.keys(topology.networks ?? {}),
    volumes: Object.keys(topology.volumes ?? {}),
    secrets: Object.keys(topology.secrets ?? {}),
  };
}

describe('the compose corpus', () => {
  it('holds more than 30 attributed files', () => {
    expect(manifest.length).toBeGreaterThan(30);
    for (const e of manifest) expect(e.commit).toMatch(/^[0-9a-f]{40}$/);
  });

  it.each(manifest.filter((e) => e.offline).map((e) => [e.dir, e] as const))(
    '%s (offline) runs only the busybox test image, or builds from it',
    async (_, entry) => {
      const file = join(corpus, entry.dir, entry.file);
      const env = { DIVE_TEST_IMAGE: 'dive-test-busybox:test' };
      const loaded = (await loadTopology(file, { env, instance: 'USA', profiles: ['*'] }))._unsafeUnwrap();
      for (const spec of Object.values(loaded.topology.services)) {
        const c = spec.container ?? {};
        if (c.build === undefined) expect(c.image).toBe('dive-test-busybox:test');
        else {
          expect(c.build.args?.['BASE']).toBe('dive-test-busybox:test');
          expect(readFileSync(join(c.build.context, c.build.dockerfile ?? 'Dockerfile'), 'utf8')).toMatch(
            /^FROM \$\{BASE\}$/m,
          );
        }
      }
    },
  );

  it.each(manifest.map((e) => [e.dir, e] as const))('%s plans with its documented result', async (_, entry) => {
    const file = join(corpus, entry.dir, entry.file);
    const loaded = await loadTopology(file, { env: { HOME: '/home/user' }, instance: 'USA' });
    const result = loaded.match(
      (l) => ({ plans: planOf(l.topology), warnings: l.warnings.map((w) => w.replace(file, entry.file)) }),
      (e) => ({
        refused: e._tag,
        problems: ((e.context['problems'] ?? []) as TopologyProblem[]).map(
          (p) => `${p.line ?? '?'} ${p.path}: ${p.message.replaceAll(corpus, '')}`,
        ),
      }),
    );
    await expect(`${JSON.stringify(result, null, 2)}\n`).toMatchFileSnapshot(join(corpus, entry.dir, 'expected.json'));
  });
});
