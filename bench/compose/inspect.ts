/**
 * What one deployment created on the engine, read by `docker inspect` and made comparable between DIVE and
 * docker-compose: names lose their project prefix (`dive_usa_` / `<project>_` → `<p>_`), a built image is
 * `built:<service>` whatever its tag, aliases lose the container's short id, and labels are left out (each tool
 * has its own). Every other field is as the engine reports it.
 */
import type Docker from 'dockerode';

/** One flat map of `field path → value` (JSON) per container, network and volume. */
export type Snapshot = Readonly<Record<string, string>>;

/** How to find a deployment's objects and which prefix its names carry. */
export interface Project {
  /** The label filter, e.g. `dive.instance=USA` or `com.docker.compose.project=p`. */
  readonly label: string;
  /** The label holding the service name. */
  readonly serviceLabel: string;
  /** The name prefix of its networks and volumes, e.g. `dive_usa_`. */
  readonly prefix: string;
  /** The tag of a built image of `service` (a pattern). */
  readonly builtImage: (service: string) => RegExp;
}

const j = (v: unknown): string => JSON.stringify(v ?? null);
const emptyToNull = (v: unknown): unknown => (Array.isArray(v) && v.length === 0 ? null : v);

function containerFields(p: Project, info: Docker.ContainerInspectInfo, service: string): Record<string, unknown> {
  const name = (n: string): string => (n.startsWith(p.prefix) ? `<p>_${n.slice(p.prefix.length)}` : n);
  const c = info.Config;
  const h = info.HostConfig;
  const networks = Object.entries(info.NetworkSettings.Networks).map(([n, s]) => [
    name(n),
    { aliases: (s.Aliases ?? []).filter((a: string) => !info.Id.startsWith(a)).sort(), ipam: s.IPAMConfig ?? null },
  ]);
  const joined = networks.map(([n]) => n);
  const mode = name(h.NetworkMode ?? '');
  return {
    image: p.builtImage(service).test(c.Image) ? `built:${service}` : c.Image,
    state: info.State.Running ? 'running' : `exited ${info.State.ExitCode}`,
    cmd: c.Cmd,
    entrypoint: c.Entrypoint,
    env: [...(c.Env ?? [])].sort(),
    user: c.User,
    workingDir: c.WorkingDir,
    healthcheck: c.Healthcheck,
    exposedPorts: Object.keys(c.ExposedPorts ?? {}).sort(),
    stopSignal: (c as { StopSignal?: string }).StopSignal,
    stopTimeout: (c as { StopTimeout?: number }).StopTimeout,
    networkMode: joined.includes(mode) ? 'one of its networks' : mode,
    networks: Object.fromEntries(networks),
    restart: h.RestartPolicy,
    ports: h.PortBindings,
    binds: emptyToNull(h.Binds),
    mounts: info.Mounts.map((m) => ({
      type: m.Type,
      source: m.Type === 'volume' ? name(m.Name ?? '') : m.Source,
      target: m.Destination,
      rw: m.RW,
    })).sort((a, b) => a.target.localeCompare(b.target)),
    init: h.Init ?? null,
    readOnly: h.ReadonlyRootfs,
    tmpfs: h.Tmpfs ?? null,
    ...Object.fromEntries(
      (['Memory', 'NanoCpus', 'CapAdd', 'CapDrop', 'Privileged', 'ExtraHosts', 'Dns', 'SecurityOpt'] as const).map(
        (k) => [k.charAt(0).toLowerCase() + k.slice(1), emptyToNull(h[k])],
      ),
    ),
    ulimits: emptyToNull(h.Ulimits),
    shmSize: h.ShmSize,
    ipcMode: h.IpcMode,
    pidMode: h.PidMode,
    logConfig: h.LogConfig,
  };
}

/** Read the containers, networks and volumes of one deployment as a flat comparable map. */
export async function snapshot(docker: Docker, p: Project): Promise<Snapshot> {
  const filters = { label: [p.label] };
  const out: Record<string, string> = {};
  const name = (n: string): string => (n.startsWith(p.prefix) ? `<p>_${n.slice(p.prefix.length)}` : n);
  for (const c of await docker.listContainers({ all: true, filters })) {
    const service = c.Labels[p.serviceLabel] ?? '?';
    const info = await docker.getContainer(c.Id).inspect();
    for (const [k, v] of Object.entries(containerFields(p, info, service))) out[`container ${service} ${k}`] = j(v);
  }
  for (const n of await docker.listNetworks({ filters })) {
    const info = await docker.getNetwork(n.Id).inspect();
    const fields = { driver: info.Driver, internal: info.Internal, attachable: info.Attachable };
    for (const [k, v] of Object.entries({ ...fields, ipv6: info.EnableIPv6, options: info.Options }))
      out[`network ${name(info.Name)} ${k}`] = j(v);
  }
  for (const v of (await docker.listVolumes({ filters })).Volumes ?? []) {
    out[`volume ${name(v.Name)} driver`] = j(v.Driver);
    out[`volume ${name(v.Name)} options`] = j(v.Options);
  }
  return out;
}

/** The fields where two snapshots differ (or that only one has), and how many are the same. */
export function diff(a: Snapshot, b: Snapshot): { same: number; rows: [string, string, string][] } {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  const rows = keys
    .filter((k) => a[k] !== b[k])
    .map((k): [string, string, string] => [k, a[k] ?? '(none)', b[k] ?? '(none)']);
  return { same: keys.length - rows.length, rows };
}
