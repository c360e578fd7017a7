// Fault suite (issue 15): the Docker daemon restarted mid-deploy. The test runs its OWN dockerd (own data-root,
// exec-root, pidfile and socket; no bridge, no iptables) so it may restart it; the shared engine is never touched.
// The built `dive deploy --runtime docker` ends with a clear result (never a hang), and its containers are found
// again by their labels: `dive down` removes them.
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSecondDockerd, type SecondDockerd } from '@dive/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dive, isEvent, requireBuiltBin, spawnDive, tempDir } from './faults.test-helpers.js';

let dir: string;
let engine: SecondDockerd;
let image: string;

const docker = (...args: string[]) =>
  spawnSync('docker', ['-H', engine.socketUrl, ...args], { encoding: 'utf8', timeout: 60_000 });

beforeAll(async () => {
  requireBuiltBin();
  dir = tempDir('cli-dockerd');
  // The test's own engine (unix socket only), with the busybox test image built in it (no registry is reachable).
  engine = await startSecondDockerd({ tls: false });
  image = engine.image;
}, 180_000);

afterAll(async () => {
  await engine.stop();
  rmSync(dir, { recursive: true, force: true });
}, 120_000);

const container = (after: string) => `    container:
      image: IMAGE
      network: none
      environment: { HEALTH_MODE: flip, HEALTH_AFTER: '${after}' }
      healthcheck: { test: [CMD, /bin/health], intervalMs: 100, timeoutMs: 1000, retries: 1, startPeriodMs: 10000 }
    health: [{ type: docker }]
`;

describe('the Docker daemon restarted mid-deploy', () => {
  it('dive deploy ends with a clear result (never a hang); the containers are found again by their labels', async () => {
    const file = join(dir, 'dkr.yaml');
    writeFileSync(
      file,
      `instance: DKR\ndefaults:\n  startTimeoutMs: 15000\n  retry: { policy: none, attempts: 1 }\nservices:\n  fast:\n${container('0.2')}  slow:\n${container('6')}    dependsOn: [fast]\n`.replaceAll(
        'IMAGE',
        image,
      ),
    );
    const env = { DOCKER_HOST: engine.socketUrl };
    const state = ['--state', `file:${join(dir, 'state')}`];
    const run = spawnDive(dir, [...state, '--progress', 'json', 'deploy', '-f', file, '--runtime', 'docker'], env);
    await run.until((l) => isEvent(l, 'service-started', { service: 'slow' }));
    await engine.halt();
    await engine.restart();

    const hang = new Promise<'hang'>((r) => setTimeout(() => r('hang'), 90_000).unref());
    const code = await Promise.race([run.exited, hang]);
    if (code === 'hang') run.child.kill('SIGKILL');
    expect(code, run.stderr()).not.toBe('hang');
    expect([0, 1, 4], run.stderr()).toContain(code);
    if (code !== 0) expect(run.stdout() + run.stderr()).toMatch(/error: \d{4} \w+Error/);

    // After the restart the daemon still has them, and DIVE finds them by their labels.
    const labelled = docker('ps', '-aq', '--filter', 'label=dive.instance=DKR').stdout.split('\n').filter(Boolean);
    const down = dive(dir, [...state, 'down', 'DKR', '--runtime', 'docker'], env);
    expect(down.code, down.stderr).toBe(0);
    expect(docker('ps', '-aq', '--filter', 'label=dive.instance=DKR').stdout.trim()).toBe('');
    // What dive left (none when its rollback ran after the restart) was found by label and removed by down.
    expect(down.stdout + down.stderr).toMatch(labelled.length === 0 ? /DKR/ : /stopped|removed/);
  }, 240_000);
});
