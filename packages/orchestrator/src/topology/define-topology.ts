import { ConfigInvalidError } from '@dive/errors';
import { err, ok, type Result } from 'neverthrow';
import { formatPath, formatProblems, sortProblems, type TopologyProblem } from './problems.js';
import type { Topology } from './types.js';
import { validateTopology } from './validate.js';

/**
 * Validate a topology written in TypeScript. Every problem is reported at once, each with its field path.
 * Dependency cycles are reported later, by the engine's graph (`DependencyCycleError`).
 *
 * @param value - the topology (typed as {@link Topology}; anything else is validated at run time all the same)
 * @returns `Ok` with the validated topology, or `Err` with `ConfigInvalidError` (1002) whose
 *   `context.problems` is a `TopologyProblem[]` and whose message lists them one per line
 * @example
 * ```ts
 * const topology = defineTopology({
 *   instance: 'USA',
 *   services: {
 *     db: { process: { command: 'node', args: ['db.js'] }, health: [{ type: 'tcp', port: 5432 }] },
 *     api: { process: { command: 'node', args: ['api.js'] }, dependsOn: ['db'] },
 *   },
 * });
 * if (topology.isErr()) console.error(topology.error.message);
 * ```
 */
export function defineTopology(value: Topology): Result<Topology, ConfigInvalidError> {
  const validation = validateTopology(value);
  if (validation.ok) return ok(validation.topology);
  const problems: TopologyProblem[] = sortProblems(
    validation.problems.map((p) => ({ path: formatPath(p.path), message: p.message })),
  );
  return err(invalidTopology('Invalid topology', problems));
}

/** A ConfigInvalidError listing problems. @internal */
export function invalidTopology(
  header: string,
  problems: readonly TopologyProblem[],
  file?: string,
): ConfigInvalidError {
  return new ConfigInvalidError(formatProblems(header, problems), {
    context: file === undefined ? { problems } : { file, problems },
  });
}
