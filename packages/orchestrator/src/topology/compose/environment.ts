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

/** The variables of a service's `env_file`s (or `label_file`s), later files winning. */
function readEnvFiles(value: unknown, at: Path, c: ComposeContext, what: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of fileEntries(value, at, c)) {
    const file = resolve(c.dir, entry.path);
    const text = c.readText(file);
    if (text === undefined) {
      if (entry.required) refuse(c, entry.at, `${what} ${file} cannot be read`);
      continue;
    }
    const parsed = parseDotEnv(text, c.env, entry.raw);
    for (const p of parsed.problems) refuse(c, entry.at, `${file}:${p.line}: ${p.message}`);
    Object.assign(out, parsed.values);
  }
  return out;
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
  },
  env_file: (v, at, d, c) => {
    const values = readEnvFiles(v, at, c, 'env_file');
    for (const name of Object.keys(values)) if (!c.plain.has(name)) c.secretNames.add(name);
    const own = (d.container['environment'] ?? {}) as Record<string, string>;
    d.container['environment'] = { ...values, ...own };
  },
  labels: (v, at, d, c) => {
    const own = keyValues(v, at, c, () => '');
    d.container['labels'] = { ...((d.container['labels'] ?? {}) as Record<string, string>), ...own };
  },
  label_file: (v, at, d, c) => {
    const values = readEnvFiles(v, at, c, 'label_file');
    d.container['labels'] = { ...values, ...((d.container['labels'] ?? {}) as Record<string, string>) };
  },
} satisfies Readonly<Record<string, KeyHandler>>;
