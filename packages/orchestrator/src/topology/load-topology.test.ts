import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { composeToTopology } from './compose/import.js';
import { loadTopology, parseTopologyText } from './load-topology.js';
import type { TopologyProblem } from './problems.js';

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const SECRET_VALUE = 's3cr3t-never-printed';

/** The problems of a text that must fail with ConfigInvalidError. */
function problemsOf(text: string, file = 'dive.yaml', env: Record<string, string> = {}): TopologyProblem[] {
  const result = parseTopologyText(text, file, { env });
  if (!(result instanceof Error)) throw new Error('expected an error');
  expect(result._tag).toBe('ConfigInvalidError');
  expect(result.code).toBe(1002);
  return result.context['problems'] as TopologyProblem[];
}
const brief = (ps: TopologyProblem[]) => ps.map((p) => `${p.line ?? '?'} ${p.path}`);

describe('loadTopology: files', () => {
  it('loads the hub fixture (processes, secrets listed by name)', async () => {
    const loaded = (
      await loadTopology(fixture('hub.yaml'), { env: { KEYCLOAK_ADMIN_PASSWORD: SECRET_VALUE } })
    )._unsafeUnwrap();
    expect(loaded.format).toBe('dive');
    expect(loaded.topology.instance).toBe('USA');
    expect(Object.keys(loaded.topology.services)).toEqual([
      'postgres',
      'mongodb',
      'redis',
      'opa',
      'keycloak',
      'backend',
      'frontend',
      'kas',
      'opal-client',
    ]);
    expect(loaded.topology.services['kas']?.dependsOn).toEqual(['mongodb', 'backend']);
    expect(loaded.secrets).toEqual(['KEYCLOAK_ADMIN_PASSWORD']);
    expect(loaded.warnings).toEqual([]);
    expect(JSON.stringify(loaded)).not.toContain(SECRET_VALUE);
  });

  it('names the file and the line of every problem in the invalid fixture', async () => {
    const error = (await loadTopology(fixture('invalid.yaml'), { env: {} }))._unsafeUnwrapErr();
    expect(error._tag).toBe('ConfigInvalidError');
    const problems = error.context['problems'] as TopologyProblem[];
    expect(problems.every((p) => p.file === fixture('invalid.yaml'))).toBe(true);
    expect(brief(problems)).toEqual([
      '1 instance',
      '2 servics',
      '7 services.db.container.network',
      '10 services.db.health[0].port',
      '14 services.api.process.stopGraceMs',
      '16 services.api.health[0]',
      '19 services.api.dependsOn[1]',
      '20 services.api.retry.attempts',
      '21 services.both',
      '24 services.both.dependsOn.db',
      '25 services.neither',
      '26 services.neither.startTimeoutMs',
    ]);
    expect(error.message).toContain(
      `${fixture('invalid.yaml')}:19: services.api.dependsOn[1]: service 'api' depends on 'dbb'`,
    );
  });

  it('returns ConfigMissingError for a missing file, naming it', async () => {
    const error = (await loadTopology(fixture('nope.yaml')))._unsafeUnwrapErr();
    expect(error._tag).toBe('ConfigMissingError');
    expect(error.code).toBe(1001);
    expect(error.message).toContain('nope.yaml');
    expect(error.message).toContain('ENOENT');
  });
});

describe('loadTopology: syntax', () => {
  it('reports malformed YAML with its line', () => {
    const ps = problemsOf('instance: USA\nservices:\n  a: [\n');
    expect(ps).toHaveLength(1);
    expect(ps[0]?.line).toBe(4);
    expect(ps[0]?.message).toMatch(/^invalid YAML/);
  });

  it('refuses a document that expands aliases without bound', () => {
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]',
      'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]',
      'd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]',
    ];
    expect(problemsOf(bomb.join('\n'))[0]?.message).toMatch(/^invalid YAML: .*alias/i);
  });

  it('reports duplicate YAML keys', () => {
    expect(problemsOf('instance: USA\ninstance: EST\nservices: {}\n')[0]?.line).toBe(2);
  });

  it('reports a JSON syntax error with line and column', () => {
    const ps = problemsOf('{\n  "instance": "USA",\n  "services": {,}\n}', 'dive.json');
    expect(ps[0]?.line).toBe(3);
    expect(ps[0]?.message).toMatch(/^invalid JSON at line 3, column \d+/);
  });

  it('reports duplicate JSON keys with their line', () => {
    const ps = problemsOf('{\n  "instance": "USA",\n  "instance": "EST",\n  "services": {}\n}', 'dive.json');
    expect(ps.map((p) => p.line)).toEqual([3]);
    expect(ps[0]?.message).toMatch(/^invalid JSON/);
  });

  it('drops top-level x- keys of dive files (YAML anchors live there)', () => {
    const text = 'x-proc: &proc { command: node }\ninstance: USA\nservices:\n  a: { process: *proc }\n';
    const loaded = parseTopologyText(text, 'dive.yaml', { env: {} });
    if (loaded instanceof Error) throw loaded;
    expect(loaded.topology).toEqual({ instance: 'USA', services: { a: { process: { command: 'node' } } } });
  });

  it('maps JSON schema problems to lines', () => {
    const json = JSON.stringify(
      { instance: 'USA', services: { a: { process: { command: 'x' }, dependsOn: ['b'] } } },
      null,
      2,
    );
    expect(brief(problemsOf(json, 'dive.json'))).toEqual(['9 services.a.dependsOn[0]']);
  });

  it('a dive file without instance (its services have process or container) is refused naming the field', () => {
    const text =
      'services:\n  db: { process: { command: sleep } }\n  api: { process: { command: sleep }, dependsOn: [db] }\n';
    const problems = problemsOf(text, 'spoke.yaml');
    expect(brief(problems)).toEqual(['1 instance']);
    expect(problems[0]?.message).toMatch(/is required.*fleet file supplies it/);
  });

  it('the instance option supplies a dive file without its own; a file that has one keeps it', () => {
    const text = 'services:\n  web: { container: { image: busybox } }\n';
    const loaded = parseTopologyText(text, 'spoke.yaml', { env: {}, instance: 'EST' });
    if (loaded instanceof Error) throw loaded;
    expect([loaded.format, loaded.topology.instance]).toEqual(['dive', 'EST']);
    const own = parseTopologyText(`instance: USA\n${text}`, 'hub.yaml', { env: {}, instance: 'EST' });
    if (own instanceof Error) throw own;
    expect(own.topology.instance).toBe('USA');
  });

  it('points a missing required field at its parent', () => {
    expect(brief(problemsOf('instance: USA\nservices:\n  a:\n    container:\n      network: none\n'))).toEqual([
      '4 services.a.container',
    ]);
  });
});

