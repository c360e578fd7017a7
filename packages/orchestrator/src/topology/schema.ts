import { z } from 'zod';

/**
 * Service names: what Docker Compose and container names accept, and what fits a DNS label — a letter or digit,
 * then letters, digits, `_`, `.` or `-`, at most 63 characters in all.
 */
export const SERVICE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;
/** Instance codes: three upper-case letters (`USA`, `EST`, `NZL`). */
export const INSTANCE_CODE = /^[A-Z]{3}$/;
/** Environment variable names of a process (`process.env` keys, `{ secret: NAME }`, health check headers). */
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/**
 * Keys of a container's `environment`: what Docker and Compose accept — any non-empty text without `=`
 * (`discovery.type`, as Elasticsearch reads them).
 */
export const CONTAINER_ENV_NAME = /^[^=]+$/;

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
const containerEnvMap = z.record(
  z.string().regex(CONTAINER_ENV_NAME, "must be a container environment name (not empty, no '=')"),
  envValue,
);

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

const stringMap = z.record(z.string(), z.string());
const nonNegativeInt = z.number().int('must be a whole number').min(0, 'must be 0 or more');
const port = z
  .number()
  .int('must be a whole number')
  .min(1, 'must be a port (1–65535)')
  .max(65535, 'must be a port (1–65535)');
const absolutePath = nonEmpty.refine((p) => p.startsWith('/'), 'must be an absolute path inside the container');

const healthcheckOrDisable = z.union([z.strictObject({ disable: z.literal(true) }), dockerHealthcheck], {
  error: 'must be a healthcheck ({ test, intervalMs, … }) or { disable: true }',
});

const networkMode = z.union(
  [
    z.enum(['none', 'host']),
    z.templateLiteral(['service:', z.string().regex(SERVICE_NAME)]),
    z.templateLiteral(['container:', z.string().min(1)]),
  ],
  { error: "must be 'none', 'host', 'service:<service name>' or 'container:<name or id>'" },
);

const build = z.strictObject({
  context: nonEmpty,
  dockerfile: nonEmpty.optional(),
  args: stringMap.optional(),
  target: nonEmpty.optional(),
});

const volumeMount = z.strictObject({
  type: z.enum(['volume', 'bind', 'tmpfs'], { error: "must be 'volume', 'bind' or 'tmpfs'" }),
  source: nonEmpty.optional(),
  target: absolutePath,
  readOnly: z.boolean().optional(),
  tmpfsSizeBytes: z.number().int().positive('must be greater than 0').optional(),
  nocopy: z.boolean().optional(),
  createHostPath: z.boolean().optional(),
});

const portSpec = z.strictObject({
  target: port,
  published: port.optional(),
  hostIp: nonEmpty.optional(),
  protocol: z.enum(['tcp', 'udp'], { error: "must be 'tcp' or 'udp'" }).optional(),
});

const serviceNetwork = z.strictObject({
  aliases: z.array(nonEmpty).readonly().optional(),
  ipv4Address: z.ipv4({ error: 'must be an IPv4 address' }).optional(),
});

const restart = z.union(
  [
    z.enum(['no', 'always', 'unless-stopped', 'on-failure']),
    z.templateLiteral(['on-failure:', z.number().int().min(0)]),
  ],
  { error: "must be 'no', 'always', 'unless-stopped', 'on-failure' or 'on-failure:<max retries>'" },
);

const fileReference = z.strictObject({ source: nonEmpty, target: nonEmpty.optional() });

