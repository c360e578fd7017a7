import { describe, expect, it } from 'vitest';
import { containerOf, importText, messages } from './test-support.js';

const names = (result: ReturnType<typeof importText>): string[] => Object.keys(result.topology['services'] as object);

describe('profiles', () => {
  const file = [
    'services:',
    '  web: { image: x }',
    '  debug: { image: x, profiles: [debug] }',
    '  both: { image: x, profiles: [debug, ops] }',
    '',
  ].join('\n');

  it('deploys services with profiles only when one is active', () => {
    expect(names(importText(file))).toEqual(['web']);
    expect(names(importText(file, { profiles: ['ops'] }))).toEqual(['web', 'both']);
    expect(names(importText(file, { env: { COMPOSE_PROFILES: 'debug' } }))).toEqual(['web', 'debug', 'both']);
    expect(names(importText(file, { profiles: ['*'] }))).toEqual(['web', 'debug', 'both']);
  });

  it('refuses a dependency on a service left out by its profile, unless it is not required', () => {
    const result = importText(
      'services:\n  web: { image: x, depends_on: [tool] }\n  opt: { image: x, depends_on: { tool: { condition: service_started, required: false } } }\n  tool: { image: x, profiles: [tools] }\n',
    );
    expect(messages(result.problems)).toEqual([
      "services.web.depends_on.0: service 'web' depends on 'tool', which is only in profile(s) tools: pass --profile to deploy it",
    ]);
  });
});

describe('extends', () => {
  it('merges a service of the same file: maps by key, lists appended, command replaced', () => {
    const result = importText(
      [
        'services:',
        '  base:',
        '    image: x',
        '    command: [base]',
        '    environment: [A=1, B=1]',
        '    ports: ["80"]',
        '    volumes: ["./a:/data", "/keep"]',
        '  a:',
        '    extends: base',
        '    command: [own]',
        '    environment: { B: "2" }',
        '    ports: ["81"]',
        '    volumes: ["./b:/data"]',
        '',
      ].join('\n'),
    );
    expect(result.problems).toEqual([]);
    expect(containerOf(result)).toMatchObject({
      image: 'x',
      command: ['own'],
      environment: { A: '1', B: '2' },
      ports: [{ target: 80 }, { target: 81 }],
      volumes: [
        { type: 'volume', target: '/keep' },
        { type: 'bind', source: '/project/b', target: '/data' },
      ],
    });
  });

  it('reads a base from another file, its relative paths against that file', () => {
    const result = importText(
      'services:\n  a:\n    extends: { file: common/base.yml, service: webapp }\n    ports: ["81:80"]\n',
      {
        files: {
          '/project/common/base.yml':
            'services:\n  webapp:\n    build: .\n    env_file: web.env\n    volumes: ["./data:/d"]\n  other: { extends: webapp }\n',
          '/project/common/web.env': 'FROM_BASE=1\n',
        },
      },
    );
    expect(result.problems).toEqual([]);
    expect(containerOf(result)).toMatchObject({
      build: { context: '/project/common' },
      environment: { FROM_BASE: '1' },
      volumes: [{ type: 'bind', source: '/project/common/data', target: '/d' }],
      ports: [{ target: 80, published: 81 }],
    });
  });

  it('refuses cycles, unknown services and unreadable files', () => {
    const result = importText(
      'services:\n  a: { extends: b, image: x }\n  b: { extends: a, image: x }\n  c: { extends: ghost, image: x }\n  d: { extends: { file: none.yml, service: x }, image: x }\n',
    );
    expect(messages(result.problems)).toEqual([
      'services.a.extends: extends cycle: /project/compose.yaml#a → /project/compose.yaml#b → /project/compose.yaml#a',
      'services.b.extends: extends cycle: /project/compose.yaml#b → /project/compose.yaml#a → /project/compose.yaml#b',
      "services.c.extends: extends service 'ghost', which is not defined in /project/compose.yaml",
      'services.d.extends.file: /project/none.yml cannot be read',
    ]);
  });
});

