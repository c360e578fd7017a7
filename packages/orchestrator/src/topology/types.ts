/**
 * The topology model: what a user describes (in TypeScript with `defineTopology`, or in a YAML/JSON/compose
 * file loaded with `loadTopology`) and what `orchestrate()` deploys. Plain JSON-compatible data.
 */

/** A value read from the environment at deploy time and never printed, stored, logged or checkpointed. */
export interface SecretRef {
  /** The environment variable holding the secret. */
  readonly secret: string;
}

/** An environment value: a literal string or a secret reference. */
export type EnvValue = string | SecretRef;

/** When a dependent may start: its dependency has `started`, is `healthy`, or (a job) has `completed`. */
export type DependencyCondition = 'started' | 'healthy' | 'completed';

/** A dependency in the long form: its condition, and whether the dependent may start without it. */
export interface DependencySpec {
  readonly condition: DependencyCondition;
  /** `false`: a dependency absent from the topology is ignored (default true: it must exist). */
  readonly required?: boolean;
}

/** A service to run as a container (Docker runtime). Give `image`, `build`, or both (the build is tagged `image`). */
export interface ContainerSpec {
  /** The image to run. With `build`, the tag the built image gets (default `dive-<instance>-<service>:<hash>`). */
  readonly image?: string;
  /** Build the image from a context directory before starting (rebuilt only when the context changes). */
  readonly build?: BuildSpec;
  /** Overrides the image's CMD. */
  readonly command?: readonly string[];
  /** Overrides the image's ENTRYPOINT. */
  readonly entrypoint?: readonly string[];
  readonly environment?: Readonly<Record<string, EnvValue>>;
  /** The older spelling of `networkMode: 'none' | 'host'`, still accepted (give one of the two). */
  readonly network?: 'none' | 'host';
  /**
   * Share a network stack instead of joining `networks`: the host's, none at all, another service's current
   * container (`service:<name>`) or any container (`container:<name or id>`). Absent: joined to `networks`.
   */
  readonly networkMode?: NetworkMode;
  /** The networks joined (keys of the topology's `networks`, or `default`). Absent: `{ default: {} }`. */
  readonly networks?: Readonly<Record<string, ServiceNetworkSpec>>;
  /** Overrides (or adds) the image's HEALTHCHECK; `{ disable: true }` turns the image's off. */
  readonly healthcheck?: DockerHealthcheckSpec | { readonly disable: true };
  /** Memory limit in bytes (swap limited to the same). */
  readonly memoryBytes?: number;
  /** CPU limit, in CPUs (`0.5` = half of one). */
  readonly cpus?: number;
  readonly labels?: Readonly<Record<string, string>>;
  /** A fixed container name (other services resolve it too). Default `dive-<instance>-<service>-<deployment>`. */
  readonly containerName?: string;
  readonly hostname?: string;
  readonly domainname?: string;
  /** Named volumes, bind mounts and tmpfs mounts. */
  readonly volumes?: readonly VolumeMount[];
  /** tmpfs mounts as `path` or `path:options` (`/run:size=64m`). */
  readonly tmpfs?: readonly string[];
  /** Mount the container's root filesystem read-only. */
  readonly readOnly?: boolean;
  /** Published ports. */
  readonly ports?: readonly PortSpec[];
  /** Ports exposed to the other containers without publishing them (TCP). */
  readonly expose?: readonly number[];
  /** `user`, `user:group`, `uid` or `uid:gid`. */
  readonly user?: string;
  readonly workingDir?: string;
  /** Run an init process (tini) as PID 1. */
  readonly init?: boolean;
  /** The signal that stops the container (default the image's, else SIGTERM). */
  readonly stopSignal?: string;
  /** Time between the stop signal and SIGKILL, in ms (rounded up to seconds). Default the runtime's. */
  readonly stopGraceMs?: number;
  readonly capAdd?: readonly string[];
  readonly capDrop?: readonly string[];
  /** Resource limits by name (`nofile`, `nproc`, …). */
  readonly ulimits?: Readonly<Record<string, UlimitSpec>>;
  /** Docker's restart policy, applied once the service is healthy (so it never fights DIVE's own retries). */
  readonly restart?: RestartPolicy;
  /** How a changed service's container is replaced (see {@link UpdateSpec}). */
  readonly update?: UpdateSpec;
  /** Top-level `secrets`, mounted read-only at `/run/secrets/<target or source>`. */
  readonly secrets?: readonly FileReference[];
  /** Top-level `configs`, mounted read-only at `target` (default `/<source>`). */
  readonly configs?: readonly FileReference[];
  /** The platform to create the container for (`linux/amd64`). */
  readonly platform?: string;
  /** Docker API fields passed as they are to the create call (they win over what DIVE sets). */
  readonly docker?: DockerPassThrough;
}

