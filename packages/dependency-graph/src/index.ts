export { createDependencyGraph } from './create-dependency-graph.js';
export type { DependencyGraph } from './dependency-graph.js';
export { GraphValidationError } from './errors.js';
export {
  describeProblem,
  type CycleProblem,
  type GraphProblem,
  type InvalidDependencyProblem,
  type InvalidNameProblem,
  type SelfDependencyProblem,
  type UnknownDependencyProblem,
} from './problems.js';
export type { Scheduler, ServiceState } from './scheduler.js';
export { isValidServiceName, SERVICE_NAME_PATTERN } from './service-name.js';
export {
  DEFAULT_CONDITION,
  DEPENDENCY_CONDITIONS,
  type CriticalPath,
  type DependencyCondition,
  type RelationOptions,
  type ServiceDependencies,
  type ServiceMap,
} from './types.js';