const container = z.strictObject({
  image: nonEmpty.optional(),
  build: build.optional(),
  command: stringList.optional(),
  entrypoint: stringList.optional(),
  environment: containerEnvMap.optional(),
  network: z.enum(['none', 'host'], { error: "must be 'none' or 'host' (or use networkMode / networks)" }).optional(),
  networkMode: networkMode.optional(),
  networks: z.record(z.string().regex(SERVICE_NAME, 'must be a network name'), serviceNetwork).optional(),
  healthcheck: healthcheckOrDisable.optional(),
  memoryBytes: z.number().int().positive('must be greater than 0').optional(),
  cpus: z.number().positive('must be greater than 0').optional(),
  labels: stringMap.optional(),
  containerName: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'must be a container name (letters, digits, _ . -; a letter or digit first)')
    .optional(),
  hostname: nonEmpty.optional(),
  domainname: nonEmpty.optional(),
  volumes: z.array(volumeMount).readonly().optional(),
  tmpfs: z.array(absolutePath).readonly().optional(),
  readOnly: z.boolean().optional(),
  ports: z.array(portSpec).readonly().optional(),
  expose: z.array(port).readonly().optional(),
  user: nonEmpty.optional(),
  workingDir: absolutePath.optional(),
  init: z.boolean().optional(),
  stopSignal: nonEmpty.optional(),
  stopGraceMs: nonNegativeInt.optional(),
  capAdd: z.array(nonEmpty).readonly().optional(),
  capDrop: z.array(nonEmpty).readonly().optional(),
  ulimits: z.record(nonEmpty, z.strictObject({ soft: z.number().int(), hard: z.number().int() })).optional(),
  restart: restart.optional(),
  update: z.strictObject({ order: z.enum(['start-first', 'stop-first']) }).optional(),
  secrets: z.array(fileReference).readonly().optional(),
  configs: z.array(fileReference).readonly().optional(),
  platform: nonEmpty.optional(),
  docker: z
    .strictObject({
      config: z.record(z.string(), z.unknown()).optional(),
      hostConfig: z.record(z.string(), z.unknown()).optional(),
    })
    .optional(),
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
const dependency = z.union([condition, z.strictObject({ condition, required: z.boolean().optional() })], {
  error: "must be 'started', 'healthy', 'completed' or { condition, required }",
});

const service = z.strictObject({
  kind: z.enum(['service', 'job']).optional(),
  container: container.optional(),
  process: processSpec.optional(),
  health: z.array(healthCheck).readonly().optional(),
  dependsOn: z
    .union([z.array(nonEmpty).readonly(), z.record(nonEmpty, dependency)], {
      error:
        'must be a list of service names or a map of service name → started | healthy | completed | { condition, required }',
    })
    .optional(),
  startTimeoutMs: positiveMs.optional(),
  retry: retry.optional(),
  breaker: breaker.optional(),
  critical: z.boolean().optional(),
});

const resourceKey = z
  .string()
  .regex(SERVICE_NAME, 'must start with a letter or digit, then letters, digits, _ . - (at most 63)');
const network = z.strictObject({
  external: z.boolean().optional(),
  name: nonEmpty.optional(),
  internal: z.boolean().optional(),
  driver: nonEmpty.optional(),
  driverOpts: stringMap.optional(),
  labels: stringMap.optional(),
  attachable: z.boolean().optional(),
  enableIpv6: z.boolean().optional(),
});
const volume = z.strictObject({
  external: z.boolean().optional(),
  name: nonEmpty.optional(),
  driver: nonEmpty.optional(),
  driverOpts: stringMap.optional(),
  labels: stringMap.optional(),
});
const fileSource = z.strictObject({ file: nonEmpty });

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
  networks: z.record(resourceKey, network).optional(),
  volumes: z.record(resourceKey, volume).optional(),
  secrets: z.record(resourceKey, fileSource).optional(),
  configs: z.record(resourceKey, fileSource).optional(),
});

const keys = (schema: { shape: object }): readonly string[] => Object.keys(schema.shape);
const CHECK_KEYS = [...new Set(healthCheck.options.flatMap((option) => keys(option)))];
const BY_PARENT: Readonly<Record<string, readonly string[]>> = {
  defaults: ['startTimeoutMs', 'retry', 'breaker'],
  container: keys(container),
  process: keys(processSpec),
  healthcheck: [...keys(dockerHealthcheck), 'disable'],
  build: keys(build),
  volumes: keys(volumeMount),
  ports: keys(portSpec),
  secrets: keys(fileReference),
  configs: keys(fileReference),
  update: ['order'],
  docker: ['config', 'hostConfig'],
  retry: keys(retry),
  breaker: keys(breaker),
  health: CHECK_KEYS,
};
const TOP_LEVEL_MAPS: Readonly<Record<string, readonly string[]>> = {
  services: keys(service),
  networks: keys(network),
  volumes: keys(volume),
  secrets: keys(fileSource),
  configs: keys(fileSource),
};
const NAMED_ENTRIES: Readonly<Record<string, readonly string[]>> = {
  networks: keys(serviceNetwork),
  dependsOn: ['condition', 'required'],
  ulimits: ['soft', 'hard'],
};

/**
 * The keys allowed in the object at `path` (for "did you mean" suggestions on unknown keys), from the model.
 * @internal
 */
export function knownKeysAt(path: readonly (string | number)[]): readonly string[] {
  if (path.length === 0) return keys(topologySchema);
  if (path.length === 2) {
    const top = TOP_LEVEL_MAPS[String(path[0])];
    if (top !== undefined) return top;
  }
  const last = path.at(-1);
  const named = typeof last === 'string' ? NAMED_ENTRIES[String(path.at(-2))] : undefined;
  if (named !== undefined) return named;
  const parent = typeof last === 'number' ? path.at(-2) : last;
  return BY_PARENT[String(parent)] ?? ['secret'];
}
