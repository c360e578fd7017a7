import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { inProcessDive } from '../run-cli.test-helpers.js';

// `dive fleet …` end to end in-process, on the file state and the process runtime (no Docker needed).
const dir = mkdtempSync(join(tmpdir(), 'dive-fleet-cli-'));
const fleetName = `cli-${process.pid}`;

const dive = inProcessDive(dir);

const service = '{ process: { command: sleep, args: ["120"] } }';
writeFileSync(
  join(dir, 'hub.yaml'),
  `instance: USA\nservices:\n  db: ${service}\n  api: { process: { command: sleep, args: ["120"] }, dependsOn: [db] }\n`,
);
// the fleet gives each spoke its code: spoke.yaml has no `instance:` of its own
writeFileSync(join(dir, 'spoke.yaml'), `services:\n  api: ${service}\n`);
writeFileSync(
  join(dir, 'fleet.yaml'),
  `fleet: ${fleetName}
instances:
  USA: { topology: hub.yaml, runtime: process }
  EST: { topology: spoke.yaml, runtime: process }
  NZL: { topology: spoke.yaml, runtime: process }
waves:
  - [USA]
  - { instances: [EST, NZL], maxParallel: 2, gate: { command: { run: "true" }, timeoutMs: 10000 } }
`,
);

afterAll(async () => {
  await dive('fleet', 'down', '-f', 'fleet.yaml', '--progress', 'quiet');
  rmSync(dir, { recursive: true, force: true });
});

describe('dive fleet', () => {
  it('plan prints the waves, instances and gates', async () => {
    const r = await dive('fleet', 'plan');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/wave 1: USA/);
    expect(r.stdout).toMatch(/wave 2: EST, NZL \(at most 2 at once\)/);
    expect(r.stdout).toMatch(/gate wave-2: command true/);
  });

  it('deploy runs the waves and reports each instance and wave; status and the store agree', async () => {
    const r = await dive('--json', '--progress', 'plain', 'fleet', 'deploy', '-f', 'fleet.yaml');
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { state: string; waves: { status: string; gate?: { passed: boolean } }[] };
    expect(report.state).toBe('COMPLETE');
    expect(report.waves.map((w) => w.status)).toEqual(['COMPLETE', 'COMPLETE']);
    expect(report.waves[1]?.gate?.passed).toBe(true);
    expect(r.stderr).toMatch(/wave 2: EST, NZL/);
    expect(r.stderr).toMatch(/gate wave-2: passed/);
    const status = await dive('--json', 'fleet', 'status');
    const s = JSON.parse(status.stdout) as { run: { state: string; instances: { status: string }[] } };
    expect(s.run.state).toBe('COMPLETE');
    expect(s.run.instances.map((i) => i.status)).toEqual(['COMPLETE', 'COMPLETE', 'COMPLETE']);
    const usa = await dive('--json', 'status', 'USA');
    expect(usa.code).toBe(0);
    expect(usa.stdout).toMatch(/"COMPLETE"/);
  });

  it('pause and resume set the flag any process reads; approve without a waiting gate is a usage error', async () => {
    expect((await dive('fleet', 'pause')).code).toBe(0);
    expect((await dive('fleet', 'status')).stdout).toMatch(/PAUSED \(by /);
    expect((await dive('fleet', 'resume')).code).toBe(0);
    expect((await dive('fleet', 'status')).stdout).toMatch(/not paused/);
    expect((await dive('fleet', 'approve')).code).toBe(2);
  });

  it('a fleet file with a problem exits 2 naming the file and line', async () => {
    writeFileSync(
      join(dir, 'bad.yaml'),
      'fleet: x\ninstances:\n  USA: { topology: hub.yaml }\nwaves:\n  - [USA, GBR]\n',
    );
    const r = await dive('fleet', 'deploy', '-f', 'bad.yaml');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.yaml:5: waves\[0\]\[1\]: instance GBR is not defined/);
  });

  it('the spoke without instance: deployed alone is refused naming the field (exit 2); --instance supplies it', async () => {
    const alone = await dive('deploy', '-f', 'spoke.yaml', '--dry-run');
    expect(alone.code).toBe(2);
    expect(alone.stderr).toMatch(/spoke\.yaml:1: instance: is required/);
    const named = await dive('deploy', '-f', 'spoke.yaml', '--instance', 'GBR', '--dry-run');
    expect(named.code, named.stderr).toBe(0);
    expect(named.stdout).toContain('GBR');
  });

  it('down stops every instance, last wave first, on the runtime each was deployed with', async () => {
    // the same fleet, whose file now names a Docker host that does not exist: its processes are taken down anyway
    writeFileSync(
      join(dir, 'moved.yaml'),
      `fleet: ${fleetName}
instances:
  USA: { topology: hub.yaml, docker: unix:///nonexistent/docker.sock }
  EST: { topology: spoke.yaml, docker: unix:///nonexistent/docker.sock }
  NZL: { topology: spoke.yaml, docker: unix:///nonexistent/docker.sock }
waves:
  - [USA]
  - [EST, NZL]
`,
    );
    const r = await dive('fleet', 'down', '-f', 'moved.yaml', '--progress', 'quiet');
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stderr.split('\n').filter((l) => l !== '');
    expect(lines.map((l) => l.slice(0, 3))).toEqual(['EST', 'NZL', 'USA']);
    expect(lines[2]).toMatch(/^USA: COMPLETE → .*stopped .*api.* \(on the process runtime it was deployed with\)$/);
  });
});
