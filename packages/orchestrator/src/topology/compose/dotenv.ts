import { interpolateString } from '../interpolate-string.js';

type Env = Readonly<Record<string, string | undefined>>;

/** What reading a `.env` / `env_file` text gives. @internal */
export interface DotEnv {
  /** The variables, in file order (a later line wins). A bare `NAME` line takes NAME from `env`, or is left out. */
  readonly values: Record<string, string>;
  /** Lines that are not `NAME=value`, each with its 1-based line. Never contains a value. */
  readonly problems: { readonly line: number; readonly message: string }[];
}

const ASSIGNMENT = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*(=|$)/;
const ESCAPES: Readonly<Record<string, string>> = { n: '\n', r: '\r', t: '\t', '\\': '\\', '"': '"', $: '$' };

/** A double-quoted value starting after its opening quote at `from`: the text (escapes kept) and where it ends. */
function doubleQuoted(text: string, from: number): { raw: string; end: number } | undefined {
  for (let i = from; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return { raw: text.slice(from, i), end: i + 1 };
  }
  return undefined;
}

/**
 * Parse a `.env` file as Compose does: `NAME=value` lines, `export NAME=value`, `#` comments (a ` #` after an
 * unquoted value starts one too); `'single'` quotes are literal; `"double"` quotes may span lines and take `\n`,
 * `\t`, `\\`, `\"` escapes; unquoted and double-quoted values interpolate `${VAR}` / `$VAR` (Compose's syntax)
 * from `env` and the lines above. With `raw`, values are taken as they are (Compose's `format: raw`).
 * @internal
 */
export function parseDotEnv(text: string, env: Env, raw = false): DotEnv {
  const values: Record<string, string> = {};
  const problems: DotEnv['problems'] = [];
  const lookup = new Proxy<Env>({}, { get: (_, name: string) => env[name] ?? values[name] });
  const expand = (v: string): string => (raw ? v : interpolateString(v, lookup, { unbraced: true }).value);
  const lineAt = (offset: number): number => text.slice(0, offset).split('\n').length;
  let offset = 0;
  while (offset < text.length) {
    const lineEnd = text.indexOf('\n', offset) < 0 ? text.length : text.indexOf('\n', offset);
    const line = text.slice(offset, lineEnd);
    const start = offset;
    offset = lineEnd + 1;
    if (/^\s*(#|$)/.test(line)) continue;
    const match = ASSIGNMENT.exec(line);
    const name = match?.[1];
    if (match === null || name === undefined) {
      problems.push({ line: lineAt(start), message: 'is not a NAME=value line' });
      continue;
    }
    if (match[2] === '') {
      const found = env[name];
      if (found !== undefined) values[name] = found;
      continue;
    }
    const valueStart = start + match[0].length;
    const rest = text.slice(valueStart).replace(/^[ \t]*/, '');
    const restStart = text.length - rest.length;
    if (!raw && rest.startsWith("'")) {
      const end = rest.indexOf("'", 1);
      if (end < 0) problems.push({ line: lineAt(start), message: 'has a quote that is not closed' });
      else values[name] = rest.slice(1, end);
      offset = Math.max(offset, end < 0 ? offset : text.indexOf('\n', restStart + end) + 1 || text.length);
    } else if (!raw && rest.startsWith('"')) {
      const quoted = doubleQuoted(text, restStart + 1);
      if (quoted === undefined) {
        problems.push({ line: lineAt(start), message: 'has a quote that is not closed' });
        continue;
      }
      const unescaped = quoted.raw.replace(/\\(.)/g, (whole, c: string) => (c === '$' ? '$$' : (ESCAPES[c] ?? whole)));
      values[name] = expand(unescaped);
      offset = Math.max(offset, text.indexOf('\n', quoted.end) + 1 || text.length);
    } else {
      const value = line.slice(match[0].length);
      values[name] = raw ? value : expand(value.replace(/\s+#.*$/, '').trim());
    }
  }
  return { values, problems };
}
