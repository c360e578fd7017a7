/** One thing wrong with a topology: where (a field path, and the file and line when known) and what. */
export interface TopologyProblem {
  /** The field, as `services.backend.dependsOn[1]`; empty for the whole document. */
  readonly path: string;
  /** What is wrong, in one sentence. Never contains a secret value. */
  readonly message: string;
  /** 1-based line in `file`, when the topology came from a file and the field could be located. */
  readonly line?: number;
  /** The file the topology was read from. */
  readonly file?: string;
}

/** A problem before it is placed: the path as segments, so it can be mapped to a line. @internal */
export interface RawProblem {
  readonly path: readonly (string | number)[];
  readonly message: string;
  /** Set when the line is known already (syntax errors). */
  readonly line?: number;
}

const IDENTIFIER = /^[A-Za-z_$][\w$-]*$/;

/**
 * Render path segments the way a person reads them: `services.backend.dependsOn[1]`; keys that are not plain
 * identifiers are quoted (`environment["MY.VAR"]`).
 * @internal
 */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else {
      const key = String(segment);
      if (IDENTIFIER.test(key)) out += out === '' ? key : `.${key}`;
      else out += `[${JSON.stringify(key)}]`;
    }
  }
  return out;
}

/** `file:line`, `file`, or nothing, for the start of a problem's line. */
function where(problem: TopologyProblem): string {
  if (problem.file === undefined) return problem.line === undefined ? '' : `line ${problem.line}: `;
  return problem.line === undefined ? `${problem.file}: ` : `${problem.file}:${problem.line}: `;
}

/**
 * A readable multi-line message: a header, then one line per problem (`dive.yaml:12: services.a.image: …`).
 * @internal
 */
export function formatProblems(header: string, problems: readonly TopologyProblem[]): string {
  const lines = problems.map((p) => `  - ${where(p)}${p.path === '' ? '' : `${p.path}: `}${p.message}`);
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  return [`${header} (${count}):`, ...lines].join('\n');
}

/** Sort problems by line (unknown lines last), then path, and drop exact duplicates. @internal */
export function sortProblems(problems: readonly TopologyProblem[]): TopologyProblem[] {
  const seen = new Set<string>();
  const unique = problems.filter((p) => {
    const key = `${p.path}\u0000${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return unique.sort(
    (a, b) => (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER) || a.path.localeCompare(b.path),
  );
}
