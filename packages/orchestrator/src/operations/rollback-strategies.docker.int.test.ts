// Every rollback strategy end to end on the real Docker engine (busybox containers, file state in a temporary
// directory), with the same expectations as on the process runtime (rollback-strategies.test-helpers.ts): deploy
// v1, deploy v2 (api changed), roll back to v1's checkpoint with one strategy, and look at what runs. Unique
// instances; their containers, networks and volumes are removed afterwards.
import { afterAll, describe, expect, it } from 'vitest';
import { useDockerTestBed } from '../runtime/docker-test-bed.test-helpers.js';
import type { Topology } from '../topology/types.js';
import { down } from './down.js';
import { orchestrate } from './orchestrate.js';
import { rollback } from './rollback.js';
import { containersOf } from './rollback-docker.test-helpers.js';
import { expectStrategyOutcome, STRATEGIES } from './rollback-strategies.test-helpers.js';

const bed = useDockerTestBed('dive-rollback-strategies-docker-');
const { docker, runtime, code } = bed;

const topology = (instance: string, apiVersion: string): Topology => ({
  instance,
  defaults: { retry: { policy: 'none', attempts: 1 }, startTimeoutMs: 30_000 },
  services: {
    db: { container: { image: bed.image, environment: { HEALTH_MODE: 'pass' } } },
    api: {
      container: { image: bed.image, environment: { HEALTH_MODE: 'pass', VERSION: apiVersion } },
      dependsOn: ['db'],
    },
  },
});

/** What runs now, as `service:hash` (Docker's own view, retired containers excluded by their state). */
const running = async (instance: string): Promise<string[]> => {
  const list = await docker.listContainers({ filters: { label: [`dive.instance=${instance}`], status: ['running'] } });
  return list.map((c) => `${c.Labels['dive.service'] ?? ''}:${c.Labels['dive.config-hash'] ?? ''}`).sort();
};

// Registered after the bed's clean-up, so it runs before it: `down` each instance through the engine first.
afterAll(async () => {
  for (const instance of bed.instances) await down(instance, { runtime, state: bed.state });
}, 120_000);

describe('rollback strategies on Docker', () => {
  it.each(STRATEGIES)(
    '%s',
    async (strategy) => {
      const instance = code();
      expect((await orchestrate(topology(instance, 'v1'), { runtime, state: bed.state }))._unsafeUnwrap().success).toBe(
        true,
      );
      const v1 = await running(instance);
      expect((await orchestrate(topology(instance, 'v2'), { runtime, state: bed.state }))._unsafeUnwrap().success).toBe(
        true,
      );
      const v2 = await running(instance);
      expect(v2).not.toEqual(v1);
      const report = (await rollback(instance, { strategy }, { runtime, state: bed.state }))._unsafeUnwrap();
      expectStrategyOutcome(strategy, report, await running(instance), v1, v2);
      // Nothing is left behind: no stopped or retired container beside what runs.
      const all = await containersOf(docker, instance);
      expect(all.filter((c) => c.state !== 'running')).toEqual([]);
    },
    180_000,
  );
});
