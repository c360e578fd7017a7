import { defineError } from '@dive/errors';

/**
 * 6007: a metrics snapshot given to `merge()` has the wrong JSON shape, or a metric in it conflicts with one
 * already defined (other type, label names or buckets). The metrics merged into were left unchanged.
 */
export class MetricsSnapshotInvalidError extends defineError('MetricsSnapshotInvalidError') {}

/** Every error `merge()` can return. */
export type MergeError = MetricsSnapshotInvalidError;
