// Fault suite (issue 15): SIGTERM to the BUILT `dive deploy` on the process runtime. Once: no new starts, the
// deployment recorded and rolled back, the lock released, exit 130. Twice: exit at once, and `dive down` closes it.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dive, faultSuite, freePort, isEvent, portOpen, service, spawnDive } from './faults.test-helpers.js';

const { dir, cleanups } = faultSuite('cli-signals');

/** fast → slow (listens after 3 s) → last, in a topology file; the ports and the state URL. */
async function threeServices(instance: string) {
  const ports = [await freePort(), await freePort(), await freePort()] as const;
  const file = join(dir, `${instance}.yaml`);
  writeFileSync(
    file,
    `instance: ${instance}\nservices:\n${service('fast', ports[0])}${service('slow', ports[1], {
      listenAfterMs: 3000,
      dependsOn: 'fast',
    })}${service('last', ports[2], { dependsOn: 'slow' })}`,
  );
  const state = `file:${join(dir, `state-${instance}`)}`;
  cleanups.push(() => dive(dir, ['--state', state, 'down', instance]));
  return { ports, file, state };
}

const historyOf = (state: string, instance: string) =>
  (
    JSON.parse(dive(dir, ['--state', state, '--json', 'history', instance]).stdout) as {
      rows: { to: string; reason: string }[];
    }
  ).rows;

describe('SIGTERM to dive deploy', () => {
  it('once: no new starts, recorded as cancelled and rolled back, lock released, exit 130', async () => {
    const { ports, file, state } = await threeServices('TRM');
    const run = spawnDive(dir, ['--state', state, '--progress', 'json', 'deploy', '-f', file]);
    await run.until((l) => isEvent(l, 'service-started', { service: 'slow' }));
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(130);
    expect(run.stderr()).toContain('SIGTERM: finishing cleanly');
    expect(
      run
        .stderr()
        .split('\n')
        .some((l) => isEvent(l, 'service-starting', { service: 'last' })),
    ).toBe(false);
    const rows = historyOf(state, 'TRM');
    expect(rows.some((r) => r.to === 'FAILED' && r.reason === 'cancelled')).toBe(true);
    expect(rows[0]?.to).toBe('UNKNOWN'); // a first deployment is rolled back by tearing it down
    for (const port of ports) expect(await portOpen(port), `a service on ${port} survived`).toBe(false);
    // The lock was released: the next deployment takes it without waiting for a timeout.
    const again = dive(dir, ['--state', state, '--lock-timeout', '1s', 'deploy', '-f', file]);
    expect(again.code, again.stderr).toBe(0);
  }, 120_000);

  it('twice: exits 130 at once; dive down closes what it left (as interrupted) and nothing is left', async () => {
    const { ports, file, state } = await threeServices('TRT');
    const run = spawnDive(dir, ['--state', state, '--progress', 'json', 'deploy', '-f', file]);
    await run.until((l) => isEvent(l, 'service-started', { service: 'slow' }));
    run.child.kill('SIGTERM');
    await run.until((l) => l.startsWith('SIGTERM: finishing cleanly'));
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(130);
    const left = JSON.parse(dive(dir, ['--state', state, '--json', 'status', 'TRT']).stdout) as { state: string }[];
    const unfinished = !['COMPLETE', 'FAILED', 'UNKNOWN'].includes(left[0]?.state ?? '');

    const down = dive(dir, ['--state', state, '--lock-timeout', '5s', 'down', 'TRT']);
    expect(down.code, down.stderr).toBe(0);
    const st = JSON.parse(dive(dir, ['--state', state, '--json', 'status', 'TRT']).stdout) as {
      state: string;
      services: unknown[];
    }[];
    expect(st[0]).toMatchObject({ state: 'UNKNOWN', services: [] });
    // Exited mid-rollback (the usual case): down recorded the interrupted deployment before taking it down.
    if (unfinished) expect(historyOf(state, 'TRT').some((r) => r.reason === 'interrupted')).toBe(true);
    for (const port of ports) expect(await portOpen(port), `a service on ${port} survived`).toBe(false);
    const again = dive(dir, ['--state', state, '--lock-timeout', '1s', 'deploy', '-f', file]);
    expect(again.code, again.stderr).toBe(0);
  }, 120_000);
});
