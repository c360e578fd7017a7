const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Throw a TypeError when a full metric name, its label names or its buckets are not valid Prometheus. */
export function validateDefinition(
  name: string,
  help: string,
  labelNames: readonly string[],
  buckets?: readonly number[],
): void {
  if (!NAME.test(name)) throw new TypeError(`metrics: '${name}' is not a valid Prometheus metric name`);
  if (typeof help !== 'string' || help === '') throw new TypeError(`metrics: ${name} needs a help text`);
  const seen = new Set<string>();
  for (const label of labelNames) {
    if (!LABEL.test(label) || label.startsWith('__')) {
      throw new TypeError(`metrics: ${name} has an invalid label name '${label}'`);
    }
    if (buckets !== undefined && label === 'le')
      throw new TypeError(`metrics: ${name} is a histogram; 'le' is reserved`);
    if (seen.has(label)) throw new TypeError(`metrics: ${name} declares label '${label}' twice`);
    seen.add(label);
  }
  if (buckets === undefined) return;
  if (buckets.length === 0) throw new RangeError(`metrics: ${name} needs at least one bucket`);
  buckets.forEach((b, i) => {
    if (!Number.isFinite(b) || (i > 0 && b <= (buckets[i - 1] ?? Number.NEGATIVE_INFINITY))) {
      throw new RangeError(`metrics: ${name} buckets must be finite and strictly increasing (at index ${i}: ${b})`);
    }
  });
}
