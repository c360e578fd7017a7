// Update order on the real Docker engine: a stateless service is replaced start-first (the new container is
// healthy before the old one stops), one with a named volume stop-first, and a start-first replacement that fails
// leaves the very same old container running through the rollback. Ordering is read from Docker's own events.
// Every instance is unique to the test; its containers, networks and volumes are removed afterwards.
import { instanceLabels, labelFilter, listLabelledContainers } from '@dive/test-utils';
import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../engine/context.js';
import { orchestrate } from '../operations/orchestrate.js';
import type { ContainerSpec, Topology } from '../topology/types.js';
import { useDockerTestBed } from './docker-test-bed.test-helpers.js';

const bed = useDockerTestBed('dive-update-order-');
const { docker, runtime, code } = bed;

/** One service `web`, changed by `generation`. */
const topology = (instance: string, generation: string, container: Partial<ContainerSpec> = {}): Topology => ({
  instance,
  volumes: { data: {} },
  services: {
    web: {
      container: { image: bed.image, environment: { HEALTH_MODE: 'pass', GENERATION: generation }, ...container },
      startTimeoutMs: 15_000,
      retry: { policy: 'none', attempts: 1 },
    },
  },
});

const runningId = async (instance: string): Promise<string> => {
  const list = await listLabelledContainers(docker, instanceLabels(instance), { running: true });
  expect(list).toHaveLength(1);
  return list[0]?.Id ?? '';
};

interface DockerEvent {
  readonly status?: string;
  readonly Action?: string;
  readonly id?: string;
  readonly timeNano: number;
}

/** Docker's container events of an instance between `since` (s) and now. */
const eventsOf = async (instance: string, since: number): Promise<DockerEvent[]> => {
  const until = Math.ceil(Date.now() / 1000) + 1;
  const filters = { type: ['container' as const], ...labelFilter(instanceLabels(instance)) };
  const stream = await docker.getEvents({ since, until, filters });
  const chunks: Buffer[] = [];
  await new Promise<void>((resolve, reject) => {
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', resolve);
    stream.on('error', reject);
  });
  const lines = Buffer.concat(chunks)
    .toString()
    .split('\n')
    .filter((l) => l.trim() !== '');
  return lines.map((l) => JSON.parse(l) as DockerEvent);
};

const when = (events: readonly DockerEvent[], id: string, action: string): number => {
  const e = events.find((x) => x.id === id && (x.Action ?? x.status) === action);
  if (e === undefined) throw new Error(`no ${action} event of ${id}`);
  return e.timeNano;
};

describe('Docker: update order', () => {
  it('start-first (stateless default): the new container is healthy before the old one stops', async () => {
    const instance = code();
    expect((await orchestrate(topology(instance, 'one'), { state: bed.state, runtime }))._unsafeUnwrap().status).toBe(
      'COMPLETE',
    );
    const oldId = await runningId(instance);
    const since = Math.floor(Date.now() / 1000) - 1;
    const seen: EngineEvent[] = [];
    const two = await orchestrate(topology(instance, 'two'), {
      state: bed.state,
      runtime,
      onEvent: (e) => seen.push(e),
    });
    expect(two._unsafeUnwrap().status).toBe('COMPLETE');
    const newId = await runningId(instance);
    expect(newId).not.toBe(oldId);
    const events = await eventsOf(instance, since);
    expect(when(events, newId, 'start')).toBeLessThan(when(events, oldId, 'die'));
    const order = seen.filter((e) => e.type === 'service-healthy' || e.type === 'service-stopped').map((e) => e.type);
    expect(order).toEqual(['service-healthy', 'service-stopped']);
  }, 90_000);

  it('stop-first (a service with a named volume): the old container stops before the new one starts', async () => {
    const instance = code();
    const withVolume = { volumes: [{ type: 'volume' as const, source: 'data', target: '/data' }] };
    const one = await orchestrate(topology(instance, 'one', withVolume), { state: bed.state, runtime });
    expect(one._unsafeUnwrap().status).toBe('COMPLETE');
    const oldId = await runningId(instance);
    const since = Math.floor(Date.now() / 1000) - 1;
    const two = await orchestrate(topology(instance, 'two', withVolume), { state: bed.state, runtime });
    expect(two._unsafeUnwrap().status).toBe('COMPLETE');
    const newId = await runningId(instance);
    const events = await eventsOf(instance, since);
    expect(when(events, oldId, 'die')).toBeLessThan(when(events, newId, 'start'));
  }, 90_000);

  it('a start-first replacement that fails leaves the very same old container running through the rollback', async () => {
    const instance = code();
    expect((await orchestrate(topology(instance, 'one'), { state: bed.state, runtime }))._unsafeUnwrap().status).toBe(
      'COMPLETE',
    );
    const oldId = await runningId(instance);
    const failing = topology(instance, 'two', { entrypoint: ['/bin/sh', '-c', 'exit 3'] });
    const seen: EngineEvent[] = [];
    const two = (
      await orchestrate(failing, { state: bed.state, runtime, onEvent: (e) => seen.push(e) })
    )._unsafeUnwrap();
    expect(two.success).toBe(false);
    expect(two.rollback?.finalState).toBe('COMPLETE');
    expect(await runningId(instance)).toBe(oldId);
    expect(seen.some((e) => e.type === 'service-stopped')).toBe(false);
  }, 90_000);
});
