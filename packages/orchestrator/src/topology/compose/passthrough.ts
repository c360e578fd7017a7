import { isObj, text, type ComposeContext, type Path } from './context.js';
import type { KeyHandler } from './handler.js';
import { bool, bytes, integer, keyValues, stringList } from './values.js';

type Convert = (value: unknown, at: Path, c: ComposeContext) => unknown;

const asString: Convert = (v) => String(v);
const asMap: Convert = (v, at, c) => keyValues(v, at, c, () => '');
/** `-1` (unlimited) or a size. */
const sizeOrUnlimited: Convert = (v, at, c) => (String(v) === '-1' ? -1 : bytes(v, at, c));

/** `/dev/x[:/dev/y[:rwm]]` or `{ source, target, permissions }` → Docker's device mapping. */
const devices: Convert = (v) =>
  (Array.isArray(v) ? v : []).map((item: unknown) => {
    if (isObj(item)) {
      const source = text(item['source']);
      return {
        PathOnHost: source,
        PathInContainer: text(item['target'] ?? source),
        CgroupPermissions: text(item['permissions'] ?? 'rwm'),
      };
    }
    const [host = '', container = host, perms = 'rwm'] = String(item).split(':');
    return { PathOnHost: host, PathInContainer: container, CgroupPermissions: perms };
  });

/** `host:ip` / `host=ip` list or a map → Docker's `host:ip` list. */
const extraHosts: Convert = (v) =>
  Array.isArray(v)
    ? v.map((h: unknown) => String(h).replace(/^([^:=]+)=/, '$1:'))
    : Object.entries(isObj(v) ? v : {}).flatMap(([host, ip]) =>
        (Array.isArray(ip) ? ip : [ip]).map((x: unknown) => `${host}:${String(x)}`),
      );

const logging: Convert = (v, at, c) => {
  const spec = isObj(v) ? v : {};
  return {
    Type: text(spec['driver'] ?? ''),
    Config: spec['options'] === undefined ? {} : keyValues(spec['options'], [...at, 'options'], c, () => ''),
  };
};

const rates = (list: unknown, key: string): { Path: string; [k: string]: unknown }[] =>
  (Array.isArray(list) ? list : [])
    .filter(isObj)
    .map((x) => ({ Path: String(x['path']), [key]: x[key.toLowerCase()] }));

const blkio: Convert = (v, at, c) => {
  const spec = isObj(v) ? v : {};
  return {
    ...(spec['weight'] === undefined ? {} : { BlkioWeight: integer(spec['weight'], [...at, 'weight'], c) }),
    ...(spec['weight_device'] === undefined ? {} : { BlkioWeightDevice: rates(spec['weight_device'], 'Weight') }),
    ...(spec['device_read_bps'] === undefined ? {} : { BlkioDeviceReadBps: rates(spec['device_read_bps'], 'Rate') }),
    ...(spec['device_write_bps'] === undefined ? {} : { BlkioDeviceWriteBps: rates(spec['device_write_bps'], 'Rate') }),
    ...(spec['device_read_iops'] === undefined ? {} : { BlkioDeviceReadIOps: rates(spec['device_read_iops'], 'Rate') }),
    ...(spec['device_write_iops'] === undefined
      ? {}
      : { BlkioDeviceWriteIOps: rates(spec['device_write_iops'], 'Rate') }),
  };
};

/** Where a pass-through key goes: the create call's body (`config`) or its `HostConfig`, and the Docker field. */
interface PassThrough {
  readonly to: 'config' | 'hostConfig';
  /** The Docker API field; `''` spreads the converted object's fields into HostConfig (blkio_config). */
  readonly field: string;
  readonly convert: Convert;
}

const host = (field: string, convert: Convert): PassThrough => ({ to: 'hostConfig', field, convert });

/**
 * The Compose keys the Docker API takes as they are, and the field each lands in. Documented in
 * docs/topology-format.md (the key table); a test checks that every one is there.
 * @internal
 */
export const PASS_THROUGH: Readonly<Record<string, PassThrough>> = {
  tty: { to: 'config', field: 'Tty', convert: bool },
  stdin_open: { to: 'config', field: 'OpenStdin', convert: bool },
  mac_address: { to: 'config', field: 'MacAddress', convert: asString },
  privileged: host('Privileged', bool),
  sysctls: host('Sysctls', asMap),
  shm_size: host('ShmSize', bytes),
  devices: host('Devices', devices),
  dns: host('Dns', stringList),
  dns_search: host('DnsSearch', stringList),
  dns_opt: host('DnsOptions', stringList),
  extra_hosts: host('ExtraHosts', extraHosts),
  security_opt: host('SecurityOpt', stringList),
  pid: host('PidMode', asString),
  ipc: host('IpcMode', asString),
  uts: host('UTSMode', asString),
  userns_mode: host('UsernsMode', asString),
  cgroup: host('CgroupnsMode', asString),
  cgroup_parent: host('CgroupParent', asString),
  isolation: host('Isolation', asString),
  runtime: host('Runtime', asString),
  group_add: host('GroupAdd', stringList),
  oom_kill_disable: host('OomKillDisable', bool),
  oom_score_adj: host('OomScoreAdj', integer),
  pids_limit: host('PidsLimit', integer),
  mem_reservation: host('MemoryReservation', bytes),
  memswap_limit: host('MemorySwap', sizeOrUnlimited),
  mem_swappiness: host('MemorySwappiness', integer),
  cpu_shares: host('CpuShares', integer),
  cpu_quota: host('CpuQuota', integer),
  cpu_period: host('CpuPeriod', integer),
  cpu_rt_period: host('CpuRealtimePeriod', integer),
  cpu_rt_runtime: host('CpuRealtimeRuntime', integer),
  cpuset: host('CpusetCpus', asString),
  cpu_count: host('CpuCount', integer),
  cpu_percent: host('CpuPercent', integer),
  device_cgroup_rules: host('DeviceCgroupRules', stringList),
  storage_opt: host('StorageOpt', asMap),
  logging: host('LogConfig', logging),
  annotations: host('Annotations', asMap),
  blkio_config: host('', blkio),
};

/** One handler per pass-through key. @internal */
export const passThroughHandlers: Readonly<Record<string, KeyHandler>> = Object.fromEntries(
  Object.entries(PASS_THROUGH).map(([key, p]): [string, KeyHandler] => [
    key,
    (v, at, d, c) => {
      const converted = p.convert(v, at, c);
      if (converted === undefined) return;
      const target = p.to === 'config' ? d.config : d.hostConfig;
      if (p.field === '') Object.assign(target, converted);
      else target[p.field] = converted;
    },
  ]),
);
