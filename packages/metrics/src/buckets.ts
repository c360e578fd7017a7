/**
 * Default histogram buckets in seconds, suited to deployments and service starts: 50 ms up to 10 minutes.
 */
export const DEPLOYMENT_BUCKETS: readonly number[] = Object.freeze([
  0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600,
]);

/** Finer buckets in seconds for short waits (health probes, lock waits): 1 ms up to 1 minute. */
export const SHORT_BUCKETS: readonly number[] = Object.freeze([
  0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60,
]);
