import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseComposeDuration } from './compose-duration.js';
import { loadTopology, parseTopologyText } from './load-topology.js';
import type { TopologyProblem } from './problems.js';
import { splitShellWords } from './shell-words.js';

const fixture = fileURLToPath(new URL('./fixtures/docker-compose.yml', import.meta.url));

describe('compose import', () => {
  it('converts every supported key of the fixture', async () => {
    const loaded = (await loadTopology(fixture, { env: {} }))._unsafeUnwrap();
    expect(loaded.format).toBe('compose');
    const { instance, services } = loaded.topology;
    expect(instance).toBe('EST');
    expect(services['db']).toEqual({
      container: {
        image: 'postgres:16',
        environment: { POSTGRES_PASSWORD: 'example', PGPORT: '5432' },
        network: 'host',
        healthcheck: {
          test: ['CMD-SHELL', 'pg_isready -U postgres'],
          intervalMs: 90_000,
          timeoutMs: 500,
          retries: 5,
          startPeriodMs: 10_000,
        },
      },
      health: [{ type: 'docker' }],
    });
    expect(services['migrate']).toMatchObject({
      kind: 'job',
      container: { command: ['sh', '-c', 'echo "migrating db" && sleep 1'] },
      dependsOn: { db: 'healthy' },
    });
    expect(services['api']).toEqual({
      container: {
        image: 'busybox',
        entrypoint: ['/bin/sh', '-c'],
        command: ['httpd -f -p 8080'],
        environment: { MODE: 'production', EMPTY: '' },
        labels: { team: 'core' },
        network: 'none',
      },
      dependsOn: { db: 'started', migrate: 'completed' },
    });
    expect(services['worker']).toEqual({
      container: { image: 'busybox', healthcheck: { test: ['NONE'] } },
      dependsOn: { api: 'started' },
    });
  });

  it('gives one warning per ignored key, naming the service and the key, with the line', async () => {
    const loaded = (await loadTopology(fixture, { env: {} }))._unsafeUnwrap();
    const lines = loaded.warnings.map((w) => w.replace(fixture, 'F'));
    expect(lines).toEqual([
      "F:1: top-level 'version' is ignored",
      "F:10: service 'db': PASSTHROUGH is not set in the environment; left out",
      expect.stringMatching(/^F:18: service 'db': 'ports' is ignored/),
      expect.stringMatching(/^F:19: service 'db': 'volumes' is ignored/),
      "F:36: service 'api': depends_on key 'restart' is ignored",
      expect.stringMatching(/^F:38: service 'api': 'restart' is ignored/),
      expect.stringMatching(/^F:39: service 'api': 'build' is ignored/),
      "F:45: top-level 'volumes' is ignored",
    ]);
  });

  it('passes environment entries without a value through from env', async () => {
    const loaded = (await loadTopology(fixture, { env: { PASSTHROUGH: 'yes' } }))._unsafeUnwrap();
    expect(loaded.topology.services['db']?.container?.environment).toMatchObject({ PASSTHROUGH: 'yes' });
    expect(loaded.warnings.join('\n')).not.toContain('PASSTHROUGH');
  });

  it('takes the instance from the option over x-dive', async () => {
    const loaded = (await loadTopology(fixture, { env: {}, instance: 'NZL' }))._unsafeUnwrap();
    expect(loaded.topology.instance).toBe('NZL');
  });

  it('detects compose by content (services without instance) in any file name', () => {
    const loaded = parseTopologyText('services:\n  a:\n    image: x\n', 'stack.yaml', { env: {}, instance: 'USA' });
    if (loaded instanceof Error) throw loaded;
    expect(loaded.format).toBe('compose');
  });

  it('reads a compose-named file as a dive file when told to', () => {
    const loaded = parseTopologyText('instance: USA\nservices:\n  a: { process: { command: x } }\n', 'compose.yaml', {
      env: {},
      format: 'dive',
    });
    if (loaded instanceof Error) throw loaded;
    expect(loaded.format).toBe('dive');
  });

  const problems = (text: string, options = {}): string[] => {
    const result = parseTopologyText(text, 'compose.yaml', { env: {}, ...options });
    if (!(result instanceof Error)) throw new Error('expected an error');
    expect(result._tag).toBe('ConfigInvalidError');
    return (result.context['problems'] as TopologyProblem[]).map((p) => `${p.line ?? '?'} ${p.path}: ${p.message}`);
  };

  it('requires an instance code', () => {
    expect(problems('services:\n  a:\n    image: x\n')).toEqual([
      expect.stringMatching(/^1 instance: no instance code: pass \{ instance \} or add `x-dive/),
    ]);
  });

  it('rejects every problem with compose paths and lines', () => {
    const text = [
      'x-dive: { instance: usa }',
      'services:',
      '  a:',
      '    network_mode: bridge',
      '    command: "echo \'unclosed"',
      '    depends_on: { b: { condition: service_ready }, c: { condition: service_started } }',
      '    healthcheck: { test: [CMD, "true"], interval: 10 }',
      '  b:',
      '    image: y',
      '    network_mode: "service:a"',
    ].join('\n');
    expect(problems(text)).toEqual([
      expect.stringMatching(/^1 instance: must be three upper-case letters/),
      "3 services.a: service 'a' needs an image or a build",
      '3 services.a.image: must name an image (build is not supported)',
      '4 services.a.network_mode: must be none or host (bridge networks are not allowed)',
      '5 services.a.command: has a quote that is not closed',
      expect.stringMatching(/^6 services\.a\.depends_on\.b: condition must be service_started/),
      "6 services.a.depends_on.c: service 'a' depends on 'c', which is not defined",
      '7 services.a.healthcheck.interval: must be a duration like 30s, 1m30s or 500ms',
      '10 services.b.network_mode: must be none or host (bridge networks are not allowed)',
    ]);
  });
});

describe('splitShellWords', () => {
  it.each([
    ['echo hello  world', ['echo', 'hello', 'world']],
    [`sh -c 'a && b'`, ['sh', '-c', 'a && b']],
    [`say "a \\"quoted\\" word" x\\ y`, ['say', 'a "quoted" word', 'x y']],
    [`a '' b`, ['a', '', 'b']],
    ['', []],
  ])('%s', (text, words) => {
    expect(splitShellWords(text)).toEqual(words);
  });
  it('refuses an unclosed quote', () => {
    expect(splitShellWords(`echo "x`)).toBeUndefined();
  });
});

describe('parseComposeDuration', () => {
  it.each([
    ['1m30s', 90_000],
    ['500ms', 500],
    ['1.5s', 1500],
    ['2h', 7_200_000],
    ['1h1m1s1ms', 3_661_001],
    ['100us', 0],
  ])('%s', (text, ms) => {
    expect(parseComposeDuration(text)).toBe(ms);
  });
  it.each(['', '10', 's', '1x', '1s ', '-1s'])('rejects %j', (text) => {
    expect(parseComposeDuration(text)).toBeUndefined();
  });
});
