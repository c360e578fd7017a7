export { systemClock, type Clock } from './clock.js';
export { CircuitOpenError } from './errors.js';
export {
  INITIAL_SNAPSHOT,
  type BreakerRecord,
  type BreakerSnapshot,
  type BreakerStore,
  type StoredBreakerState,
} from './store.js';
