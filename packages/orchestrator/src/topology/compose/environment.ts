import { resolve } from 'node:path';
import { isObj, isScalar, refuse, warn, type ComposeContext, type Path } from './context.js';
import { parseDotEnv } from './dotenv.js';
import type { KeyHandler, ServiceDraft } from './handler.js';
import { keyValues } from './values.js';

interface FileEntry {
  readonly path: string;
  readonly required: boolean;
  readonly raw: boolean;
  readonly at: Path;
}

function fileEntries(value: unknown, at: Path, c: ComposeContext): FileEntry[] {
  const list: unknown[] = Array.isArray(value) ? value : [value];
  return list.flatMap((item, i): FileEntry[] => {
    const itemAt = Array.isArray(value) ? [...at, i] : at;
    if (isScalar(item)) return [{ path: String(item), required: true, raw: false, at: itemAt }];
    if (isObj(item) && isScalar(item['path'])) {
      return [
        {
          path: String(item['path']),
          required: item['required'] !== false && item['required'] !== 'false',
          raw: item['format'] === 'raw',
          at: itemAt,
        },
      ];
    }
    refuse(c, itemAt, 'must be a path or { path, required, format }');
    return [];
  });
}

/** The variables of each of a service's `env_file`s (or `label_file`s) that can be read, in order. */
function readEnvFiles(
  value: unknown,
  at: Path,
  c: ComposeContext,
  what: string,
): { readonly file: string; readonly raw: boolean; readonly values: Record<string, string> }[] {
  return fileEntries(value, at, c).flatMap((entry) => {
    const file = resolve(c.dir, entry.path);
    const text = c.readText(file);
    if (text === undefined) {
      if (entry.required) refuse(c, entry.at, `${what} ${file} cannot be read`);
      return [];
    }
    const parsed = parseDotEnv(text, c.env, entry.raw);
    for (const p of parsed.problems) refuse(c, entry.at, `${file}:${p.line}: ${p.message}`);
    return [{ file, raw: entry.raw, values: parsed.values }];
  });
}

/** The files' variables merged, later files winning. */
const merged = (files: readonly { readonly values: Record<string, string> }[]): Record<string, string> =>
  Object.assign({}, ...files.map((f) => f.values)) as Record<string, string>;

/** Take `names` out of the service's env_file secrets (a later source gives them now). */
function overridden(c: ComposeContext, service: string, names: readonly string[]): void {
  for (const entry of c.envFiles) {
    if (entry.service === service) entry.names = entry.names.filter((n) => !names.includes(n));
  }
}

function setEnvironment(d: ServiceDraft, values: Record<string, string>): void {
  const current = (d.container['environment'] ?? {}) as Record<string, string>;
  d.container['environment'] = { ...current, ...values };
}

/** `environment`, `env_file`, `labels` and `label_file`. @internal */
export const environmentHandlers = {
  environment: (v, at, d, c) => {
    const values = keyValues(v, at, c, (key, keyAt) => {
      const found = c.env[key];
      if (found === undefined) warn(c, keyAt, `service '${d.name}': ${key} is not set in the environment; left out`);
      return found;
    });
    setEnvironment(d, values); // `environment` wins over `env_file`, whatever their order in the file
    overridden(c, d.name, Object.keys(values));
  },
  env_file: (v, at, d, c) => {
    const files = readEnvFiles(v, at, c, 'env_file');
    const values = merged(files);
    for (const name of Object.keys(values)) if (!c.plain.has(name)) c.secretNames.add(name);
    const own = (d.container['environment'] ?? {}) as Record<string, string>;
    d.container['environment'] = { ...values, ...own };
    // Which file each secret name came from (the last that sets it), unless `environment` already set it.
    files.forEach((f, i) => {
      const later = merged(files.slice(i + 1));
      const names = Object.keys(f.values).filter((n) => !c.plain.has(n) && !(n in own) && !(n in later));
      if (names.length > 0) c.envFiles.push({ service: d.name, file: f.file, raw: f.raw, names });
    });
  },
  labels: (v, at, d, c) => {
    const own = keyValues(v, at, c, () => '');
    d.container['labels'] = { ...((d.container['labels'] ?? {}) as Record<string, string>), ...own };
  },
  label_file: (v, at, d, c) => {
    const values = merged(readEnvFiles(v, at, c, 'label_file'));
    d.container['labels'] = { ...values, ...((d.container['labels'] ?? {}) as Record<string, string>) };
  },
} satisfies Readonly<Record<string, KeyHandler>>;
