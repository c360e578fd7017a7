export { systemClock, type Clock } from '@dive/errors';
export { CircuitOpenError } from './errors.js';
export {
  INITIAL_SNAPSHOT,
  type BreakerRecord,
  type BreakerSnapshot,
  type BreakerStore,
  type StoredBreakerState,
} from './store.js';
export { createCircuitBreaker } from './breaker.js';
export type {
  BreakerState,
  BreakerStats,
  CircuitBreaker,
  ExecuteOptions,
  Guarded,
  StateChange,
  Subscription,
} from './breaker-types.js';
export type { CircuitBreakerOptions, RollingWindowOptions } from './options.js';
export {
  createBreakerRegistry,
  type BreakerRegistry,
  type BreakerRegistryOptions,
  type BreakerStatus,
} from './registry.js';
export { retry, type RetryOptions } from './retry.js';
export { decorrelatedJitter, exponential, fixedJitter, progressive, type RetryPolicy } from './policies.js';
export { withTimeout, type TimeoutOptions } from './timeout.js';
