import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadTopology, parseTopologyText as parseWithoutComposer } from '../load-topology.js';
import type { TopologyProblem } from '../problems.js';
import { mayBeCompose } from '../read-document.js';
import { composeToTopology } from './import.js';

const parseTopologyText = (...[text, file, options = {}]: Parameters<typeof parseWithoutComposer>) =>
  parseWithoutComposer(text, file, { composer: composeToTopology, ...options });

const fixture = fileURLToPath(new URL('../fixtures/docker-compose.yml', import.meta.url));
const fixtureDir = fileURLToPath(new URL('../fixtures', import.meta.url));

const problems = (text: string, options = {}): string[] => {
  const result = parseTopologyText(text, '/p/compose.yaml', { env: {}, readText: () => undefined, ...options });
  if (!(result instanceof Error)) throw new Error('expected an error');
  expect(result._tag).toBe('ConfigInvalidError');
  return (result.context['problems'] as TopologyProblem[]).map((p) => `${p.line ?? '?'} ${p.path}: ${p.message}`);
};

describe('loading a compose file', () => {
  it('maps the fixture onto a valid topology', async () => {
    const loaded = (await loadTopology(fixture, { env: {} }))._unsafeUnwrap();
    expect(loaded.format).toBe('compose');
    const { instance, services, networks, volumes } = loaded.topology;
    expect(instance).toBe('EST');
    expect(networks).toEqual({ back: { internal: true } });
    expect(volumes).toEqual({ data: {} });
    expect(services['db']).toEqual({
      container: {
        image: 'postgres:16',
        environment: { POSTGRES_PASSWORD: 'example', PGPORT: '5432' },
        healthcheck: {
          test: ['CMD-SHELL', 'pg_isready -U postgres'],
          intervalMs: 90_000,
          timeoutMs: 500,
          retries: 5,
          startPeriodMs: 10_000,
        },
        ports: [{ target: 5432, published: 5432, hostIp: '127.0.0.1' }],
        volumes: [{ type: 'volume', source: 'data', target: '/var/lib/postgresql/data' }],
        networks: { back: {} },
      },
      health: [{ type: 'docker' }],
    });
    expect(services['migrate']).toMatchObject({ kind: 'job', dependsOn: { db: 'healthy' } });
    expect(services['api']).toEqual({
      dependsOn: { db: 'started', migrate: 'completed' },
      container: {
        image: 'busybox',
        entrypoint: ['/bin/sh', '-c'],
        command: ['httpd -f -p 8080'],
        environment: { MODE: 'production', EMPTY: '' },
        labels: { team: 'core' },
        restart: 'unless-stopped',
        build: { context: fixtureDir },
        networks: { back: {}, default: {} },
      },
    });
    expect(services['worker']).toEqual({
      dependsOn: { api: 'started' },
      container: { image: 'busybox', healthcheck: { disable: true }, networkMode: 'none' },
    });
  });

  it('gives one warning per ignored key, with its line', async () => {
    const loaded = (await loadTopology(fixture, { env: {} }))._unsafeUnwrap();
    expect(loaded.warnings.map((w) => w.replace(fixture, 'F'))).toEqual([
      "F:1: top-level 'version' is ignored (obsolete; ignored, as Compose does)",
      "F:10: service 'db': PASSTHROUGH is not set in the environment; left out",
      expect.stringMatching(/^F:41: service 'api': 'links' is ignored/),
    ]);
  });

  it('refuses every problem with compose paths and lines', () => {
    const text = [
      'x-dive: { instance: usa }',
      'services:',
      '  a:',
      '    network_mode: weird',
      '    command: "echo \'unclosed"',
      '    depends_on: { c: { condition: service_started } }',
      '    healthcheck: { test: [CMD, "true"], interval: "10" }',
      '    ports: ["80-81:90"]',
      '  b:',
      '    image: y',
      '    network_mode: "service:ghost"',
    ].join('\n');
    expect(problems(text)).toEqual([
      "3 services.a: service 'a' needs an image or a build",
      '4 services.a.network_mode: must be none, host, bridge, service:NAME or container:NAME',
      '5 services.a.command: has a quote that is not closed',
      '7 services.a.healthcheck.interval: must be a duration like 30s, 1m30s or 500ms',
      '8 services.a.ports[0]: the published and container ranges must have the same length',
      "11 services.b.network_mode: service 'b' shares the network of 'ghost', which is not defined",
    ]);
  });

  it('checks the mapped model too: the instance code and unknown dependencies, at their lines', () => {
    const text = 'x-dive: { instance: usa }\nservices:\n  a:\n    image: x\n    depends_on: [ghost]\n';
    expect(problems(text)).toEqual([
      expect.stringMatching(/^1 x-dive.instance: must be three upper-case letters/),
      expect.stringMatching(/^5 services\.a\.depends_on\.ghost: service 'a' depends on 'ghost', which is not defined/),
    ]);
  });

  it('refuses a dependency cycle once, at the depends_on entry that closes it', () => {
    const text =
      'services:\n  a:\n    image: x\n    depends_on: [b]\n  b:\n    image: x\n    depends_on: { c: { condition: service_healthy } }\n  c:\n    image: x\n    depends_on: [a]\n';
    expect(problems(text, { instance: 'USA' })).toEqual([
      '10 services.c.depends_on.a: dependency cycle: a → b → c → a',
    ]);
  });

  it('refuses a file that is not YAML, with its line', () => {
    expect(problems('services:\n  a:\n    image: [x\n', { instance: 'USA' })).toEqual([
      expect.stringMatching(/^\d+ : invalid YAML: /),
    ]);
  });

  it('refuses what the compose-spec schema refuses, with lines and suggestions', () => {
    expect(problems('services:\n  a:\n    image: x\n    portz: [80]\n    tty: [1]\n', { instance: 'USA' })).toEqual([
      "4 services.a.portz: unknown key 'portz' (did you mean 'ports'?)",
      '5 services.a.tty: must be true or false or a string',
    ]);
  });

  it('names the file and line of each problem in the error message', () => {
    const result = parseTopologyText('services:\n  a:\n    image: x\n    portz: [80]\n', '/p/compose.yaml', {
      env: {},
      instance: 'USA',
    });
    if (!(result instanceof Error)) throw new Error('expected an error');
    expect(result.message).toContain("/p/compose.yaml:4: services.a.portz: unknown key 'portz'");
  });

  it('requires an instance code, naming the three ways to give one', () => {
    expect(problems('services:\n  a:\n    image: x\n')).toEqual([
      expect.stringMatching(/^1 : no instance code: pass --instance USA .*DIVE_INSTANCE.*x-dive/),
    ]);
  });

  it('needs the importer for a Compose file: parseTopologyText alone says so (loadTopology loads it)', () => {
    const result = parseWithoutComposer('services:\n  a:\n    image: x\n', 'compose.yaml', { instance: 'USA' });
    expect(result instanceof Error && result.message).toMatch(/needs the Compose importer/);
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
});

describe('.env, --env-file and DIVE_INSTANCE', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dive-compose-env-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'compose.yaml');
  writeFileSync(
    file,
    'services:\n  a:\n    image: ${IMAGE}\n    environment: { TAG: "${TAG:-none}", HOME_DIR: $HOME }\n',
  );
  writeFileSync(join(dir, '.env'), 'DIVE_INSTANCE=ENV\nIMAGE=from-dotenv\nTAG=dotenv\n');
  writeFileSync(join(dir, 'other.env'), 'DIVE_INSTANCE=OTH\nIMAGE=from-other\n');

  it('reads .env beside the file, under the process environment', async () => {
    const loaded = (await loadTopology(file, { env: { TAG: 'shell', HOME: '/h' } }))._unsafeUnwrap();
    expect(loaded.topology.instance).toBe('ENV');
    expect(loaded.topology.services['a']?.container).toMatchObject({
      image: 'from-dotenv',
      environment: { TAG: 'shell', HOME_DIR: '/h' },
    });
  });

  it('reads --env-file files instead of .env', async () => {
    const loaded = (await loadTopology(file, { env: {}, envFiles: [join(dir, 'other.env')] }))._unsafeUnwrap();
    expect(loaded.topology.instance).toBe('OTH');
    expect(loaded.topology.services['a']?.container?.image).toBe('from-other');
    expect(loaded.warnings.map((w) => w.replace(file, 'F'))).toEqual([
      'F:4: environment variable HOME is not set; defaulting to a blank string',
    ]);
  });

  it('refuses a missing --env-file', async () => {
    const result = await loadTopology(file, { env: {}, envFiles: [join(dir, 'nope.env')] });
    expect(result._unsafeUnwrapErr()._tag).toBe('ConfigInvalidError');
    expect(result._unsafeUnwrapErr().message).toContain('nope.env cannot be read');
  });

  it('refuses ${VAR:?message} when the variable is unset, with the message', () => {
    expect(problems('services:\n  a:\n    image: "${IMG:?set IMG to an image}"\n', { instance: 'USA' })).toEqual([
      '3 services.a.image: required variable IMG: set IMG to an image',
    ]);
  });
});

describe('mayBeCompose (the importer is loaded only for files that may be Compose)', () => {
  it.each([
    ['dive.yaml', 'instance: USA\nservices: {}\n', false],
    ['dive.json', '{\n  "instance": "USA",\n  "services": {}\n}\n', false],
    ['compose.yaml', 'instance: USA\n', true],
    ['stack.yaml', 'x-dive:\n  instance: USA\nservices: {}\n', true],
    ['stack.json', '{\n  "x-dive": {\n    "instance": "USA"\n  },\n  "services": {}\n}\n', true],
  ])('%s: %j → %s', (file, text, expected) => {
    expect(mayBeCompose(file, text, undefined)).toBe(expected);
  });

  it('follows a forced format', () => {
    expect(mayBeCompose('compose.yaml', '', 'dive')).toBe(false);
    expect(mayBeCompose('dive.yaml', 'instance: USA', 'compose')).toBe(true);
  });
});
