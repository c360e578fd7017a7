import { z } from 'zod';
import type { RawProblem } from '../topology/problems.js';
import { INSTANCE_CODE } from '../topology/schema.js';

/** Fleet names: the key of the fleet's record and lock (letters, digits, `_`, `.`, `-`; at most 63). */
export const FLEET_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;
/** Docker host addresses a fleet instance may name. */
export const DOCKER_HOST = /^(unix|tcp|ssh|npipe):\/\/.+$/;

const positiveMs = z.number().int('must be a whole number of milliseconds').positive('must be greater than 0');
const nonEmpty = z.string().min(1, 'must not be empty');
const code = z.string().regex(INSTANCE_CODE, 'must be three upper-case letters, like USA');

const gate = z
  .strictObject({
    http: z
      .strictObject({ url: z.url('must be a URL'), expectStatus: z.number().int().min(100).max(599).optional() })
      .optional(),
    tcp: z.strictObject({ host: nonEmpty, port: z.number().int().min(1).max(65_535) }).optional(),
    command: z.strictObject({ run: nonEmpty, args: z.array(z.string()).readonly().optional() }).optional(),
    metric: z
      .strictObject({
        maxErrors: z.number().int().min(0).optional(),
        maxErrorRate: z.number().min(0).max(1).optional(),
      })
      .refine((m) => m.maxErrors !== undefined || m.maxErrorRate !== undefined, 'needs maxErrors or maxErrorRate')
      .optional(),
    approval: z.boolean().optional(),
    timeoutMs: positiveMs.optional(),
    intervalMs: positiveMs.optional(),
  })
  .refine(
    (g) =>
      g.http !== undefined ||
      g.tcp !== undefined ||
      g.command !== undefined ||
      g.metric !== undefined ||
      g.approval === true,
    'a gate needs at least one check: http, tcp, command, metric or approval: true',
  );

const wave = z.union(
  [
    z.array(code).min(1, 'a wave needs at least one instance'),
    z.strictObject({
      instances: z.array(code).min(1, 'a wave needs at least one instance'),
      maxParallel: z.number().int().min(1, 'must be at least 1').optional(),
      gate: gate.optional(),
    }),
  ],
  { error: 'a wave is a list of instance codes or { instances, maxParallel?, gate? }' },
);

const instance = z.strictObject({
  topology: nonEmpty,
  docker: z.string().regex(DOCKER_HOST, 'must be unix://…, tcp://host:port, ssh://user@host or npipe://…').optional(),
  tls: z.strictObject({ ca: nonEmpty, cert: nonEmpty, key: nonEmpty }).optional(),
  runtime: z.enum(['docker', 'process']).optional(),
});

/** The zod schema of a fleet file (strict: unknown keys are errors). @internal */
export const fleetFileSchema = z.strictObject({
  fleet: z.string().regex(FLEET_NAME, 'must be letters, digits, _ . - (at most 63), starting with a letter or digit'),
  instances: z.record(code, instance).refine((m) => Object.keys(m).length > 0, 'a fleet needs at least one instance'),
  waves: z.array(wave).min(1, 'a fleet needs at least one wave'),
  gate: gate.optional(),
  onGateFailure: z.enum(['rollback-wave', 'halt']).optional(),
});

/** A fleet file as parsed. @internal */
export type FleetFile = z.infer<typeof fleetFileSchema>;

/** A wave of a fleet file in its object form. @internal */
export const waveObject = (w: FleetFile['waves'][number]) => (Array.isArray(w) ? { instances: w } : w);

/**
 * What the schema cannot say: waves name only defined instances, each instance is in exactly one wave, `tls` goes
 * with a `tcp://` host. @internal
 */
export function fleetCrossChecks(file: FleetFile): RawProblem[] {
  const problems: RawProblem[] = [];
  const seen = new Map<string, number>();
  file.waves.forEach((w, i) => {
    const object = !Array.isArray(w);
    waveObject(w).instances.forEach((c, j) => {
      const path = object ? ['waves', i, 'instances', j] : ['waves', i, j];
      if (file.instances[c] === undefined)
        problems.push({ path, message: `instance ${c} is not defined under instances` });
      const first = seen.get(c);
      if (first !== undefined) problems.push({ path, message: `instance ${c} is already in wave ${first + 1}` });
      else seen.set(c, i);
    });
  });
  for (const [c, spec] of Object.entries(file.instances)) {
    if (!seen.has(c)) problems.push({ path: ['instances', c], message: `instance ${c} is in no wave` });
    if (spec.tls !== undefined && !(spec.docker ?? '').startsWith('tcp://'))
      problems.push({ path: ['instances', c, 'tls'], message: 'tls needs a tcp:// docker host' });
  }
  return problems;
}
