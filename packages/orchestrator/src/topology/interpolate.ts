import { isPair, isScalar, isSeq, visit, type Document } from 'yaml';
import type { RawProblem } from './problems.js';

const REFERENCE = /\$(\$|\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}|\{[^}]*\}?)/g;

/** The result of interpolating one string. @internal */
export type Interpolated = {
  readonly value: string;
  readonly missing: string[];
  readonly malformed: string[];
  /** Variables whose (non-empty) values went into `value`. */
  readonly used: string[];
};

/**
 * Replace `${VAR}` with the variable's value and `${VAR:-default}` with the value or, when unset or empty, the
 * default; `$$` is a literal `$`. Unset variables without a default are reported in `missing`; a `${` that is not a
 * well-formed reference is reported in `malformed`.
 * @internal
 */
export function interpolateString(text: string, env: Readonly<Record<string, string | undefined>>): Interpolated {
  const missing: string[] = [];
  const malformed: string[] = [];
  const used: string[] = [];
  const value = text.replace(
    REFERENCE,
    (whole, _inner: string, name: string | undefined, fallback: string | undefined) => {
      if (whole === '$$') return '$';
      if (name === undefined) {
        malformed.push(whole);
        return whole;
      }
      const found = env[name];
      if (found === undefined || found === '') {
        if (fallback !== undefined) return fallback;
        if (found === undefined) missing.push(name);
        return '';
      }
      used.push(name);
      return found;
    },
  );
  return { value, missing, malformed, used };
}

/** The number or boolean an unquoted YAML scalar with this text would be; otherwise the text. */
function plainValue(text: string): string | number | boolean {
  if (/^-?(0|[1-9]\d*)(\.\d+)?$/.test(text)) return Number(text);
  if (text === 'true' || text === 'false') return text === 'true';
  return text;
}

/**
 * Interpolate every string value (not keys) of a parsed document in place, from `env`. An unquoted value that
 * becomes a number or `true`/`false` is read as one (`port: ${PORT}`); quote it to keep a string. Problems name the field
 * (its path) and the variable; never a value. The names of the variables whose values went in are added to `used`.
 * @internal
 */
export function interpolateDocument(
  doc: Document,
  env: Readonly<Record<string, string | undefined>>,
  used: Set<string> = new Set(),
): RawProblem[] {
  const problems: RawProblem[] = [];
  visit(doc, {
    Scalar(key, node, ancestors) {
      if (key === 'key' || typeof node.value !== 'string' || !node.value.includes('$')) return;
      const result = interpolateString(node.value, env);
      for (const name of result.used) used.add(name);
      const path = ancestors.flatMap((a, i): (string | number)[] => {
        if (isPair(a)) return [isScalar(a.key) ? String(a.key.value) : String(a.key)];
        if (isSeq(a)) return [a.items.indexOf(ancestors[i + 1] ?? node)];
        return [];
      });
      for (const name of result.missing) {
        problems.push({
          path,
          message: `environment variable ${name} is not set (use \${${name}:-default} for a default)`,
        });
      }
      for (const bad of result.malformed) problems.push({ path, message: `'${bad}' is not a valid \${VAR} reference` });
      // An unquoted scalar reads as YAML would have read the value written in place: `port: ${PORT}` is a number.
      node.value = node.type === 'PLAIN' ? plainValue(result.value) : result.value;
    },
  });
  return problems;
}
