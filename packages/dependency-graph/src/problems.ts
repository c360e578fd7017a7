/** Two or more services depend on each other in a circle. */
export interface CycleProblem {
  readonly kind: 'cycle';
  /**
   * One cycle, in dependency order, closed on its first service: `['a', 'b', 'a']` means `a` depends on `b` and
   * `b` on `a`. It starts at the smallest name of its component and is a shortest cycle through it.
   */
  readonly path: readonly string[];
  /** Every service of the strongly connected component the cycle lies in (sorted): all of them are entangled. */
  readonly services: readonly string[];
}

/** A service depends on a name that is not a service of the graph. */
export interface UnknownDependencyProblem {
  readonly kind: 'unknown-dependency';
  /** The service whose `dependsOn` names the missing service. */
  readonly service: string;
  /** The missing name. */
  readonly dependency: string;
}

/** A service lists itself in its own `dependsOn`. */
export interface SelfDependencyProblem {
  readonly kind: 'self-dependency';
  readonly service: string;
}

/** A service name does not follow {@link SERVICE_NAME_PATTERN}. */
export interface InvalidNameProblem {
  readonly kind: 'invalid-name';
  readonly service: string;
}

/** A `dependsOn` entry is not a name, or its condition is not a {@link DependencyCondition}. */
export interface InvalidDependencyProblem {
  readonly kind: 'invalid-dependency';
  readonly service: string;
  /** The offending dependency name when there is one (a bad condition), else `undefined`. */
  readonly dependency: string | undefined;
  /** What is wrong, in words. */
  readonly reason: string;
}

/** One problem of a dependency graph; switch on `kind`. */
export type GraphProblem =
  CycleProblem | UnknownDependencyProblem | SelfDependencyProblem | InvalidNameProblem | InvalidDependencyProblem;

/** A path joined with arrows; a long one keeps its first and last five services. */
function shortPath(path: readonly string[]): string {
  if (path.length <= 12) return path.join(' → ');
  const hidden = path.length - 10;
  return [...path.slice(0, 5), `… ${hidden} more …`, ...path.slice(-5)].join(' → ');
}

/**
 * One line describing a problem, for messages and logs.
 * @param problem - a problem from {@link GraphValidationError.problems}
 * @returns e.g. `"cycle: a → b → a"` or `"backend depends on unknown service 'redis2'"`
 */
export function describeProblem(problem: GraphProblem): string {
  switch (problem.kind) {
    case 'cycle':
      return `cycle: ${shortPath(problem.path)}`;
    case 'unknown-dependency':
      return `'${problem.service}' depends on unknown service '${problem.dependency}'`;
    case 'self-dependency':
      return `'${problem.service}' depends on itself`;
    case 'invalid-name':
      return `invalid service name ${JSON.stringify(problem.service)} (letters, digits, '_', '.', '-'; starts with a letter or digit; at most 63 characters)`;
    case 'invalid-dependency':
      return `'${problem.service}' has an invalid dependsOn entry: ${problem.reason}`;
  }
}
