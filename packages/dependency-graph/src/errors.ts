import { defineError } from '@dive/errors';
import { describeProblem, type GraphProblem } from './problems.js';

/**
 * 1006: the services do not form a valid dependency graph. `problems` lists every problem found, in a
 * deterministic order (invalid names, invalid entries, self-dependencies, unknown dependencies, then cycles; each
 * kind sorted by service name), not just the first one.
 */
export class GraphValidationError extends defineError('GraphValidationError') {
  /** Every problem of the graph. */
  readonly problems: readonly GraphProblem[];

  /**
   * @param problems - every problem found (at least one)
   */
  constructor(problems: readonly GraphProblem[]) {
    const lines = problems.map(describeProblem);
    const head = `invalid dependency graph: ${problems.length} problem${problems.length === 1 ? '' : 's'}`;
    const shown = lines.slice(0, 20).join('; ');
    const more = lines.length > 20 ? `; … and ${lines.length - 20} more` : '';
    super(`${head}: ${shown}${more}`, { context: { problems } });
    this.problems = Object.freeze([...problems]);
  }
}