describe('loadTopology: interpolation and secrets', () => {
  const text = [
    'instance: ${INSTANCE}',
    'services:',
    '  a:',
    '    process:',
    '      command: ${CMD:-node}',
    '      args: ["${ARG}", "$${LITERAL}"]',
    '      env: { PASSWORD: { secret: DB_PASSWORD }, TOKEN: { secret: API_TOKEN } }',
  ].join('\n');

  it('interpolates ${VAR}, ${VAR:-default} and $$', () => {
    const loaded = parseTopologyText(text, 'dive.yaml', {
      env: { INSTANCE: 'NZL', ARG: 'x', DB_PASSWORD: SECRET_VALUE, API_TOKEN: SECRET_VALUE },
    });
    if (loaded instanceof Error) throw loaded;
    expect(loaded.topology.instance).toBe('NZL');
    expect(loaded.topology.services['a']?.process).toMatchObject({ command: 'node', args: ['x', '${LITERAL}'] });
    expect(loaded.secrets).toEqual(['API_TOKEN', 'DB_PASSWORD']);
    expect(JSON.stringify(loaded)).not.toContain(SECRET_VALUE);
  });

  it('reads an unquoted interpolated number as a number, a quoted one as a string', () => {
    const loaded = parseTopologyText(
      'instance: USA\nservices:\n  a:\n    process: { command: x, args: ["${PORT}"] }\n    health:\n      - type: tcp\n        port: ${PORT}\n',
      'dive.yaml',
      { env: { PORT: '8080' } },
    );
    if (loaded instanceof Error) throw loaded;
    expect(loaded.topology.services['a']).toMatchObject({
      process: { args: ['8080'] },
      health: [{ type: 'tcp', port: 8080 }],
    });
  });

  it('x-dive.plain leaves its variables out of the interpolated (secret) ones', () => {
    const loaded = parseTopologyText(
      'instance: USA\nx-dive: { plain: [TAG] }\nservices:\n  a:\n    process: { command: x, args: ["${TAG}", "${PW}"] }\n',
      'dive.yaml',
      { env: { TAG: 'v1', PW: 'secret-value' } },
    );
    if (loaded instanceof Error) throw loaded;
    expect(loaded.interpolated).toEqual(['PW']);
    expect(loaded.topology.services['a']?.process?.args).toEqual(['v1', 'secret-value']);
  });

  it('reports each unset variable with its field and line', () => {
    const ps = problemsOf(text, 'dive.yaml', { DB_PASSWORD: SECRET_VALUE, API_TOKEN: SECRET_VALUE });
    expect(brief(ps)).toEqual(['1 instance', '6 services.a.process.args[0]']);
    expect(ps[1]?.message).toContain('ARG');
  });

  it('returns SecretUnavailableError naming every missing secret variable', () => {
    const result = parseTopologyText(text, 'dive.yaml', { env: { INSTANCE: 'USA', ARG: 'x' } });
    if (!(result instanceof Error)) throw new Error('expected an error');
    expect(result._tag).toBe('SecretUnavailableError');
    expect(result.code).toBe(1003);
    expect(result.context['variables']).toEqual(['API_TOKEN', 'DB_PASSWORD']);
    expect(result.message).toContain('dive.yaml:7');
  });

  it('never puts a secret value in an error or a warning', () => {
    const env = { DB_PASSWORD: SECRET_VALUE, API_TOKEN: SECRET_VALUE };
    const broken = `${text}\n  b:\n    container: { image: x, network: bridge, environment: { S: { secret: DB_PASSWORD } } }\n    dependsOn: [zz]\n`;
    const result = parseTopologyText(broken, 'dive.yaml', { env });
    if (!(result instanceof Error)) throw new Error('expected an error');
    expect(result.message).not.toContain(SECRET_VALUE);
    expect(JSON.stringify(result.context)).not.toContain(SECRET_VALUE);
    const compose = parseTopologyText(
      'services:\n  a:\n    image: x\n    ports: ["1:1"]\n    environment: [DB_PASSWORD]\n',
      'compose.yaml',
      { env, instance: 'USA', composer: composeToTopology },
    );
    if (compose instanceof Error) throw compose;
    expect(compose.warnings.join('\n')).not.toContain(SECRET_VALUE);
  });
});
