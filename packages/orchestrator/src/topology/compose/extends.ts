import { dirname, isAbsolute, resolve } from 'node:path';
import { isObj, isScalar, refuse, text, type ComposeContext, type Obj, type Path } from './context.js';
import { readComposeFile } from './read-file.js';

const REPLACED = new Set(['command', 'entrypoint']);
const BY_TARGET = new Set(['volumes', 'devices']);
const AS_MAPS = new Set(['environment', 'labels', 'sysctls', 'annotations']);

/** `['A=1', 'B']` → `{ A: '1', B: null }`; maps stay. */
function asMap(value: unknown): unknown {
  if (!Array.isArray(value)) return value;
  return Object.fromEntries(
    value.map((item: unknown) => {
      const text = String(item);
      const eq = text.indexOf('=');
      return eq < 0 ? [text, null] : [text.slice(0, eq), text.slice(eq + 1)];
    }),
  );
}

const targetOf = (m: unknown): string =>
  isObj(m) ? String(m['target']) : (String(m).split(':')[String(m).split(':').length > 1 ? 1 : 0] ?? '');

/** Merge a service over its base as Compose does (maps by key, mounts by target, other lists appended). */
export function mergeService(base: Obj, local: Obj): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(local)) {
    const prior = out[key];
    const list = (v: unknown): unknown[] | undefined => (Array.isArray(v) ? (v as unknown[]) : undefined);
    const [before, after] = [list(prior), list(value)];
    if (prior === undefined || REPLACED.has(key)) out[key] = value;
    else if (AS_MAPS.has(key) && (Array.isArray(prior) || Array.isArray(value)))
      out[key] = { ...(asMap(prior) as Obj), ...(asMap(value) as Obj) };
    else if (BY_TARGET.has(key) && before !== undefined && after !== undefined) {
      const targets = new Set(after.map(targetOf));
      out[key] = [...before.filter((m) => !targets.has(targetOf(m))), ...after];
    } else if (before !== undefined && after !== undefined)
      out[key] = [...before, ...after.filter((v) => !before.some((p) => JSON.stringify(p) === JSON.stringify(v)))];
    else if (isObj(prior) && isObj(value)) out[key] = mergeService(prior, value);
    else out[key] = value;
  }
  return out;
}

/** Relative paths of a service from another directory, made absolute so they keep meaning the same files. @internal */
export function rebase(spec: Obj, dir: string): Record<string, unknown> {
  const abs = (p: unknown): unknown => (typeof p === 'string' && !isAbsolute(p) ? resolve(dir, p) : p);
  const out: Record<string, unknown> = { ...spec };
  if (isScalar(spec['build'])) out['build'] = abs(String(spec['build']));
  else if (isObj(spec['build'])) out['build'] = { ...spec['build'], context: abs(spec['build']['context'] ?? '.') };
  if (spec['env_file'] !== undefined) {
    const list: unknown[] = Array.isArray(spec['env_file']) ? spec['env_file'] : [spec['env_file']];
    out['env_file'] = list.map((e) => (isObj(e) ? { ...e, path: abs(e['path']) } : abs(e)));
  }
  if (Array.isArray(spec['volumes'])) {
    out['volumes'] = spec['volumes'].map((m: unknown) => {
      if (isObj(m)) return m['type'] === 'bind' ? { ...m, source: abs(m['source']) } : m;
      const text = String(m);
      return text.startsWith('.')
        ? `${resolve(dir, text.split(':')[0] ?? '')}:${text.split(':').slice(1).join(':')}`
        : m;
    });
  }
  return out;
}

interface Where {
  readonly file: string;
  readonly services: Obj;
}

/**
 * A service with its `extends` chain merged in (base first). `file:` bases are read relative to the file that
 * names them, with their relative paths made absolute. Cycles, unknown services and unreadable files are refused
 * at the service's `extends`.
 * @internal
 */
export function resolveExtends(name: string, where: Where, c: ComposeContext, at: Path, seen: string[] = []): Obj {
  const spec = where.services[name];
  if (!isObj(spec)) return {};
  const ext = spec['extends'];
  if (ext === undefined) return spec;
  const { extends: _, ...local } = spec;
  const baseName = text(isObj(ext) ? ext['service'] : ext);
  const fileText = isObj(ext) && isScalar(ext['file']) ? String(ext['file']) : undefined;
  const key = `${where.file}#${name}`;
  if (seen.includes(key)) return refuse(c, [...at, 'extends'], `extends cycle: ${[...seen, key].join(' → ')}`) ?? local;
  let base: Where = where;
  if (fileText !== undefined) {
    const file = resolve(dirname(where.file), fileText);
    const read = readComposeFile(file, c);
    if (typeof read === 'string') return refuse(c, [...at, 'extends', 'file'], read) ?? local;
    base = { file, services: isObj(read['services']) ? read['services'] : {} };
  }
  if (!isObj(base.services[baseName]))
    return (
      refuse(c, [...at, 'extends'], `extends service '${baseName}', which is not defined in ${base.file}`) ?? local
    );
  const baseSpec = resolveExtends(baseName, base, c, at, [...seen, key]);
  const rebased = base.file === where.file ? baseSpec : rebase(baseSpec, dirname(base.file));
  return mergeService(rebased, local);
}