/** Share a network stack: the host's, none, another service's container, or a container by name or id. */
export type NetworkMode = 'none' | 'host' | `service:${string}` | `container:${string}`;

/** How a service joins one network. */
export interface ServiceNetworkSpec {
  /** More names the service answers to on this network (the service name always resolves). */
  readonly aliases?: readonly string[];
  /** A fixed IPv4 address on this network (the network needs a subnet). */
  readonly ipv4Address?: string;
}

/** How to build a container's image (through the Docker engine, from the context sent as a tar). */
export interface BuildSpec {
  /** The build context directory: relative to the topology file (or the process cwd for TypeScript). */
  readonly context: string;
  /** The Dockerfile, relative to the context. Default `Dockerfile`. */
  readonly dockerfile?: string;
  /** Build arguments (`ARG`). */
  readonly args?: Readonly<Record<string, string>>;
  /** The stage to build in a multi-stage Dockerfile. */
  readonly target?: string;
}

/** One mount: a named (or anonymous) volume, a bind mount of a host path, or a tmpfs. */
export interface VolumeMount {
  readonly type: 'volume' | 'bind' | 'tmpfs';
  /** A key of the topology's `volumes` (type `volume`; absent = anonymous volume) or a host path (type `bind`). */
  readonly source?: string;
  /** The path inside the container. */
  readonly target: string;
  readonly readOnly?: boolean;
  /** Size limit of a tmpfs, in bytes. */
  readonly tmpfsSizeBytes?: number;
  /** Do not copy the image's files at `target` into a new volume. */
  readonly nocopy?: boolean;
  /** Create a missing bind source directory (default true, as Docker's `-v` does; false fails on a missing one). */
  readonly createHostPath?: boolean;
}

/** A published port: `published` on the host (default: a free one) forwards to `target` in the container. */
export interface PortSpec {
  readonly target: number;
  readonly published?: number;
  /** The host address to bind. Default `0.0.0.0` (every interface, as Compose does); prefer `127.0.0.1`. */
  readonly hostIp?: string;
  /** Default `tcp`. */
  readonly protocol?: 'tcp' | 'udp';
}

/** A soft and a hard limit. */
export interface UlimitSpec {
  readonly soft: number;
  readonly hard: number;
}

/** Docker's restart policies. */
export type RestartPolicy = 'no' | 'always' | 'unless-stopped' | 'on-failure' | `on-failure:${number}`;

/**
 * How a changed service's container is replaced. `stop-first`: the old container stops, then the new one starts
 * (the default for services with volumes, a fixed published port or a `containerName`, which two containers
 * cannot share). `start-first`: the new one starts beside the old one, which stops once the new one is healthy
 * (the default otherwise).
 */
export interface UpdateSpec {
  readonly order: 'start-first' | 'stop-first';
}

/** A service's use of a top-level secret or config. */
export interface FileReference {
  /** The key in the topology's `secrets` / `configs`. */
  readonly source: string;
  /** The file name (secrets, under `/run/secrets/`) or absolute path (configs) inside the container. */
  readonly target?: string;
}

/** Docker API fields passed through as they are (see the Docker Engine API's ContainerCreate). */
export interface DockerPassThrough {
  /** Merged into the create call's body (`Tty`, `OpenStdin`, `StopTimeout`, …). */
  readonly config?: Readonly<Record<string, unknown>>;
  /** Merged into `HostConfig` (`Sysctls`, `ShmSize`, `Devices`, `Dns`, `ExtraHosts`, `SecurityOpt`, `PidMode`, …). */
  readonly hostConfig?: Readonly<Record<string, unknown>>;
}

/** A network of the topology (`default` is the instance's own network, created unless declared `external`). */
export interface NetworkSpec {
  /** The network exists already (named `name`, else the key): used as it is, never created or removed. */
  readonly external?: boolean;
  /** The network's name on Docker. Default `dive_<instance lower-case>_<key>`. */
  readonly name?: string;
  /** No route to the outside. */
  readonly internal?: boolean;
  /** Default `bridge`. */
  readonly driver?: string;
  readonly driverOpts?: Readonly<Record<string, string>>;
  readonly labels?: Readonly<Record<string, string>>;
  readonly attachable?: boolean;
  readonly enableIpv6?: boolean;
}

/** A named volume of the topology: created once, kept across deployments and `down` (removed by `down --volumes`). */
export interface VolumeSpec {
  /** The volume exists already (named `name`, else the key): used as it is, never created or removed. */
  readonly external?: boolean;
  /** The volume's name on Docker. Default `dive_<instance lower-case>_<key>`. */
  readonly name?: string;
  /** Default `local`. */
  readonly driver?: string;
  readonly driverOpts?: Readonly<Record<string, string>>;
  readonly labels?: Readonly<Record<string, string>>;
}

