import { errAsync, ResultAsync } from 'neverthrow';
import { resolveTopology } from '../engine/resolve.js';
import { closeUnion, OPERATION_ERROR_TAGS, type PlanError } from '../errors.js';
import type { RiskEstimate } from '../risk.js';
import { defineTopology } from '../topology/define-topology.js';
import type { Topology } from '../topology/types.js';
import type { CommonOptions } from './options.js';
import { gatherRisk } from './risk-inputs.js';
import { setup } from './setup.js';

/** What a deployment would do to one service. */
export interface PlannedAction {
  readonly service: string;
  readonly level: number;
  /** `create` (not running) · `replace` (running with another config) · `unchanged` (running, same config hash) · `run` (a job) · `remove` (running, not in the topology). */
  readonly action: 'create' | 'replace' | 'unchanged' | 'run' | 'remove';
  readonly dependsOn: Readonly<Record<string, string>>;
}

/** The dry run of a deployment: nothing is changed, no lock is taken. */
export interface DeploymentPlan {
  readonly instance: string;
  readonly order: readonly string[];
  readonly levels: readonly (readonly string[])[];
  /** Estimated from the last recorded start durations (or 1 s per service when none). */
  readonly criticalPath: { readonly path: readonly string[]; readonly totalMs: number };
  /** The same topology started level by level (the seeds' way), for comparison. */
  readonly levelByLevelMs: number;
  readonly actions: readonly PlannedAction[];
  readonly risk: RiskEstimate;
  readonly mermaid: string;
  readonly dot: string;
}

/**
 * Plan a deployment without changing anything: order, levels, critical-path estimate, the action per service
 * (create / replace / unchanged / remove) and the failure-risk estimate with its five factors.
 * @returns Ok(DeploymentPlan); Err {@link PlanError}: `ConfigInvalidError`, `GraphValidationError`,
 *   `SecretUnavailableError` (a runtime or store that does not answer only leaves its part of the plan empty)
 */
export function plan(
  topology: Topology,
  options: CommonOptions & { readonly durationsMs?: Readonly<Record<string, number>> } = {},
): ResultAsync<DeploymentPlan, PlanError> {
  const valid = defineTopology(topology);
  if (valid.isErr()) return errAsync(valid.error);
  const resolved = resolveTopology(valid.value, options.env ?? process.env);
  if (resolved.isErr()) return errAsync(closeUnion(OPERATION_ERROR_TAGS.plan, resolved.error));
  const { graph, services, instance } = resolved.value;
  const s = setup(options, valid.value);
  const run = async (): Promise<DeploymentPlan> => {
    try {
      const running = await s.runtime.list(instance);
      const byService = new Map(running.isOk() ? running.value.map((h) => [h.service, h]) : []);
      const durations: Record<string, number> = {};
      for (const name of graph.topologicalOrder()) durations[name] = options.durationsMs?.[name] ?? 1_000;
      const critical = graph.criticalPath(durations);
      const levelByLevelMs = graph
        .levels()
        .reduce((sum, level) => sum + Math.max(0, ...level.map((n) => durations[n] ?? 0)), 0);
      const actions: PlannedAction[] = graph.topologicalOrder().map((name) => {
        const svc = services.get(name);
        const have = byService.get(name);
        const action =
          svc?.kind === 'job'
            ? 'run'
            : have === undefined
              ? 'create'
              : have.configHash === svc?.configHash
                ? 'unchanged'
                : 'replace';
        return { service: name, level: graph.levelOf(name), action, dependsOn: svc?.dependsOn ?? {} };
      });
      for (const [name] of byService)
        if (!services.has(name)) actions.push({ service: name, level: -1, action: 'remove', dependsOn: {} });
      const risk = await gatherRisk(s, instance, services.size);
      return {
        instance,
        order: graph.topologicalOrder(),
        levels: graph.levels(),
        criticalPath: { path: critical.path, totalMs: critical.totalMs },
        levelByLevelMs,
        actions,
        risk,
        mermaid: graph.toMermaid(),
        dot: graph.toDot(),
      };
    } finally {
      await s.dispose();
    }
  };
  return ResultAsync.fromSafePromise(run());
}
