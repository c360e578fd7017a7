import type { z } from 'zod';
import { crossChecks } from './cross-checks.js';
import type { RawProblem } from './problems.js';
import { knownKeysAt, topologySchema } from './schema.js';
import { didYouMean } from './suggest.js';
import type { Topology } from './types.js';

/** What validating a raw value gives: the topology when there is no problem. @internal */
export type Validation =
  { readonly ok: true; readonly topology: Topology } | { readonly ok: false; readonly problems: RawProblem[] };

function toRaw(issue: z.core.$ZodIssue, prefix: readonly (string | number)[] = []): RawProblem[] {
  const path = [...prefix, ...issue.path.filter((s): s is string | number => typeof s !== 'symbol')];
  if (issue.code === 'invalid_union') {
    // The branch whose type matched (say, the map form of dependsOn) has the precise problems.
    const matched = issue.errors.filter(
      (branch) => !branch.every((i) => i.code === 'invalid_type' && i.path.length === 0),
    );
    if (matched.length === 1) return (matched[0] ?? []).flatMap((inner) => toRaw(inner, path));
  }
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({
      path: [...path, key],
      message: `unknown key '${key}'${didYouMean(key, knownKeysAt(path))}`,
    }));
  }
  if (issue.code === 'invalid_key') {
    const key = String(path.at(-1));
    const what = path.length === 2 && path[0] === 'services' ? 'service name' : 'key';
    return [{ path, message: `${what} '${key}' ${issue.issues[0]?.message ?? 'is not allowed'}` }];
  }
  if (issue.code === 'invalid_type') {
    const missing = issue.message.endsWith('received undefined');
    return [
      { path, message: missing ? `is required (${issue.expected})` : issue.message.replace(/^Invalid input: /, '') },
    ];
  }
  return [{ path, message: issue.message }];
}

/**
 * Validate anything against the topology model: the schema's problems and the cross-field rules, all at once.
 * @internal
 */
export function validateTopology(raw: unknown): Validation {
  const parsed = topologySchema.safeParse(raw);
  const problems = [
    ...(parsed.success ? [] : parsed.error.issues.flatMap((issue) => toRaw(issue))),
    ...crossChecks(raw),
  ];
  if (problems.length > 0 || !parsed.success) return { ok: false, problems };
  return { ok: true, topology: parsed.data as unknown as Topology };
}
