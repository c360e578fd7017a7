import type Docker from 'dockerode';
import type { ContainerSpec } from '../topology/types.js';
import { dockerHealthcheck } from './docker-healthcheck.js';
import type { MountPlan } from './docker-mounts.js';
import { endpointConfig, type NetworkPlan } from './docker-network-plan.js';

/** Everything the create call is made from. @internal */
export interface CreateInput {
  readonly name: string;
  /** The image (or built tag) to run. */
  readonly image: string;
  readonly spec: ContainerSpec;
  readonly env: Readonly<Record<string, string>>;
  /** Every label: the spec's, then DIVE's. */
  readonly labels: Readonly<Record<string, string>>;
  readonly mounts: MountPlan;
  readonly network: NetworkPlan;
  /** `networkMode: service:<x>` resolved to `container:<id>`. */
  readonly networkMode?: string;
  /** The grace period when the spec gives none, in ms. */
  readonly defaultGraceMs: number;
}

const key = (port: number, protocol = 'tcp'): string => `${port}/${protocol}`;

type PortBindings = Record<string, { HostIp?: string; HostPort: string }[]>;

function ports(spec: ContainerSpec): { PortBindings?: PortBindings; ExposedPorts?: Record<string, object> } {
  const exposed: Record<string, object> = {};
  const bindings: PortBindings = {};
  for (const p of spec.ports ?? []) {
    const k = key(p.target, p.protocol);
    exposed[k] = {};
    (bindings[k] ??= []).push({
      ...(p.hostIp === undefined ? {} : { HostIp: p.hostIp }),
      HostPort: p.published === undefined ? '' : String(p.published),
    });
  }
  for (const port of spec.expose ?? []) exposed[key(port)] = {};
  return {
    ...(Object.keys(exposed).length === 0 ? {} : { ExposedPorts: exposed }),
    ...(Object.keys(bindings).length === 0 ? {} : { PortBindings: bindings }),
  };
}

function hostConfig(input: CreateInput, networkMode: string, bindings: PortBindings | undefined): Docker.HostConfig {
  const s = input.spec;
  const m = input.mounts;
  return {
    NetworkMode: networkMode,
    ...(bindings === undefined ? {} : { PortBindings: bindings }),
    ...(m.mounts.length === 0 ? {} : { Mounts: m.mounts as Docker.MountSettings[] }),
    ...(m.binds.length === 0 ? {} : { Binds: [...m.binds] }),
    ...(Object.keys(m.tmpfs).length === 0 ? {} : { Tmpfs: { ...m.tmpfs } }),
    ...(s.memoryBytes === undefined ? {} : { Memory: s.memoryBytes, MemorySwap: s.memoryBytes }),
    ...(s.cpus === undefined ? {} : { NanoCpus: Math.round(s.cpus * 1e9) }),
    ...(s.readOnly === undefined ? {} : { ReadonlyRootfs: s.readOnly }),
    ...(s.init === undefined ? {} : { Init: s.init }),
    ...(s.capAdd === undefined ? {} : { CapAdd: [...s.capAdd] }),
    ...(s.capDrop === undefined ? {} : { CapDrop: [...s.capDrop] }),
    ...(s.ulimits === undefined
      ? {}
      : { Ulimits: Object.entries(s.ulimits).map(([Name, l]) => ({ Name, Soft: l.soft, Hard: l.hard })) }),
    ...s.docker?.hostConfig,
  };
}

/**
 * The body of Docker's create-container call for one service: image, command, environment, labels, healthcheck,
 * user, working directory, hostname, ports, mounts, limits, the first network (with its aliases) and the
 * `docker.config` / `docker.hostConfig` pass-through (applied last, so it wins). The restart policy is not set
 * here: it is applied once the service is healthy.
 *
 * @param input - the container's name, image, spec, resolved environment, labels and plans
 * @returns the create options
 * @internal
 */
export function containerCreateOptions(input: CreateInput): Docker.ContainerCreateOptions {
  const s = input.spec;
  const net = input.network;
  const first = net.kind === 'networks' ? net.endpoints[0] : undefined;
  const networkMode = input.networkMode ?? (net.kind === 'mode' ? net.mode : (first?.placed.name ?? 'none'));
  const { ExposedPorts, PortBindings } = ports(s);
  const graceMs = s.stopGraceMs ?? input.defaultGraceMs;
  return {
    name: input.name,
    Image: input.image,
    Env: Object.entries(input.env).map(([k, v]) => `${k}=${v}`),
    Labels: { ...input.labels },
    ...(s.command === undefined ? {} : { Cmd: [...s.command] }),
    ...(s.entrypoint === undefined ? {} : { Entrypoint: [...s.entrypoint] }),
    ...(s.healthcheck === undefined ? {} : { Healthcheck: dockerHealthcheck(s.healthcheck) }),
    ...(s.user === undefined ? {} : { User: s.user }),
    ...(s.workingDir === undefined ? {} : { WorkingDir: s.workingDir }),
    ...(s.hostname === undefined ? {} : { Hostname: s.hostname }),
    ...(s.domainname === undefined ? {} : { Domainname: s.domainname }),
    ...(s.stopSignal === undefined ? {} : { StopSignal: s.stopSignal }),
    StopTimeout: Math.ceil(graceMs / 1000),
    ...(ExposedPorts === undefined ? {} : { ExposedPorts }),
    ...(s.platform === undefined ? {} : { platform: s.platform }),
    HostConfig: hostConfig(input, networkMode, PortBindings),
    ...(first === undefined
      ? {}
      : { NetworkingConfig: { EndpointsConfig: { [first.placed.name]: endpointConfig(first) } } }),
    ...s.docker?.config,
  };
}
