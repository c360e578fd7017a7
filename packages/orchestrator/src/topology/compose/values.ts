import { parseComposeDuration } from '../compose-duration.js';
import { splitShellWords } from '../shell-words.js';
import { isObj, isScalar, refuse, type ComposeContext, type Path } from './context.js';

/** A Compose `command`/`entrypoint`: a list, or a string split into words like Compose does. @internal */
export function words(value: unknown, path: Path, c: ComposeContext): string[] | undefined {
  if (typeof value === 'string') {
    const split = splitShellWords(value);
    return split ?? refuse(c, path, 'has a quote that is not closed');
  }
  if (Array.isArray(value) && value.every(isScalar)) return value.map(String);
  return refuse(c, path, 'must be a string or a list of strings');
}

/** A list of strings, or a single string as a one-item list (`dns: 8.8.8.8`). @internal */
export function stringList(value: unknown, path: Path, c: ComposeContext): string[] | undefined {
  if (isScalar(value)) return [String(value)];
  if (Array.isArray(value) && value.every(isScalar)) return value.map(String);
  return refuse(c, path, 'must be a string or a list of strings');
}

/**
 * A `KEY=VALUE` list or a map (`environment`, `labels`, `sysctls`, …). `bare` decides what a key without a value
 * (`- KEY`, `KEY:` / `KEY: null`) gets: a value, or `undefined` to leave it out.
 * @internal
 */
export function keyValues(
  value: unknown,
  path: Path,
  c: ComposeContext,
  bare: (key: string, at: Path) => string | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  const put = (key: string, v: unknown, at: Path): void => {
    if (v === null || v === undefined) {
      const found = bare(key, at);
      if (found !== undefined) out[key] = found;
    } else if (isScalar(v)) out[key] = String(v);
    else refuse(c, at, 'must be a string, number or boolean');
  };
  if (Array.isArray(value)) {
    value.forEach((item: unknown, i) => {
      if (typeof item !== 'string') return refuse(c, [...path, i], 'must be a KEY=VALUE string');
      const eq = item.indexOf('=');
      put(eq < 0 ? item : item.slice(0, eq), eq < 0 ? null : item.slice(eq + 1), [...path, i]);
      return undefined;
    });
  } else if (isObj(value)) {
    for (const [key, v] of Object.entries(value)) put(key, v, [...path, key]);
  } else if (value !== null && value !== undefined) refuse(c, path, 'must be a list of KEY=VALUE or a map');
  return out;
}

/** A Compose duration (`1m30s`, `500ms`) in milliseconds. @internal */
export function duration(value: unknown, path: Path, c: ComposeContext): number | undefined {
  const ms = typeof value === 'string' ? parseComposeDuration(value) : undefined;
  return ms ?? refuse(c, path, 'must be a duration like 30s, 1m30s or 500ms');
}

const BYTE_UNITS: Readonly<Record<string, number>> = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

/** A Compose byte size (`512m`, `1gb`, `2048`, `1.5g`) in bytes. @internal */
export function bytes(value: unknown, path: Path, c: ComposeContext): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value) && value > 0) return value;
  const m = typeof value === 'string' ? /^(\d+(?:\.\d+)?)\s*([bkmgt]?)b?$/i.exec(value.trim()) : null;
  const factor = BYTE_UNITS[(m?.[2] ?? '').toLowerCase()];
  const n = m === null || factor === undefined ? Number.NaN : Math.round(Number(m[1]) * factor);
  return n > 0 ? n : refuse(c, path, 'must be a size like 512m, 1g or a number of bytes');
}

const TRUE = new Set(['true', 'yes', 'y', 'on', '1']);
const FALSE = new Set(['false', 'no', 'n', 'off', '0']);

/** A boolean, also from an interpolated string (`"true"`, `"yes"`, `"0"`). @internal */
export function bool(value: unknown, path: Path, c: ComposeContext): boolean | undefined {
  if (typeof value === 'boolean') return value;
  const text = String(value).toLowerCase();
  if (TRUE.has(text)) return true;
  if (FALSE.has(text)) return false;
  return refuse(c, path, 'must be true or false');
}

/** A whole number, also from an interpolated string. @internal */
export function integer(value: unknown, path: Path, c: ComposeContext): number | undefined {
  const n = typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) ? n : refuse(c, path, 'must be a whole number');
}

/** A number, also from an interpolated string (`cpus: '0.5'`). @internal */
export function decimal(value: unknown, path: Path, c: ComposeContext): number | undefined {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : refuse(c, path, 'must be a number');
}
