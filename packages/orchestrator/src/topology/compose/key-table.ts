/**
 * What the Compose import does with each key: `honoured` (mapped onto the model), `passed` (given to the Docker
 * API as it is, in `container.docker`), `warned` (ignored, with a warning naming the line) or `refused` (an error
 * naming the line: the file cannot be deployed as Compose would run it). docs/topology-format.md shows this table;
 * a test checks that every key of the compose-spec schema is here, handled, and in the docs.
 */
export type KeyHandling = 'honoured' | 'passed' | 'warned' | 'refused';

/** One row: the handling and what it means, as the docs say it. @internal */
export interface KeyRule {
  readonly handling: KeyHandling;
  readonly note: string;
}

const h = (note: string): KeyRule => ({ handling: 'honoured', note });
const p = (note: string): KeyRule => ({ handling: 'passed', note });
const w = (note: string): KeyRule => ({ handling: 'warned', note });
const r = (note: string): KeyRule => ({ handling: 'refused', note });

/** The service keys. @internal */
export const SERVICE_KEYS: Readonly<Record<string, KeyRule>> = {
  annotations: p('`HostConfig.Annotations`'),
  attach: w('log attachment is a `docker compose up` console feature'),
  blkio_config: p('`HostConfig.Blkio*` (weight, weight_device, device_read/write_bps/iops)'),
  build: h(
    '`container.build` `{ context, dockerfile, args, target }` (context relative to the file); other build options warned; `dockerfile_inline` and remote contexts refused',
  ),
  cap_add: h('`container.capAdd`'),
  cap_drop: h('`container.capDrop`'),
  cgroup: p('`HostConfig.CgroupnsMode`'),
  cgroup_parent: p('`HostConfig.CgroupParent`'),
  command: h('`container.command` (a string is split like a shell would, without expansion)'),
  configs: h('`container.configs` `{ source, target }`; `uid`, `gid`, `mode` warned'),
  container_name: h('`container.containerName`'),
  cpu_count: p('`HostConfig.CpuCount`'),
  cpu_percent: p('`HostConfig.CpuPercent`'),
  cpu_period: p('`HostConfig.CpuPeriod`'),
  cpu_quota: p('`HostConfig.CpuQuota`'),
  cpu_rt_period: p('`HostConfig.CpuRealtimePeriod`'),
  cpu_rt_runtime: p('`HostConfig.CpuRealtimeRuntime`'),
  cpu_shares: p('`HostConfig.CpuShares`'),
  cpus: h('`container.cpus`'),
  cpuset: p('`HostConfig.CpusetCpus`'),
  credential_spec: w('Windows gMSA only'),
  depends_on: h(
    '`dependsOn`: list → `started`; map `condition` → started/healthy/completed, `required: false` → `{ condition, required: false }`; `restart` is what a redeploy does anyway. Targets of `service_completed_successfully` become `kind: job`',
  ),
  deploy: h(
    '`resources.limits.memory/cpus/pids` → `memoryBytes`/`cpus`/`PidsLimit`, `resources.reservations.memory` → `MemoryReservation`, `update_config.order` → `update.order`, `restart_policy.condition` → `restart` (unless `restart` is set); `replicas` > 1 refused; other (Swarm) keys warned',
  ),
  develop: w('`docker compose watch` is a development loop'),
  device_cgroup_rules: p('`HostConfig.DeviceCgroupRules`'),
  devices: p('`HostConfig.Devices` (short `host[:container[:perms]]` and long syntax)'),
  dns: p('`HostConfig.Dns`'),
  dns_opt: p('`HostConfig.DnsOptions`'),
  dns_search: p('`HostConfig.DnsSearch`'),
  domainname: h('`container.domainname`'),
  entrypoint: h('`container.entrypoint`'),
  env_file: h(
    'read (relative to the file; `required: false`, `format: raw`) into `container.environment` under `environment`; the names are secrets unless listed in `x-dive.plain`',
  ),
  environment: h(
    '`container.environment` (list or map; a bare `KEY` reads the project environment, left out with a warning when unset)',
  ),
  expose: h('`container.expose` (ranges expanded)'),
  extends: h('merged before mapping, from the same file or `file:` (relative), as Compose merges'),
  external_links: w('legacy links to containers outside the project'),
  extra_hosts: p('`HostConfig.ExtraHosts` (list `host:ip` / `host=ip`, or a map)'),
  gpus: r('GPU requests are not supported'),
  group_add: p('`HostConfig.GroupAdd`'),
  healthcheck: h(
    '`container.healthcheck` (durations in ms; a string test → `CMD-SHELL`) and `health: [{ type: docker }]`; `disable: true` or `test: [NONE]` → `{ disable: true }`; `start_interval` warned',
  ),
  hostname: h('`container.hostname`'),
  image: h('`container.image`'),
  init: h('`container.init`'),
  ipc: p('`HostConfig.IpcMode`'),
  isolation: p('`HostConfig.Isolation`'),
  label_file: h('read like `env_file` into `container.labels` under `labels`'),
  labels: h('`container.labels` (list or map)'),
  links: w('service names (and aliases) already resolve on the instance network; link aliases are not created'),
  logging: p('`HostConfig.LogConfig` `{ Type: driver, Config: options }`'),
  mac_address: p('`Config.MacAddress`'),
  mem_limit: h('`container.memoryBytes` (`deploy.resources.limits.memory` wins)'),
  mem_reservation: p('`HostConfig.MemoryReservation`'),
  mem_swappiness: p('`HostConfig.MemorySwappiness`'),
  memswap_limit: p('`HostConfig.MemorySwap` (`-1` unlimited)'),
  models: r('model runners are not supported'),
  network_mode: h(
    '`container.networkMode`: `none`, `host`, `service:NAME`, `container:NAME`; `bridge`/`default` mean the instance network (warned)',
  ),
  networks: h(
    '`container.networks` (list or map; `aliases`, `ipv4_address`; other options warned); each must be declared at the top level or be `default`',
  ),
  oom_kill_disable: p('`HostConfig.OomKillDisable`'),
  oom_score_adj: p('`HostConfig.OomScoreAdj`'),
  pid: p('`HostConfig.PidMode`'),
  pids_limit: p('`HostConfig.PidsLimit`'),
  platform: h("`container.platform` (the create call's `platform`)"),
  ports: h(
    '`container.ports` (short and long syntax, ranges expanded, `[::1]:` hosts); long `mode`, `name`, `app_protocol` warned',
  ),
  post_start: r('lifecycle hooks are not supported'),
  pre_start: r('lifecycle hooks are not supported'),
  pre_stop: r('lifecycle hooks are not supported'),
  privileged: p('`HostConfig.Privileged`'),
  profiles: h('services with profiles are deployed only when one of them is active (`--profile`, `COMPOSE_PROFILES`)'),
  provider: r('provider services are not supported'),
  pull_policy: w('images are used as found locally or built; dive does not pull by policy'),
  pull_refresh_after: w('images are used as found locally or built; dive does not pull by policy'),
  read_only: h('`container.readOnly`'),
  restart: h('`container.restart` (applied once the service is healthy)'),
  runtime: p('`HostConfig.Runtime`'),
  scale: h('1 (or 0, deployed once with a warning); more is refused: one container per service'),
  secrets: h('`container.secrets` `{ source, target }`; `uid`, `gid`, `mode` warned'),
  security_opt: p('`HostConfig.SecurityOpt`'),
  shm_size: p('`HostConfig.ShmSize` (bytes)'),
  stdin_open: p('`Config.OpenStdin`'),
  stop_grace_period: h('`container.stopGraceMs`'),
  stop_signal: h('`container.stopSignal`'),
  storage_opt: p('`HostConfig.StorageOpt`'),
  sysctls: p('`HostConfig.Sysctls` (list or map)'),
  tmpfs: h('`container.tmpfs`'),
  tty: p('`Config.Tty`'),
  ulimits: h('`container.ulimits` `{ soft, hard }` (a single number is both)'),
  use_api_socket: r('giving a container the Docker API socket is not supported'),
  user: h('`container.user`'),
  userns_mode: p('`HostConfig.UsernsMode`'),
  uts: p('`HostConfig.UTSMode`'),
  volumes: h(
    '`container.volumes`: short `[SOURCE:]TARGET[:MODE]` (`ro`, `rw`, `nocopy`; other modes warned) and long syntax; named (declared at the top level), bind (relative to the file, `~` is HOME), tmpfs; `npipe`, `cluster`, `image` refused',
  ),
  volumes_from: r("sharing another container's volumes is not supported; mount the same named volume"),
  working_dir: h('`container.workingDir`'),
};

/** The top-level keys. @internal */
export const TOP_LEVEL_KEYS: Readonly<Record<string, KeyRule>> = {
  version: w('obsolete; ignored, as Compose does'),
  name: w('the instance code names what dive creates'),
  include: h(
    'the services, networks, volumes, secrets and configs of each included file (`path`, `project_directory`, `env_file`), relative paths against that file; a name defined twice is refused',
  ),
  services: h('`services`'),
  networks: h(
    '`networks` (`name`, `external`, `internal`, `driver`, `driver_opts`, `labels`, `attachable`, `enable_ipv6`; `ipam` and others warned); `default` is the instance network',
  ),
  volumes: h('`volumes` (`name`, `external`, `driver`, `driver_opts`, `labels`)'),
  secrets: h('`secrets` with `file:` (relative to the file); `environment:`, `external` refused'),
  configs: h('`configs` with `file:`; `content:`, `environment:`, `external` refused'),
  models: r('model runners are not supported'),
};
