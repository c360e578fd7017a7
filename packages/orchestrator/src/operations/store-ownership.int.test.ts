// Ownership on the real Docker engine: two state stores deploy the same instance code on one engine. What each
// creates carries its own store id (`dive.store`); one store's redeploy (its orphan sweep) and its `down` never
// touch the other store's containers. Unique instance codes; everything is removed afterwards.
import { join } from 'node:path';
import { instanceLabels, listLabelledContainers } from '@dive/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useDockerTestBed } from '../runtime/docker-test-bed.test-helpers.js';
import { fileState, type StateBackend } from '../state.js';
import type { ServiceSpec, Topology } from '../topology/types.js';
import { down } from './down.js';
import { orchestrate } from './orchestrate.js';

const bed = useDockerTestBed('dive-ownership-', { state: false });
const { docker, runtime, dir } = bed;
const instance = bed.code();
let a: StateBackend;
let b: StateBackend;

const service = (generation: string, extra: Partial<ServiceSpec['container']> = {}): ServiceSpec => ({
  container: { image: bed.image, environment: { HEALTH_MODE: 'pass', GENERATION: generation }, ...extra },
  startTimeoutMs: 20_000,
  retry: { policy: 'none', attempts: 1 },
});

const running = async (): Promise<{ store: string | undefined; service: string | undefined }[]> =>
  (await listLabelledContainers(docker, instanceLabels(instance), { running: true })).map((c) => ({
    store: c.Labels['dive.store'],
    service: c.Labels['dive.service'],
  }));

beforeAll(() => {
  a = fileState(join(dir, 'a'));
  b = fileState(join(dir, 'b'));
});

afterAll(async () => {
  await a[Symbol.asyncDispose]();
  await b[Symbol.asyncDispose]();
});

describe('Docker: a store touches only what it deployed', () => {
  it('labels containers, networks and volumes with the store id; redeploy and down of one store leave the other', async () => {
    const idA = (await a.store.storeId())._unsafeUnwrap();
    const idB = (await b.store.storeId())._unsafeUnwrap();
    expect(idA).not.toBe(idB);
    const withVolume = { volumes: [{ type: 'volume' as const, source: 'data', target: '/data' }] };
    const topoA = (g: string): Topology => ({
      instance,
      volumes: { data: {} },
      services: { web: service(g, withVolume) },
    });
    expect((await orchestrate(topoA('one'), { state: a, runtime }))._unsafeUnwrap().status).toBe('COMPLETE');

    expect(await running()).toEqual([{ store: idA, service: 'web' }]);
    const [net] = await docker.listNetworks({ filters: { label: [`dive.instance=${instance}`] } });
    expect(net?.Labels?.['dive.store']).toBe(idA);
    const vols = await docker.listVolumes({ filters: { label: [`dive.instance=${instance}`] } });
    expect(vols.Volumes.map((v) => v.Labels['dive.store'])).toEqual([idA]);

    const topoB: Topology = { instance, services: { web: service('b'), extra: service('b') } };
    expect((await orchestrate(topoB, { state: b, runtime }))._unsafeUnwrap().status).toBe('COMPLETE');
    // A redeploys a changed web: its replacement and orphan sweep see only A's containers.
    expect((await orchestrate(topoA('two'), { state: a, runtime }))._unsafeUnwrap().status).toBe('COMPLETE');
    const afterRedeploy = await running();
    expect(
      afterRedeploy
        .filter((c) => c.store === idB)
        .map((c) => c.service)
        .sort(),
    ).toEqual(['extra', 'web']);
    expect(afterRedeploy.filter((c) => c.store === idA).map((c) => c.service)).toEqual(['web']);

    const downA = (await down(instance, { state: a, runtime }))._unsafeUnwrap();
    expect(downA.stopped).toEqual(['web']);
    expect((await running()).map((c) => c.store)).toEqual([idB, idB]);

    const downB = (await down(instance, { state: b, runtime }))._unsafeUnwrap();
    expect([...downB.stopped].sort()).toEqual(['extra', 'web']);
    expect(await running()).toEqual([]);
  }, 180_000);
});
