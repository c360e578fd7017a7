import { isAbsolute, resolve } from 'node:path';
import { isObj, isScalar, refuse, text, warn, type ComposeContext, type Obj, type Path } from './context.js';
import type { KeyHandler } from './handler.js';
import { bool, bytes, keyValues } from './values.js';

/** Top-level `volumes` → `topology.volumes`. @internal */
export function topLevelVolumes(value: unknown, c: ComposeContext): Record<string, unknown> | undefined {
  if (!isObj(value)) return undefined;
  const out: Record<string, unknown> = {};
  for (const [name, raw] of Object.entries(value)) {
    const at = ['volumes', name];
    const spec = isObj(raw) ? raw : {};
    const vol: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(spec)) {
      const keyAt = [...at, key];
      if (key === 'external') {
        if (isObj(v)) {
          warn(c, keyAt, "'external: { name }' is deprecated; use 'external: true' with 'name'");
          vol['external'] = true;
          if (isScalar(v['name'])) vol['name'] = String(v['name']);
        } else vol['external'] = bool(v, keyAt, c);
      } else if (key === 'name' || key === 'driver') vol[key] = String(v);
      else if (key === 'driver_opts') vol['driverOpts'] = keyValues(v, keyAt, c, () => '');
      else if (key === 'labels') vol['labels'] = keyValues(v, keyAt, c, () => '');
      else if (!key.startsWith('x-')) warn(c, keyAt, `volume '${name}': '${key}' is ignored`);
    }
    out[name] = vol;
  }
  return out;
}

/** A host path as Compose reads it: `~` is the home directory, a relative path is relative to the file. */
function hostPath(source: string, c: ComposeContext): string {
  if (source === '~' || source.startsWith('~/')) return resolve(c.env['HOME'] ?? '/', source.slice(2));
  return isAbsolute(source) ? source : resolve(c.dir, source);
}

const isPathLike = (s: string): boolean => s.startsWith('.') || s.startsWith('/') || s.startsWith('~');

/** `[SOURCE:]TARGET[:MODE]` → a mount. */
function shortMount(text: string, at: Path, name: string, c: ComposeContext): Record<string, unknown> | undefined {
  const parts = text.split(':');
  if (parts.length > 3 || parts.some((p) => p === '')) return refuse(c, at, 'must be [SOURCE:]TARGET[:MODE]');
  if (parts.length === 1) return { type: 'volume', target: parts[0] };
  const [source = '', target = '', mode = ''] = parts;
  const mount: Record<string, unknown> = isPathLike(source)
    ? { type: 'bind', source: hostPath(source, c), target, createHostPath: true }
    : { type: 'volume', source, target };
  for (const flag of mode === '' ? [] : mode.split(',')) {
    if (flag === 'ro') mount['readOnly'] = true;
    else if (flag === 'nocopy' && mount['type'] === 'volume') mount['nocopy'] = true;
    else if (flag !== 'rw')
      warn(c, at, `service '${name}': volume mode '${flag}' is ignored (only ro, rw and nocopy are applied)`);
  }
  return mount;
}

const LONG_KEYS = new Set(['type', 'source', 'target', 'read_only', 'bind', 'volume', 'tmpfs']);

/** The long syntax `{ type, source, target, read_only, bind, volume, tmpfs }` → a mount. */
function longMount(spec: Obj, at: Path, name: string, c: ComposeContext): Record<string, unknown> | undefined {
  const type = String(spec['type']);
  if (type !== 'volume' && type !== 'bind' && type !== 'tmpfs')
    return refuse(c, [...at, 'type'], `mount type '${type}' is not supported (volume, bind or tmpfs)`);
  const source = spec['source'] === undefined ? undefined : text(spec['source']);
  const mount: Record<string, unknown> = { type, target: String(spec['target']) };
  if (source !== undefined) mount['source'] = type === 'bind' ? hostPath(source, c) : source;
  if (spec['read_only'] !== undefined) mount['readOnly'] = bool(spec['read_only'], [...at, 'read_only'], c);
  const bind = isObj(spec['bind']) ? spec['bind'] : {};
  if (bind['create_host_path'] !== undefined)
    mount['createHostPath'] = bool(bind['create_host_path'], [...at, 'bind', 'create_host_path'], c);
  const volume = isObj(spec['volume']) ? spec['volume'] : {};
  if (volume['nocopy'] !== undefined) mount['nocopy'] = bool(volume['nocopy'], [...at, 'volume', 'nocopy'], c);
  const tmpfs = isObj(spec['tmpfs']) ? spec['tmpfs'] : {};
  if (tmpfs['size'] !== undefined) mount['tmpfsSizeBytes'] = bytes(tmpfs['size'], [...at, 'tmpfs', 'size'], c);
  const ignored = [
    ...Object.keys(spec).filter((k) => !LONG_KEYS.has(k) && !k.startsWith('x-')),
    ...Object.keys(bind)
      .filter((k) => k !== 'create_host_path')
      .map((k) => `bind.${k}`),
    ...Object.keys(volume)
      .filter((k) => k !== 'nocopy')
      .map((k) => `volume.${k}`),
    ...Object.keys(tmpfs)
      .filter((k) => k !== 'size')
      .map((k) => `tmpfs.${k}`),
  ];
  for (const key of ignored) warn(c, at, `service '${name}': volume option '${key}' is ignored`);
  return mount;
}

/** A service's `volumes`. @internal */
export const volumeHandlers = {
  volumes: (v, at, d, c) => {
    const list = Array.isArray(v) ? v : [];
    const mounts = list.flatMap((item: unknown, i) => {
      const mount = isObj(item)
        ? longMount(item, [...at, i], d.name, c)
        : shortMount(String(item), [...at, i], d.name, c);
      return mount === undefined ? [] : [mount];
    });
    d.container['volumes'] = mounts;
  },
} satisfies Readonly<Record<string, KeyHandler>>;

/** Each named volume a service mounts is declared at the top level (as Compose requires). @internal */
export function checkVolumeRefs(
  services: Readonly<Record<string, Record<string, unknown>>>,
  declared: Readonly<Record<string, unknown>> | undefined,
  c: ComposeContext,
): void {
  for (const [name, service] of Object.entries(services)) {
    const container = service['container'] as Record<string, unknown> | undefined;
    const mounts = (container?.['volumes'] ?? []) as readonly Record<string, unknown>[];
    mounts.forEach((m, i) => {
      const source = m['source'];
      if (m['type'] === 'volume' && typeof source === 'string' && declared?.[source] === undefined)
        refuse(
          c,
          ['services', name, 'volumes', i],
          `service '${name}' mounts volume '${source}', which is not declared`,
        );
    });
  }
}
