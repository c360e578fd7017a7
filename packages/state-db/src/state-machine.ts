/** The nine deployment states of SPEC §5. */
export const DEPLOYMENT_STATES = Object.freeze([
  'UNKNOWN',
  'INITIALIZING',
  'DEPLOYING',
  'CONFIGURING',
  'VERIFYING',
  'COMPLETE',
  'FAILED',
  'ROLLING_BACK',
  'CLEANUP',
] as const);

/** One of {@link DEPLOYMENT_STATES}. */
export type DeploymentState = (typeof DEPLOYMENT_STATES)[number];

/** One legal edge of the state machine. */
export interface Transition {
  readonly from: DeploymentState;
  readonly to: DeploymentState;
}

const edge = (from: DeploymentState, to: DeploymentState): Transition => Object.freeze({ from, to });

/** The eighteen legal transitions of SPEC §5; nothing else is legal, and every store enforces it. */
export const TRANSITIONS: readonly Transition[] = Object.freeze([
  edge('UNKNOWN', 'INITIALIZING'),
  edge('INITIALIZING', 'DEPLOYING'),
  edge('DEPLOYING', 'CONFIGURING'),
  edge('CONFIGURING', 'VERIFYING'),
  edge('VERIFYING', 'COMPLETE'),
  edge('INITIALIZING', 'FAILED'),
  edge('DEPLOYING', 'FAILED'),
  edge('CONFIGURING', 'FAILED'),
  edge('VERIFYING', 'FAILED'),
  edge('COMPLETE', 'INITIALIZING'),
  edge('COMPLETE', 'ROLLING_BACK'),
  edge('COMPLETE', 'CLEANUP'),
  edge('FAILED', 'ROLLING_BACK'),
  edge('FAILED', 'INITIALIZING'),
  edge('ROLLING_BACK', 'CLEANUP'),
  edge('ROLLING_BACK', 'FAILED'),
  edge('CLEANUP', 'COMPLETE'),
  edge('CLEANUP', 'UNKNOWN'),
]);

const legal = new Set(TRANSITIONS.map((t) => `${t.from}>${t.to}`));

/**
 * Whether `from → to` is one of the eighteen legal transitions.
 * @param from - the current state
 * @param to - the wanted state
 * @returns `true` when the edge is in {@link TRANSITIONS}
 * @example
 * ```ts
 * canTransition('COMPLETE', 'ROLLING_BACK'); // true
 * canTransition('UNKNOWN', 'COMPLETE'); // false
 * ```
 */
export function canTransition(from: string, to: string): boolean {
  return legal.has(`${from}>${to}`);
}

/**
 * Whether a string is one of {@link DEPLOYMENT_STATES}.
 * @param value - any string
 * @returns `true` for a deployment state
 */
export function isDeploymentState(value: string): value is DeploymentState {
  return (DEPLOYMENT_STATES as readonly string[]).includes(value);
}
