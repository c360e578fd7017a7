import type { Deployment } from './deployment.js';
import type { ResolvedTopology } from './resolve.js';

/**
 * The step under which a deployment records its dependency graph as it begins, so that a live view (the dashboard)
 * can draw the graph's edges while the deployment runs, the first one of an instance included (no checkpoint holds
 * a topology yet then).
 */
export const GRAPH_STEP = 'graph';

/** One node of the recorded graph: names only. */
export interface GraphStepService {
  readonly name: string;
  readonly kind: 'service' | 'job';
  readonly dependsOn: readonly string[];
}

/**
 * The dependency structure of a resolved topology, and nothing else: service names, kinds and the names each one
 * waits for (no spec, no environment, so no resolved secret is ever persisted through it).
 * @returns the detail of the {@link GRAPH_STEP} step
 */
export function graphStepDetail(resolved: ResolvedTopology): { services: GraphStepService[] } {
  return {
    services: [...resolved.services.values()].map((s) => ({
      name: s.name,
      kind: s.kind,
      dependsOn: Object.keys(s.dependsOn),
    })),
  };
}

/** Record the deployment's graph as a finished step at its start time (best-effort, like every step). */
export function recordGraph(d: Pick<Deployment, 'ctx' | 'instance' | 'id' | 't0' | 'resolved' | 'writes'>): void {
  const at = new Date(d.t0).toISOString();
  d.writes.launch(
    'recording the dependency graph',
    d.ctx.state.recordStep({
      deploymentId: d.id,
      instance: d.instance,
      name: GRAPH_STEP,
      status: 'succeeded',
      startedAt: at,
      endedAt: at,
      detail: graphStepDetail(d.resolved),
    }),
  );
}