/** A secret or config read from a file: relative to the topology file (or the process cwd for TypeScript). */
export interface FileSourceSpec {
  readonly file: string;
}

/** Docker's HEALTHCHECK settings, in milliseconds. */
export interface DockerHealthcheckSpec {
  /** `['CMD', ...]`, `['CMD-SHELL', '...']` or `['NONE']`. */
  readonly test: readonly string[];
  readonly intervalMs?: number;
  readonly timeoutMs?: number;
  readonly retries?: number;
  readonly startPeriodMs?: number;
}

/** A service to run as a local process (process runtime). */
export interface ProcessSpec {
  readonly command: string;
  readonly args?: readonly string[];
  /** Relative to the topology file's directory (or the process cwd for TypeScript topologies). */
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, EnvValue>>;
  /** Time between SIGTERM and SIGKILL on stop. Default 5000. */
  readonly stopGraceMs?: number;
}

/** One health check; a service's checks are tried in order as layers (first conclusive answer wins). */
export type HealthCheckSpec =
  | {
      readonly type: 'http';
      readonly url: string;
      readonly expectStatus?: number | readonly number[];
      readonly headers?: Readonly<Record<string, EnvValue>>;
      readonly timeoutMs?: number;
      readonly insecureTls?: boolean;
    }
  | { readonly type: 'tcp'; readonly host?: string; readonly port: number; readonly timeoutMs?: number }
  /** The container's own Docker HEALTHCHECK (containers only). */
  | { readonly type: 'docker' }
  /** A command run inside the container (containers only). */
  | { readonly type: 'exec'; readonly cmd: readonly string[]; readonly timeoutMs?: number }
  /** The process or container is running (the default when no check is given). */
  | { readonly type: 'running' };

/** Retry policy for starting a service (see @dive/circuit-breaker's policies). */
export interface RetrySpec {
  readonly policy: 'exponential' | 'progressive' | 'fixed-jitter' | 'decorrelated' | 'none';
  /** Total attempts including the first. */
  readonly attempts: number;
  readonly baseMs?: number;
  readonly maxMs?: number;
}

/** Circuit breaker settings for a service's start and health operations. */
export interface BreakerSpec {
  readonly failureThreshold?: number;
  readonly resetTimeoutMs?: number;
  readonly successThreshold?: number;
}

/** Settings every service inherits unless it sets its own. */
export interface ServiceDefaults {
  /** How long a service may take from start to healthy. Default 60_000. */
  readonly startTimeoutMs?: number;
  readonly retry?: RetrySpec;
  readonly breaker?: BreakerSpec;
}

/** One service (long-running) or job (one-shot, must exit 0: `completed`). */
export interface ServiceSpec {
  /** `service` (default) runs until stopped; `job` runs once and must exit 0. */
  readonly kind?: 'service' | 'job';
  /** Exactly one of `container` and `process`. */
  readonly container?: ContainerSpec;
  readonly process?: ProcessSpec;
  /**
   * Tried in order, as layers. Default: `[{ type: 'docker' }]` for a container (its HEALTHCHECK, its own or its
   * image's; running where it has none), `[{ type: 'running' }]` for a process.
   */
  readonly health?: readonly HealthCheckSpec[];
  /** A list (each `healthy`, or `completed` for jobs) or a map of dependency → condition (or {@link DependencySpec}). */
  readonly dependsOn?: readonly string[] | Readonly<Record<string, DependencyCondition | DependencySpec>>;
  readonly startTimeoutMs?: number;
  readonly retry?: RetrySpec;
  readonly breaker?: BreakerSpec;
  /** Whether a failure of this service fails the deployment (default true); `false` continues degraded. */
  readonly critical?: boolean;
}

/** A whole deployment: an instance, its services, and the networks, volumes, secrets and configs they use. */
export interface Topology {
  /** Three upper-case letters (`USA` is the hub; `EST`, `NZL`, … are spokes). */
  readonly instance: string;
  readonly defaults?: ServiceDefaults;
  readonly services: Readonly<Record<string, ServiceSpec>>;
  /** Networks by logical name; `default` is the instance's own network (declare it only to configure it). */
  readonly networks?: Readonly<Record<string, NetworkSpec>>;
  /** Named volumes by logical name. */
  readonly volumes?: Readonly<Record<string, VolumeSpec>>;
  /** Secrets read from files, by name (mounted with a service's `secrets`). */
  readonly secrets?: Readonly<Record<string, FileSourceSpec>>;
  /** Configs read from files, by name (mounted with a service's `configs`). */
  readonly configs?: Readonly<Record<string, FileSourceSpec>>;
}
