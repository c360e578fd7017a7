import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { TopologyProblem } from '../topology/problems.js';
import { loadFleet } from './load-fleet.js';

const dir = mkdtempSync(join(tmpdir(), 'dive-load-fleet-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const write = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
write('hub.yaml', 'instance: USA\nservices:\n  db: { process: { command: sleep, args: ["60"] } }\n');
write('spoke.yaml', 'instance: XXX\nservices:\n  api: { process: { command: sleep, args: ["60"] } }\n');
const fleetFile = (text: string): string => write(`fleet-${n++}.yaml`, text);

describe('loadFleet', () => {
  it('reads instances, waves in both forms and gates; topologies take the fleet code as their instance', async () => {
    const file = fleetFile(`fleet: coalition
instances:
  USA: { topology: hub.yaml, docker: unix:///var/run/docker.sock }
  EST: { topology: spoke.yaml, docker: tcp://127.0.0.2:2376, tls: { ca: certs/ca.pem, cert: certs/cert.pem, key: certs/key.pem } }
  NZL: { topology: ./spoke.yaml }
waves:
  - [USA]
  - { instances: [EST], gate: { http: { url: "http://127.0.0.1:8080/health", expectStatus: 200 }, timeoutMs: 5000 } }
  - { instances: [NZL], maxParallel: 3, gate: { approval: true } }
onGateFailure: halt
`);
    const fleet = (await loadFleet(file))._unsafeUnwrap();
    expect(fleet.name).toBe('coalition');
    expect(fleet.waves.map((w) => w.instances)).toEqual([['USA'], ['EST'], ['NZL']]);
    expect(fleet.waves[1]?.gate?.http?.expectStatus).toBe(200);
    expect(fleet.waves[2]).toMatchObject({ maxParallel: 3, gate: { approval: true } });
    expect(fleet.onGateFailure).toBe('halt');
    expect(fleet.instances['EST']?.topology.instance).toBe('EST');
    expect(fleet.instances['NZL']?.topology.instance).toBe('NZL');
    expect(fleet.instances['EST']?.tls?.ca).toBe(join(dir, 'certs/ca.pem'));
    expect(fleet.topologyFiles['NZL']).toBe(join(dir, 'spoke.yaml'));
    // process services run in their topology file's directory
    expect(fleet.instances['USA']?.topology.services['db']?.process?.cwd).toBe(dir);
  });

  it('every problem at once, with the file and line: undefined, doubled and missing instances, bad keys', async () => {
    const file = fleetFile(`fleet: coalition
instances:
  USA: { topology: hub.yaml }
  EST: { topology: spoke.yaml, tls: { ca: a, cert: b, key: c } }
  NZL: { topology: spoke.yaml }
  gbr: { topology: spoke.yaml }
waves:
  - [USA, GBR]
  - { instances: [USA], maxParallel: 0 }
  - { instances: [EST], gate: {} }
onGateFailure: retry
`);
    const e = (await loadFleet(file))._unsafeUnwrapErr();
    expect(e._tag).toBe('ConfigInvalidError');
    const problems = (e.context as { problems: TopologyProblem[] }).problems;
    const at = (path: string) => problems.find((p) => p.path === path);
    expect(at('instances.gbr')?.line).toBe(6);
    expect(at('waves[1].maxParallel')?.line).toBe(9);
    expect(at('waves[2].gate')?.message).toMatch(/at least one check/);
    expect(at('onGateFailure')?.line).toBe(11);
    expect(problems.every((p) => p.file === file)).toBe(true);
  });

  it('cross-checks once the schema passes: a wave names an undefined instance, one instance twice, one in none', async () => {
    const file = fleetFile(`fleet: coalition
instances:
  USA: { topology: hub.yaml }
  EST: { topology: spoke.yaml, docker: ssh://deploy@127.0.0.1, tls: { ca: a, cert: b, key: c } }
  NZL: { topology: spoke.yaml }
waves:
  - [USA, GBR]
  - { instances: [USA, EST] }
`);
    const e = (await loadFleet(file))._unsafeUnwrapErr();
    const problems = (e.context as { problems: TopologyProblem[] }).problems;
    expect(problems.map((p) => [p.line, p.path, p.message])).toEqual([
      [4, 'instances.EST.tls', 'tls needs a tcp:// docker host'],
      [5, 'instances.NZL', 'instance NZL is in no wave'],
      [7, 'waves[0][1]', 'instance GBR is not defined under instances'],
      [8, 'waves[1].instances[0]', 'instance USA is already in wave 1'],
    ]);
  });

  it("a topology's problems are reported with its own file and line; a missing topology names the instance", async () => {
    write('bad.yaml', 'instance: USA\nservices:\n  db: { process: { command: sleep }, dependsOn: [nope] }\n');
    const file = fleetFile(`fleet: f1
instances:
  USA: { topology: bad.yaml }
  EST: { topology: missing.yaml }
waves: [[USA, EST]]
`);
    const e = (await loadFleet(file))._unsafeUnwrapErr();
    const problems = (e.context as { problems: TopologyProblem[] }).problems;
    expect(problems.find((p) => p.file === join(dir, 'bad.yaml'))?.line).toBe(3);
    expect(problems.find((p) => p.path === 'instances.EST.topology')?.message).toMatch(/missing\.yaml/);
  });

  it('a fleet file that cannot be read is ConfigMissingError; bad YAML is ConfigInvalidError with its line', async () => {
    expect((await loadFleet(join(dir, 'none.yaml')))._unsafeUnwrapErr()._tag).toBe('ConfigMissingError');
    const e = (await loadFleet(fleetFile('fleet: x\ninstances: {\n')))._unsafeUnwrapErr();
    expect(e._tag).toBe('ConfigInvalidError');
    expect((e.context as { problems: TopologyProblem[] }).problems[0]?.line).toBeGreaterThan(0);
  });
  it('a topology used by several instances is validated once: its problems listed once, naming its users', async () => {
    write('bad-spoke.yaml', 'services:\n  api: { process: { command: sleep }, dependsOn: [nope] }\n');
    const file = fleetFile(`fleet: shared
instances:
  USA: { topology: hub.yaml }
  EST: { topology: bad-spoke.yaml }
  NZL: { topology: bad-spoke.yaml }
  GBR: { topology: ./bad-spoke.yaml }
waves: [[USA], [EST, NZL, GBR]]
`);
    const e = (await loadFleet(file))._unsafeUnwrapErr();
    expect(e._tag).toBe('ConfigInvalidError');
    const problems = (e.context as { problems: TopologyProblem[] }).problems;
    const inSpoke = problems.filter((p) => p.file === join(dir, 'bad-spoke.yaml'));
    expect(inSpoke.map((p) => [p.path, p.line])).toEqual([['services.api.dependsOn[0]', 2]]);
    const header = problems.filter((p) => p.file === file);
    expect(header).toHaveLength(1);
    expect(header[0]).toMatchObject({ path: 'instances.EST.topology', line: 4 });
    expect(header[0]?.message).toContain('used by EST, GBR, NZL');
    expect(e.message.split('dependsOn[0]')).toHaveLength(2); // the problem once in the message too
  });

  it('a missing topology shared by instances is one problem naming them all', async () => {
    const file = fleetFile(`fleet: gone
instances:
  EST: { topology: nowhere.yaml }
  NZL: { topology: nowhere.yaml }
waves: [[EST, NZL]]
`);
    const problems = ((await loadFleet(file))._unsafeUnwrapErr().context as { problems: TopologyProblem[] }).problems;
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ path: 'instances.EST.topology', file, line: 3 });
    expect(problems[0]?.message).toMatch(/nowhere\.yaml.*used by EST, NZL/);
  });

  it('a topology without its own instance takes each instance code from the fleet (not read as Compose)', async () => {
    write(
      'plain-spoke.yaml',
      'services:\n  db: { process: { command: sleep, args: ["60"] } }\n  api: { process: { command: sleep, args: ["60"] }, dependsOn: [db] }\n',
    );
    const file = fleetFile(`fleet: plain
instances:
  EST: { topology: plain-spoke.yaml }
  NZL: { topology: plain-spoke.yaml }
waves: [[EST, NZL]]
`);
    const fleet = (await loadFleet(file))._unsafeUnwrap();
    expect(fleet.instances['EST']?.topology.instance).toBe('EST');
    expect(fleet.instances['NZL']?.topology.instance).toBe('NZL');
    expect(fleet.instances['NZL']?.topology.services['api']?.dependsOn).toEqual(['db']);
    expect(fleet.warnings).toEqual([]);
  });
});
