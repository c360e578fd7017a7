import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import type { ContainerSpec, VolumeSpec } from '../topology/types.js';
import {
  instanceResourceName,
  placeResource,
  type PlacedResource,
  type TopologyResources,
} from './docker-resource-names.js';

/** One entry of `HostConfig.Mounts` (dockerode's own type requires fields the engine does not). @internal */
export interface DockerMount {
  readonly Type: 'volume' | 'bind' | 'tmpfs';
  readonly Source?: string;
  readonly Target: string;
  readonly ReadOnly?: boolean;
  readonly VolumeOptions?: { readonly NoCopy?: boolean };
  readonly TmpfsOptions?: { readonly SizeBytes?: number };
}

/** A volume to make sure of before the container is created; `service` set for a service's own volumes. */
export interface VolumeToEnsure {
  readonly placed: PlacedResource<VolumeSpec>;
  readonly service?: string;
}

/** The mounts of one container, in the shapes the create call takes. @internal */
export interface MountPlan {
  /** `HostConfig.Mounts`: volumes, tmpfs, and binds that must not create their source. */
  readonly mounts: readonly DockerMount[];
  /** `HostConfig.Binds`: binds whose missing source directory Docker creates (`-v` semantics). */
  readonly binds: readonly string[];
  /** `HostConfig.Tmpfs`: the spec's `tmpfs` list. */
  readonly tmpfs: Readonly<Record<string, string>>;
  /** Volumes that must exist first (named ones and the service's own). */
  readonly volumes: readonly VolumeToEnsure[];
}

/**
 * The volume that stands for an anonymous one (a mount with no source, or a `VOLUME` of the image): named after
 * the instance, service and path, so that the service's next container gets the same data (as Compose carries
 * anonymous volumes over to a recreated container).
 * @internal
 */
export function serviceVolumeName(instance: string, service: string, target: string): string {
  const digest = createHash('sha256').update(target).digest('hex').slice(0, 12);
  return instanceResourceName(instance, `${service}_${digest}`);
}

function fileMounts(spec: ContainerSpec, resources: TopologyResources | undefined): DockerMount[] {
  const out: DockerMount[] = [];
  for (const s of spec.secrets ?? []) {
    const file = resources?.secrets?.[s.source]?.file;
    const name = s.target ?? s.source;
    if (file === undefined) continue; // the validator names undeclared ones
    const target = name.startsWith('/') ? name : `/run/secrets/${name}`;
    out.push({ Type: 'bind', Source: resolve(file), Target: target, ReadOnly: true });
  }
  for (const c of spec.configs ?? []) {
    const file = resources?.configs?.[c.source]?.file;
    if (file === undefined) continue;
    out.push({ Type: 'bind', Source: resolve(file), Target: c.target ?? `/${c.source}`, ReadOnly: true });
  }
  return out;
}

/**
 * Map a container's `volumes`, `tmpfs`, `secrets` and `configs` to Docker mounts. Named volumes use the
 * instance's Docker names; anonymous ones, and the image's own `VOLUME`s nothing else covers, get a volume per
 * instance, service and path (kept when the container is replaced); relative bind sources are taken from the
 * process's working directory (a topology file's are absolute already).
 *
 * @param instance - the instance code
 * @param service - the service name
 * @param spec - the container spec
 * @param resources - the topology's declarations
 * @param imageVolumes - the paths the image declares with `VOLUME`
 * @returns the plan
 * @internal
 */
export function planMounts(
  instance: string,
  service: string,
  spec: ContainerSpec,
  resources: TopologyResources | undefined,
  imageVolumes: readonly string[] = [],
): MountPlan {
  const mounts: DockerMount[] = [];
  const binds: string[] = [];
  const volumes: VolumeToEnsure[] = [];
  const own = (target: string): string => {
    const name = serviceVolumeName(instance, service, target);
    volumes.push({ placed: { logical: `${service}:${target}`, name, external: false, spec: {} }, service });
    return name;
  };
  for (const m of spec.volumes ?? []) {
    const ro = m.readOnly === true ? { ReadOnly: true } : {};
    if (m.type === 'tmpfs') {
      mounts.push({
        Type: 'tmpfs',
        Target: m.target,
        ...ro,
        ...(m.tmpfsSizeBytes === undefined ? {} : { TmpfsOptions: { SizeBytes: m.tmpfsSizeBytes } }),
      });
    } else if (m.type === 'bind') {
      const source = resolve(m.source ?? '.');
      if (m.createHostPath === false) mounts.push({ Type: 'bind', Source: source, Target: m.target, ...ro });
      else binds.push(`${source}:${m.target}${m.readOnly === true ? ':ro' : ''}`);
    } else {
      const placed =
        m.source === undefined ? undefined : placeResource(instance, m.source, resources?.volumes?.[m.source]);
      if (placed !== undefined) volumes.push({ placed });
      mounts.push({
        Type: 'volume',
        Source: placed?.name ?? own(m.target),
        Target: m.target,
        ...ro,
        ...(m.nocopy === true ? { VolumeOptions: { NoCopy: true } } : {}),
      });
    }
  }
  const files = fileMounts(spec, resources);
  const tmpfs = Object.fromEntries(
    (spec.tmpfs ?? []).map((t) => {
      const at = t.indexOf(':');
      return at < 0 ? [t, ''] : [t.slice(0, at), t.slice(at + 1)];
    }),
  );
  const covered = new Set([
    ...mounts.map((m) => m.Target),
    ...files.map((m) => m.Target),
    ...binds.map((b) => b.split(':')[1] ?? ''),
    ...Object.keys(tmpfs),
  ]);
  for (const path of imageVolumes) {
    if (!covered.has(path)) mounts.push({ Type: 'volume', Source: own(path), Target: path });
  }
  return { mounts: [...mounts, ...files], binds, tmpfs, volumes };
}
