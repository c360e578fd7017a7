// A deployment's dependency graph, read from the `graph` step the engine records as the deployment begins (see
// @dive/orchestrator's engine/graph-step.ts): `{ services: [{ name, kind, dependsOn: [names] }] }`, names only.
// Plain TypeScript with no imports: the page's bundle (page/main.js) imports this file too.

/** The name of the step that holds a deployment's dependency graph. */
export const GRAPH_STEP = 'graph';

/** A deployment's graph: every planned service (started or not) and what each one depends on. */
export interface DeploymentGraph {
  /** Service and job names, in the engine's order. */
  readonly planned: readonly string[];
  /** Service name → the names it depends on. */
  readonly dependsOn: Readonly<Record<string, readonly string[]>>;
}

const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

/**
 * The graph of a deployment from its steps, or `undefined` when it has no usable `graph` step (a deployment
 * recorded before the engine wrote one, or a step whose write failed).
 * @param steps - the deployment's steps, as stored or as sent to the page
 * @returns the {@link DeploymentGraph}, or `undefined`
 */
export function graphFromSteps(
  steps: readonly { readonly step: string; readonly detail?: unknown }[],
): DeploymentGraph | undefined {
  const detail = steps.find((s) => s.step === GRAPH_STEP)?.detail as { services?: unknown } | undefined;
  if (!Array.isArray(detail?.services)) return undefined;
  const planned: string[] = [];
  const dependsOn: Record<string, string[]> = {};
  for (const entry of detail.services as unknown[]) {
    if (typeof entry !== 'object' || entry === null) continue;
    const s = entry as { name?: unknown; dependsOn?: unknown };
    if (typeof s.name !== 'string') continue;
    planned.push(s.name);
    dependsOn[s.name] = isStrings(s.dependsOn) ? s.dependsOn : [];
  }
  return { planned, dependsOn };
}
