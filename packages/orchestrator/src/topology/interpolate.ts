import { isPair, isScalar, isSeq, visit, type Document } from 'yaml';
import { interpolateString, type InterpolateOptions } from './interpolate-string.js';
import type { RawProblem } from './problems.js';

type Env = Readonly<Record<string, string | undefined>>;

export { interpolateString, type Interpolated, type InterpolateOptions } from './interpolate-string.js';

/** The number or boolean an unquoted YAML scalar with this text would be; otherwise the text. */
function plainValue(text: string): string | number | boolean {
  if (/^-?(0|[1-9]\d*)(\.\d+)?$/.test(text)) return Number(text);
  if (text === 'true' || text === 'false') return text === 'true';
  return text;
}

/** What interpolating a document found. @internal */
export interface DocumentInterpolation {
  /** Malformed references, required variables unset, and (unless `missingIsWarning`) unset variables. */
  readonly problems: RawProblem[];
  /** Unset variables, with `missingIsWarning` (Compose's "defaulting to a blank string"). */
  readonly warnings: RawProblem[];
  /** Every variable read, sorted, unique. */
  readonly used: string[];
}

/**
 * Interpolate every string value (not keys) of a parsed document in place, from `env`. An unquoted value that
 * becomes a number or `true`/`false` is read as one (`port: ${PORT}`); quote it to keep a string. Problems name the
 * field (its path) and the variable; never a value.
 * @internal
 */
export function interpolateDocument(
  doc: Document,
  env: Env,
  options: InterpolateOptions & { readonly missingIsWarning?: boolean } = {},
): DocumentInterpolation {
  const problems: RawProblem[] = [];
  const warnings: RawProblem[] = [];
  const used = new Set<string>();
  visit(doc, {
    Scalar(key, node, ancestors) {
      if (key === 'key' || typeof node.value !== 'string' || !node.value.includes('$')) return;
      const result = interpolateString(node.value, env, options);
      const path = ancestors.flatMap((a, i): (string | number)[] => {
        if (isPair(a)) return [isScalar(a.key) ? String(a.key.value) : String(a.key)];
        if (isSeq(a)) return [a.items.indexOf(ancestors[i + 1] ?? node)];
        return [];
      });
      for (const name of result.used) used.add(name);
      for (const name of result.missing) {
        if (options.missingIsWarning === true)
          warnings.push({ path, message: `environment variable ${name} is not set; defaulting to a blank string` });
        else
          problems.push({
            path,
            message: `environment variable ${name} is not set (use \${${name}:-default} for a default)`,
          });
      }
      for (const bad of result.malformed) problems.push({ path, message: `'${bad}' is not a valid \${VAR} reference` });
      for (const text of result.required) problems.push({ path, message: `required variable ${text}` });
      // An unquoted scalar reads as YAML would have read the value written in place: `port: ${PORT}` is a number.
      node.value = node.type === 'PLAIN' ? plainValue(result.value) : result.value;
    },
  });
  return { problems, warnings, used: [...used].sort() };
}
