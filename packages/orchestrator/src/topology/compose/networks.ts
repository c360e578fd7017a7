import { isObj, isScalar, refuse, warn, type ComposeContext, type Obj, type Path } from './context.js';
import type { KeyHandler } from './handler.js';
import { bool, keyValues, stringList } from './values.js';

const stringMap = (v: unknown, at: Path, c: ComposeContext): Record<string, string> => keyValues(v, at, c, () => '');

/** A top-level `external:` (true, or the legacy `{ name }`) into `external` (and `name`). */
function external(spec: Obj, at: Path, c: ComposeContext): Record<string, unknown> {
  const value = spec['external'];
  if (value === undefined) return {};
  if (isObj(value)) {
    warn(c, [...at, 'external'], "'external: { name }' is deprecated; use 'external: true' with 'name'");
    return { external: true, ...(isScalar(value['name']) ? { name: String(value['name']) } : {}) };
  }
  return { external: bool(value, [...at, 'external'], c) };
}

const NETWORK_FIELDS: Readonly<Record<string, string>> = {
  name: 'name',
  driver: 'driver',
  internal: 'internal',
  attachable: 'attachable',
  enable_ipv6: 'enableIpv6',
  driver_opts: 'driverOpts',
  labels: 'labels',
};

/** Top-level `networks` → `topology.networks` (`default` is the instance's own network). @internal */
export function topLevelNetworks(value: unknown, c: ComposeContext): Record<string, unknown> | undefined {
  if (!isObj(value)) return undefined;
  const out: Record<string, unknown> = {};
  for (const [name, raw] of Object.entries(value)) {
    const at = ['networks', name];
    const spec = isObj(raw) ? raw : {};
    const net: Record<string, unknown> = external(spec, at, c);
    for (const [key, v] of Object.entries(spec)) {
      const field = NETWORK_FIELDS[key];
      if (key === 'external' || key.startsWith('x-')) continue;
      if (field === undefined) {
        warn(c, [...at, key], `network '${name}': '${key}' is ignored (Docker's defaults apply)`);
        continue;
      }
      if (key === 'internal' || key === 'attachable' || key === 'enable_ipv6') net[field] = bool(v, [...at, key], c);
      else if (key === 'driver_opts' || key === 'labels') net[field] = stringMap(v, [...at, key], c);
      else net[field] = String(v);
    }
    out[name] = net;
  }
  return out;
}

const ATTACHMENT_IGNORED = new Set([
  'ipv6_address',
  'link_local_ips',
  'mac_address',
  'driver_opts',
  'priority',
  'gw_priority',
  'interface_name',
]);

/** `networks` and `network_mode` of a service. @internal */
export const networkHandlers = {
  networks: (v, at, d, c) => {
    const names = Array.isArray(v) ? v.map(String) : isObj(v) ? Object.keys(v) : [];
    const out: Record<string, unknown> = {};
    for (const name of names) {
      const spec = isObj(v) ? v[name] : undefined;
      const attachment: Record<string, unknown> = {};
      if (isObj(spec)) {
        for (const [key, value] of Object.entries(spec)) {
          const keyAt = [...at, name, key];
          if (key === 'aliases') attachment['aliases'] = stringList(value, keyAt, c);
          else if (key === 'ipv4_address') attachment['ipv4Address'] = String(value);
          else if (ATTACHMENT_IGNORED.has(key))
            warn(c, keyAt, `service '${d.name}': network '${name}': '${key}' is ignored`);
        }
      }
      out[name] = attachment;
    }
    d.container['networks'] = out;
  },
  network_mode: (v, at, d, c) => {
    const mode = String(v);
    if (mode === 'none' || mode === 'host' || /^(service|container):.+/.test(mode)) d.container['networkMode'] = mode;
    else if (mode === 'bridge' || mode === 'default')
      warn(c, at, `service '${d.name}': network_mode ${mode} means the instance's own network here`);
    else refuse(c, at, 'must be none, host, bridge, service:NAME or container:NAME');
  },
} satisfies Readonly<Record<string, KeyHandler>>;

/**
 * Checks across services once they are mapped: each attached network is declared (or `default`), a service is
 * not both `network_mode` and `networks`, `service:NAME` names a service; ports of a `host`/`none` service are
 * dropped with a warning, as Compose does.
 * @internal
 */
export function checkNetworkRefs(
  services: Readonly<Record<string, Record<string, unknown>>>,
  declared: Readonly<Record<string, unknown>> | undefined,
  c: ComposeContext,
): void {
  for (const [name, service] of Object.entries(services)) {
    const container = service['container'] as Record<string, unknown> | undefined;
    const at = ['services', name];
    const networks = container?.['networks'] as Record<string, unknown> | undefined;
    const mode = container?.['networkMode'] as string | undefined;
    if (networks !== undefined && mode !== undefined)
      refuse(c, [...at, 'network_mode'], `service '${name}' sets both network_mode and networks`);
    for (const net of Object.keys(networks ?? {})) {
      if (net !== 'default' && declared?.[net] === undefined)
        refuse(c, [...at, 'networks', net], `service '${name}' uses network '${net}', which is not declared`);
    }
    if ((mode === 'host' || mode === 'none') && container?.['ports'] !== undefined) {
      warn(c, [...at, 'ports'], `service '${name}': ports are not published with network_mode ${mode} (as Compose)`);
      delete container['ports'];
    }
    const target = mode?.startsWith('service:') === true ? mode.slice('service:'.length) : undefined;
    if (target !== undefined && services[target] === undefined)
      refuse(c, [...at, 'network_mode'], `service '${name}' shares the network of '${target}', which is not defined`);
  }
}
