import { err, ok, type Result } from 'neverthrow';
import type { DependencyGraph } from './dependency-graph.js';
import { GraphValidationError } from './errors.js';
import type { CycleProblem, GraphProblem } from './problems.js';
import { compile } from './internal/compiled.js';
import { findCycles } from './internal/cycles.js';
import { CompiledGraph } from './internal/graph-impl.js';
import { parseServices } from './internal/parse.js';
import { sortTopologically } from './internal/topo.js';
import type { ServiceMap } from './types.js';

/**
 * Validate services and build their dependency graph. Every problem is reported at once: invalid names, malformed
 * `dependsOn` entries, self-dependencies, unknown dependencies and every cycle (one per entangled component, with
 * its path). Linear time apart from sorting; no recursion, so a 100,000-service chain is fine.
 *
 * @param services - service name → `{ dependsOn }`, where `dependsOn` is a list of names (each with the default
 *   condition, `healthy`) or a map of name → `'started' | 'healthy' | 'completed'`; other fields are ignored
 * @returns Ok with the {@link DependencyGraph}; Err `GraphValidationError` (1006) whose `problems` lists every
 *   problem
 * @throws TypeError when `services` is neither an object nor a Map (a programmer error)
 * @example
 * ```ts
 * const graph = createDependencyGraph({
 *   postgres: {},
 *   keycloak: { dependsOn: ['postgres'] },
 *   backend: { dependsOn: { postgres: 'healthy', keycloak: 'started' } },
 * });
 * if (graph.isErr()) throw graph.error;
 * graph.value.levels(); // [['postgres'], ['keycloak'], ['backend']]
 * ```
 */
export function createDependencyGraph(services: ServiceMap): Result<DependencyGraph, GraphValidationError> {
  const p = parseServices(services);
  const topo = sortTopologically(p.names.length, p.depStart, p.depList);
  const cycles: CycleProblem[] = topo === undefined ? findCycles(p.names, p.depStart, p.depList) : [];
  const problems: GraphProblem[] = [
    ...p.invalidNames,
    ...p.invalidDependencies,
    ...p.selfDependencies,
    ...p.unknownDependencies,
    ...cycles,
  ];
  if (problems.length > 0 || topo === undefined) return err(new GraphValidationError(problems));
  return ok(new CompiledGraph(compile(p), topo.order, topo.level, rebuild));
}

function rebuild(services: ServiceMap): DependencyGraph {
  const result = createDependencyGraph(services);
  /* c8 ignore next */
  if (result.isErr()) throw new Error('unreachable: a subgraph of a valid graph is valid', { cause: result.error });
  return result.value;
}