describe('include', () => {
  it('adds the services, networks and volumes of included files, paths against their own directory', () => {
    const result = importText('include: [db/compose.yaml]\nservices:\n  web: { image: x, depends_on: [db] }\n', {
      files: {
        '/project/db/compose.yaml':
          'services:\n  db: { image: postgres, volumes: ["data:/var/lib/postgresql/data", "./init:/docker-entrypoint-initdb.d"] }\nvolumes: { data: {} }\nsecrets: { pw: { file: pw.txt } }\n',
      },
    });
    expect(result.problems).toEqual([]);
    expect(names(result)).toEqual(['db', 'web']);
    expect(containerOf(result, 'db')['volumes']).toEqual([
      { type: 'volume', source: 'data', target: '/var/lib/postgresql/data' },
      { type: 'bind', source: '/project/db/init', target: '/docker-entrypoint-initdb.d', createHostPath: true },
    ]);
    expect(result.topology['secrets']).toEqual({ pw: { file: '/project/db/pw.txt' } });
  });

  it('refuses a name defined twice, an invalid file and a missing one', () => {
    const result = importText('include: [a.yaml, { path: [b.yaml, c.yaml] }]\nservices:\n  web: { image: x }\n', {
      files: {
        '/project/a.yaml': 'services:\n  web: { image: y }\n',
        '/project/b.yaml': 'services:\n  z: { image: y, portz: 1 }\n',
      },
    });
    expect(messages(result.problems)).toEqual([
      "include.0: service 'web' from /project/a.yaml is already defined",
      "include.1: /project/b.yaml: services.z.portz: unknown key 'portz' (did you mean 'ports'?)",
      'include.1: /project/c.yaml cannot be read',
    ]);
  });
});

describe('instance code', () => {
  const file = 'x-dive: { instance: XDV }\nservices:\n  a: { image: x }\n';
  const instanceOf = (r: ReturnType<typeof importText>): unknown => r.topology['instance'];

  it('takes --instance, then DIVE_INSTANCE, then x-dive.instance', () => {
    expect(instanceOf(importText(file, { instance: 'CLI', env: { DIVE_INSTANCE: 'ENV' } }))).toBe('CLI');
    expect(instanceOf(importText(file, { noInstance: true, env: { DIVE_INSTANCE: 'ENV' } }))).toBe('ENV');
    expect(instanceOf(importText(file, { noInstance: true }))).toBe('XDV');
  });

  it('is refused, naming all three ways, when none is given', () => {
    const result = importText('services:\n  a: { image: x }\n', { noInstance: true });
    expect(result.problems).toEqual([
      { path: [], message: expect.stringMatching(/--instance.*DIVE_INSTANCE.*x-dive/) },
    ]);
  });
});

describe('secrets and configs', () => {
  it('maps file sources and service references', () => {
    const result = importText(
      'services:\n  a:\n    image: x\n    secrets: [pw, { source: cert, target: server.crt, mode: 0400 }]\n    configs: [{ source: conf, target: /etc/app.conf }]\nsecrets:\n  pw: { file: ./pw.txt }\n  cert: { file: /abs/cert }\nconfigs:\n  conf: { file: app.conf }\n',
    );
    expect(result.problems).toEqual([]);
    expect(containerOf(result)).toMatchObject({
      secrets: [{ source: 'pw' }, { source: 'cert', target: 'server.crt' }],
      configs: [{ source: 'conf', target: '/etc/app.conf' }],
    });
    expect(result.topology['secrets']).toEqual({ pw: { file: '/project/pw.txt' }, cert: { file: '/abs/cert' } });
    expect(result.topology['configs']).toEqual({ conf: { file: '/project/app.conf' } });
    expect(messages(result.warnings)).toEqual(["services.a.secrets.1.mode: service 'a': secret 'mode' is ignored"]);
  });

  it('refuses other sources and undeclared references', () => {
    const result = importText(
      'services:\n  a: { image: x, secrets: [ghost] }\nsecrets:\n  env: { environment: TOKEN }\nconfigs:\n  inline: { content: hello }\n',
    );
    expect(messages(result.problems)).toEqual([
      "secrets.env: only file: sources are supported (not 'environment')",
      "configs.inline: only file: sources are supported (not 'content')",
      "services.a.secrets.0: service 'a' uses secret 'ghost', which is not declared",
    ]);
  });
});
