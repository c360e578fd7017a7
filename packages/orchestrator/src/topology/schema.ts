import { z } from 'zod';

/**
 * Service names: what Docker Compose and container names accept, and what fits a DNS label — a letter or digit,
 * then letters, digits, `_`, `.` or `-`, at most 63 characters in all.
 */
export const SERVICE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;
/** Instance codes: three upper-case letters (`USA`, `EST`, `NZL`). */
export const INSTANCE_CODE = /^[A-Z]{3}$/;
/** Environment variable names (for `env`/`environment` keys and `{ secret: NAME }`). */
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const positiveMs = z.number().int('must be a whole number of milliseconds').positive('must be greater than 0');
const nonEmpty = z.string().min(1, 'must not be empty');
const envName = z
  .string()
  .regex(ENV_NAME, 'must be an environment variable name (letters, digits, _; not a digit first)');
const stringList = z.array(z.string()).readonly();

const secretRef = z.strictObject({ secret: envName });
// Numbers and booleans are read as their text (`PGPORT: 5432` in YAML), as Compose does.
const envValue = z.union([z.string(), z.number().transform(String), z.boolean().transform(String), secretRef], {
  error: 'must be a string, a number, a boolean or { secret: VARIABLE }',
});
const envMap = z.record(envName, envValue);

const dockerHealthcheck = z.strictObject({
  test: z
    .array(z.string())
    .min(1, "must not be empty: ['CMD', …], ['CMD-SHELL', '…'] or ['NONE']")
    .refine((t) => ['CMD', 'CMD-SHELL', 'NONE'].includes(t[0] ?? ''), "must start with 'CMD', 'CMD-SHELL' or 'NONE'"),
  intervalMs: positiveMs.optional(),
  timeoutMs: positiveMs.optional(),
  retries: z.number().int().min(0, 'must be 0 or more').optional(),
  startPeriodMs: z.number().int().min(0, 'must be 0 or more').optional(),
});

const container = z.strictObject({
  image: nonEmpty,
  command: stringList.optional(),
  entrypoint: stringList.optional(),
  environment: envMap.optional(),
  network: z.enum(['none', 'host'], { error: "must be 'none' or 'host' (bridge networks are not allowed)" }).optional(),
  healthcheck: dockerHealthcheck.optional(),
  memoryBytes: z.number().int().positive('must be greater than 0').optional(),
  labels: z.record(z.string(), z.string()).optional(),
});

const processSpec = z.strictObject({
  command: nonEmpty,
  args: stringList.optional(),
  cwd: nonEmpty.optional(),
  env: envMap.optional(),
  stopGraceMs: positiveMs.optional(),
});

const httpStatus = z
  .number()
  .int()
  .min(100, 'must be an HTTP status (100–599)')
  .max(599, 'must be an HTTP status (100–599)');
const healthCheck = z.discriminatedUnion(
  'type',
  [
    z.strictObject({
      type: z.literal('http'),
      url: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }),
      expectStatus: z.union([httpStatus, z.array(httpStatus).min(1).readonly()]).optional(),
      headers: envMap.optional(),
      timeoutMs: positiveMs.optional(),
      insecureTls: z.boolean().optional(),
    }),
    z.strictObject({
      type: z.literal('tcp'),
      host: nonEmpty.optional(),
      port: z.number().int().min(1, 'must be a port (1–65535)').max(65535, 'must be a port (1–65535)'),
      timeoutMs: positiveMs.optional(),
    }),
    z.strictObject({ type: z.literal('docker') }),
    z.strictObject({
      type: z.literal('exec'),
      cmd: z.array(z.string()).min(1).readonly(),
      timeoutMs: positiveMs.optional(),
    }),
    z.strictObject({ type: z.literal('running') }),
  ],
  { error: "must have a type: 'http', 'tcp', 'docker', 'exec' or 'running'" },
);

const retry = z.strictObject({
  policy: z.enum(['exponential', 'progressive', 'fixed-jitter', 'decorrelated', 'none']),
  attempts: z.number().int('must be a whole number').min(1, 'must be at least 1 (it counts the first attempt)'),
  baseMs: positiveMs.optional(),
  maxMs: positiveMs.optional(),
});

const breaker = z.strictObject({
  failureThreshold: z.number().int().min(1, 'must be at least 1').optional(),
  resetTimeoutMs: positiveMs.optional(),
  successThreshold: z.number().int().min(1, 'must be at least 1').optional(),
});

const condition = z.enum(['started', 'healthy', 'completed'], {
  error: "must be 'started', 'healthy' or 'completed'",
});

const service = z.strictObject({
  kind: z.enum(['service', 'job']).optional(),
  container: container.optional(),
  process: processSpec.optional(),
  health: z.array(healthCheck).readonly().optional(),
  dependsOn: z
    .union([z.array(nonEmpty).readonly(), z.record(nonEmpty, condition)], {
      error: 'must be a list of service names or a map of service name → started | healthy | completed',
    })
    .optional(),
  startTimeoutMs: positiveMs.optional(),
  retry: retry.optional(),
  breaker: breaker.optional(),
  critical: z.boolean().optional(),
});

/**
 * The zod schema of a `Topology`, shared by `defineTopology` and `loadTopology`. Strict: unknown keys are
 * errors. Cross-field rules (one of container/process, dependency names, `completed` only on jobs, container-only
 * checks) are applied on top by the validator, which also runs them when this schema fails elsewhere.
 */
export const topologySchema = z.strictObject({
  instance: z.string().regex(INSTANCE_CODE, 'must be three upper-case letters, like USA'),
  defaults: z
    .strictObject({ startTimeoutMs: positiveMs.optional(), retry: retry.optional(), breaker: breaker.optional() })
    .optional(),
  services: z.record(
    z.string().regex(SERVICE_NAME, 'must start with a letter or digit, then letters, digits, _ . - (at most 63)'),
    service,
  ),
});

const keys = (schema: { shape: object }): readonly string[] => Object.keys(schema.shape);
const CHECK_KEYS = [...new Set(healthCheck.options.flatMap((option) => keys(option)))];
const BY_PARENT: Readonly<Record<string, readonly string[]>> = {
  defaults: ['startTimeoutMs', 'retry', 'breaker'],
  container: keys(container),
  process: keys(processSpec),
  healthcheck: keys(dockerHealthcheck),
  retry: keys(retry),
  breaker: keys(breaker),
  health: CHECK_KEYS,
};

/**
 * The keys allowed in the object at `path` (for "did you mean" suggestions on unknown keys), from the model.
 * @internal
 */
export function knownKeysAt(path: readonly (string | number)[]): readonly string[] {
  if (path.length === 0) return keys(topologySchema);
  if (path.length === 2 && path[0] === 'services') return keys(service);
  const last = path.at(-1);
  const parent = typeof last === 'number' ? path.at(-2) : last;
  return BY_PARENT[String(parent)] ?? ['secret'];
}
