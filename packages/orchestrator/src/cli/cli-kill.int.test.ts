// Fault suite (issue 15): the BUILT `dive deploy` killed with kill -9 at each phase, driven by its progress JSON.
// Afterwards `dive down` and `dive deploy` both succeed, and no service process is left.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dive, faultSuite, freePort, isEvent, portOpen, service, spawnDive } from './faults.test-helpers.js';

const { dir, cleanups } = faultSuite('cli-kill');

type Stop = (line: string) => boolean;
const phases: { name: string; instance: string; at: Stop; left: string[] }[] = [
  {
    name: 'preflight and checkpoint',
    instance: 'KPF',
    at: (l) => isEvent(l, 'phase', { phase: 'preflight', status: 'started' }),
    left: ['INITIALIZING', 'DEPLOYING'], // the kill lands within preflight/checkpoint, or just after them
  },
  {
    name: 'mid-DEPLOYING (one service up, the next one starting)',
    instance: 'KDP',
    at: (l) => isEvent(l, 'service-started', { service: 'slow' }),
    left: ['DEPLOYING'],
  },
  {
    name: 'VERIFYING (health confirmed again)',
    instance: 'KVF',
    at: (l) => isEvent(l, 'state', { to: 'VERIFYING' }),
    left: ['VERIFYING'],
  },
];

describe('kill -9 of dive deploy at each phase', () => {
  for (const phase of phases) {
    it(`${phase.name}: down closes it as interrupted, deploy succeeds, nothing is orphaned`, async () => {
      const ports = [await freePort(), await freePort()] as const;
      const state = `file:${join(dir, `state-${phase.instance}`)}`;
      const file = join(dir, `${phase.instance}.yaml`);
      // `slow` listens after 1.5 s and answers after 1 s: the deploy and verify phases each last a while.
      writeFileSync(
        file,
        `instance: ${phase.instance}\nservices:\n${service('fast', ports[0])}${service('slow', ports[1], {
          listenAfterMs: 1500,
          answerAfterMs: 1000,
          dependsOn: 'fast',
        })}`,
      );
      cleanups.push(() => dive(dir, ['--state', state, 'down', phase.instance]));
      const run = spawnDive(dir, ['--state', state, '--progress', 'json', 'deploy', '-f', file]);
      await run.until(phase.at);
      run.child.kill('SIGKILL');
      expect(await run.exited).toBe(-1); // killed by the signal

      const left = JSON.parse(dive(dir, ['--state', state, '--json', 'status', phase.instance]).stdout) as {
        state: string;
      }[];
      expect(phase.left).toContain(left[0]?.state);

      const down = dive(dir, ['--state', state, '--json', 'down', phase.instance]);
      expect(down.code, down.stderr).toBe(0);
      const rows = (
        JSON.parse(dive(dir, ['--state', state, '--json', 'history', phase.instance]).stdout) as {
          rows: { to: string; reason: string }[];
        }
      ).rows;
      expect(rows.some((r) => r.to === 'FAILED' && r.reason === 'interrupted')).toBe(true);
      for (const port of ports) expect(await portOpen(port), `a service on ${port} survived down`).toBe(false);

      const again = dive(dir, ['--state', state, '--json', 'deploy', '-f', file]);
      expect(again.code, again.stderr).toBe(0);
      expect((JSON.parse(again.stdout) as { status: string }).status).toBe('COMPLETE');
      expect(dive(dir, ['--state', state, 'down', phase.instance]).code).toBe(0);
      for (const port of ports) expect(await portOpen(port), `a service on ${port} survived`).toBe(false);
    }, 120_000);
  }
});
