// Every `offline: true` entry of the Compose corpus deployed through the CLI (runCli, in-process) on the real
// Docker engine: it reaches COMPLETE; what it created is checked by `docker inspect` against the file's own plan
// (one container per service, the instance networks and volumes, ports bound on 127.0.0.1, built images under
// their dive tag); `dive down INST --volumes` leaves nothing with the instance's label. Each entry gets its own
// instance code; afterAll removes whatever is left (containers, networks, volumes, built images, the state dir).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type Docker from 'dockerode';
import { instanceLabels, labelFilter, listLabelledContainers } from '@dive/test-utils';
import { describe, expect, it } from 'vitest';
import { inProcessDive } from '../../cli/run-cli.test-helpers.js';
import { useDockerTestBed } from '../../runtime/docker-test-bed.test-helpers.js';
import { loadTopology } from '../load-topology.js';
import type { ContainerSpec, Topology } from '../types.js';

interface Entry {
  readonly dir: string;
  readonly file: string;
  readonly offline: boolean;
}

const corpus = fileURLToPath(new URL('../fixtures/compose-corpus/', import.meta.url));
const offline = (JSON.parse(readFileSync(join(corpus, 'MANIFEST.json'), 'utf8')) as Entry[]).filter((e) => e.offline);
const bed = useDockerTestBed('dive-corpus-deploy-', { state: false, images: true });
const { docker, dir, code } = bed;
const dive = inProcessDive(dir, { args: ['--progress', 'quiet'], env: () => ({ DIVE_TEST_IMAGE: bed.image }) });

const labelled = (instance: string): { label: string[] } => labelFilter(instanceLabels(instance));

/** What carries the instance's label on the engine: container, network and volume names. */
async function leftovers(instance: string): Promise<{ containers: string[]; networks: string[]; volumes: string[] }> {
  const [containers, networks, volumes] = await Promise.all([
    listLabelledContainers(docker, instanceLabels(instance)),
    docker.listNetworks({ filters: labelled(instance) }),
    docker.listVolumes({ filters: labelled(instance) }),
  ]);
  return {
    containers: containers.flatMap((c) => c.Names),
    networks: networks.map((n) => n.Name),
    volumes: (volumes.Volumes ?? []).map((v) => v.Name),
  };
}

/** The networks a container spec joins, by logical name (`default` when it names none). */
const networksOf = (c: ContainerSpec): string[] =>
  c.networkMode !== undefined ? [] : c.networks === undefined ? ['default'] : Object.keys(c.networks);

/** Check one service's container against its spec: image or build tag, networks, named volumes, ports. */
async function checkContainer(instance: string, name: string, c: ContainerSpec, info: Docker.ContainerInspectInfo) {
  const resource = (logical: string): string => `dive_${instance.toLowerCase()}_${logical}`;
  if (c.build === undefined) expect(info.Config.Image, name).toBe(c.image);
  else {
    expect(info.Config.Image, name).toMatch(new RegExp(`^dive-${instance.toLowerCase()}-${name}:[0-9a-f]{16}$`));
    const built = await docker.getImage(info.Config.Image).inspect();
    expect(built.Config.Labels?.['dive.instance'], name).toBe(instance);
  }
  expect(Object.keys(info.NetworkSettings.Networks).sort(), name).toEqual(networksOf(c).map(resource).sort());
  for (const net of Object.values(info.NetworkSettings.Networks)) expect(net.Aliases ?? [], name).toContain(name);
  for (const v of c.volumes ?? []) {
    if (v.type !== 'volume' || v.source === undefined) continue;
    const mount = info.Mounts.find((m) => m.Destination === v.target);
    expect(mount, `${name} ${v.target}`).toMatchObject({ Type: 'volume', Name: resource(v.source) });
  }
  for (const p of c.ports ?? []) {
    const bindings = info.NetworkSettings.Ports[`${p.target}/${p.protocol ?? 'tcp'}`] ?? [];
    expect(bindings.length, `${name} ${p.target}`).toBeGreaterThan(0);
    for (const b of bindings) {
      expect(b.HostIp, `${name} ${p.target}`).toBe(p.hostIp ?? '0.0.0.0');
      expect(Number(b.HostPort), `${name} ${p.target}`).toBeGreaterThan(0);
    }
  }
}

/** Every service of the plan has exactly one container of the instance, checked against its spec. */
async function checkCreated(instance: string, topology: Topology): Promise<void> {
  const found = await listLabelledContainers(docker, instanceLabels(instance));
  const byService = new Map(found.map((c) => [c.Labels['dive.service'] ?? '', c.Id]));
  expect([...byService.keys()].sort()).toEqual(Object.keys(topology.services).sort());
  expect(found).toHaveLength(byService.size);
  const declaredVolumes = Object.keys(topology.volumes ?? {}).map((v) => `dive_${instance.toLowerCase()}_${v}`);
  expect((await leftovers(instance)).volumes.sort()).toEqual(declaredVolumes.sort());
  for (const [name, spec] of Object.entries(topology.services)) {
    const info = await docker.getContainer(byService.get(name) ?? '').inspect();
    if (spec.kind === 'job') expect(info.State, name).toMatchObject({ Running: false, ExitCode: 0 });
    else expect(info.State.Running, name).toBe(true);
    const check = spec.container?.healthcheck;
    if (check !== undefined && !('disable' in check)) expect(info.State.Health?.Status, name).toBe('healthy');
    await checkContainer(instance, name, spec.container ?? {}, info);
  }
}

describe('the offline compose corpus on Docker, through the CLI', () => {
  it('has offline entries to deploy', () => {
    expect(offline.map((e) => e.dir).sort()).toEqual([
      'offline--init-job-profiles',
      'offline--voting-app',
      'offline--web-db-secret',
    ]);
  });

  it.each(offline.map((e) => [e.dir, e] as const))(
    '%s: deploy reaches COMPLETE with what the file declares; down --volumes leaves nothing',
    async (_, entry) => {
      const instance = code();
      const file = join(corpus, entry.dir, entry.file);
      const plan = await loadTopology(file, { env: { DIVE_TEST_IMAGE: bed.image }, instance });
      const topology = plan._unsafeUnwrap().topology;

      const deployed = await dive('deploy', '-f', file, '--instance', instance);
      expect(deployed.code, deployed.stderr).toBe(0);
      const status = await dive('--json', 'status', instance);
      expect(status.code, status.stderr).toBe(0);
      const [shown] = JSON.parse(status.stdout) as { state: string }[];
      expect(shown?.state).toBe('COMPLETE');
      await checkCreated(instance, topology);

      const down = await dive('down', instance, '--volumes');
      expect(down.code, down.stderr).toBe(0);
      expect(await leftovers(instance)).toEqual({ containers: [], networks: [], volumes: [] });
    },
    400_000,
  );
});
