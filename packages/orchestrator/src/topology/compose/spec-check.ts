import type { RawProblem } from '../problems.js';
import { didYouMean } from '../suggest.js';
import { serviceKeys, topLevelKeys, validate, type ComposeSpecError } from './spec/validate-compose-spec.generated.js';

type Segment = string | number;

/** `/services/web/ports/0` → `['services', 'web', 'ports', 0]` (JSON-pointer unescaping; digits become indexes). */
function segments(pointer: string): Segment[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'))
    .map((s) => (/^(0|[1-9]\d*)$/.test(s) ? Number(s) : s));
}

const TYPE_WORDS: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a map',
  null: 'empty',
};

function typeWords(errors: readonly ComposeSpecError[]): string {
  const types = errors.flatMap((e) => {
    const t = e.params['type'];
    return Array.isArray(t) ? t.map(String) : [String(t)];
  });
  const words = [...new Set(types.map((t) => TYPE_WORDS[t] ?? t))];
  return words.length <= 1 ? (words[0] ?? 'something else') : `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`;
}

/** One readable sentence for one Ajv error (not a union summary). */
function describe(error: ComposeSpecError, path: Segment[]): RawProblem {
  const p = error.params;
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(p['additionalProperty']);
      const known = path.length === 0 ? topLevelKeys : path.length === 2 && path[0] === 'services' ? serviceKeys : [];
      if (path.length === 1 && path[0] !== 'x-dive')
        return { path: [...path, key], message: `'${key}' is not a valid name (letters, digits, '.', '_', '-')` };
      return { path: [...path, key], message: `unknown key '${key}'${didYouMean(key, known)}` };
    }
    case 'required':
      return { path, message: `'${String(p['missingProperty'])}' is required` };
    case 'type':
      return { path, message: `must be ${typeWords([error])}` };
    case 'enum':
      return { path, message: `must be one of ${(p['allowedValues'] as unknown[]).map(String).join(', ')}` };
    case 'const':
      return { path, message: `must be ${String(p['allowedValue'])}` };
    default:
      return { path, message: error.message ?? `fails the compose-spec rule '${error.keyword}'` };
  }
}

const isUnion = (e: ComposeSpecError): boolean => e.keyword === 'oneOf' || e.keyword === 'anyOf';
const under = (inner: string, outer: string): boolean => inner === outer || inner.startsWith(`${outer}/`);

/**
 * Validate a parsed (and interpolated) Compose document against the official compose-spec JSON schema. A value
 * that may take several forms (a list or a map, a string or a list) gets one problem listing the forms, unless
 * it has the right form and something inside it is wrong, which is then reported instead.
 * @returns the problems, each with its path (empty when the document is valid)
 * @internal
 */
export function checkComposeSpec(document: unknown): RawProblem[] {
  if (validate(document)) return [];
  const errors = validate.errors ?? [];
  const unions = errors.filter(isUnion);
  const problems: RawProblem[] = [];
  const covered = new Set<string>();
  // Outermost unions first, so a nested union inside a matched branch is handled on its own.
  for (const union of [...unions].sort((a, b) => a.instancePath.length - b.instancePath.length)) {
    const at = union.instancePath;
    if ([...covered].some((c) => under(at, c))) continue;
    const deeper = errors.filter((e) => e.instancePath !== at && under(e.instancePath, at));
    if (deeper.length > 0) continue; // a branch matched: its inner errors are reported one by one
    covered.add(at);
    const shapes = errors.filter((e) => e.instancePath === at && e.keyword === 'type');
    problems.push({ path: segments(at), message: `must be ${typeWords(shapes)}` });
  }
  for (const error of errors) {
    if (isUnion(error) || [...covered].some((c) => under(error.instancePath, c))) continue;
    // A type miss beside a deeper error is one branch of a union that did not match; the deeper error says more.
    const branchMiss =
      error.keyword === 'type' &&
      unions.some((u) => u.instancePath === error.instancePath) &&
      errors.some((e) => e.instancePath !== error.instancePath && under(e.instancePath, error.instancePath));
    if (!branchMiss) problems.push(describe(error, segments(error.instancePath)));
  }
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${JSON.stringify(p.path)}\u0000${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
