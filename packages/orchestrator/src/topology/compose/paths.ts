/** Model field → the Compose key it came from (when the names differ). */
const RENAMED: Readonly<Record<string, string>> = {
  network: 'network_mode',
  networkMode: 'network_mode',
  dependsOn: 'depends_on',
  health: 'healthcheck',
  workingDir: 'working_dir',
  stopSignal: 'stop_signal',
  stopGraceMs: 'stop_grace_period',
  capAdd: 'cap_add',
  capDrop: 'cap_drop',
  memoryBytes: 'mem_limit',
  update: 'deploy',
  containerName: 'container_name',
  readOnly: 'read_only',
  enableIpv6: 'enable_ipv6',
  driverOpts: 'driver_opts',
};
/** Fields whose items do not line up one to one with the Compose file's (ranges expanded, forms merged). */
const TRUNCATED = new Set(['healthcheck', 'ports', 'expose', 'deploy', 'docker', 'environment', 'labels']);

/**
 * The Compose path of a field of the converted topology, so its problems point into the Compose file:
 * `services.web.container.networkMode` → `services.web.network_mode`.
 * @internal
 */
export function composePathOf(path: readonly (string | number)[]): (string | number)[] {
  if (path.length === 1 && path[0] === 'instance') return ['x-dive', 'instance'];
  if (path[0] !== 'services' || path.length < 3) {
    return path.map((s) => (typeof s === 'string' ? (RENAMED[s] ?? s) : s));
  }
  const rest = path.slice(2);
  if (rest[0] === 'container') rest.shift();
  if (rest[0] === 'kind') rest.splice(0);
  if (typeof rest[0] === 'string') rest[0] = RENAMED[rest[0]] ?? rest[0];
  if (typeof rest[0] === 'string' && TRUNCATED.has(rest[0])) rest.splice(1);
  return ['services', path[1] ?? '', ...rest];
}
