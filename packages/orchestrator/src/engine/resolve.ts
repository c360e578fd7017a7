import { createDependencyGraph, type DependencyGraph } from '@dive/dependency-graph';
import { SecretUnavailableError, type DiveError } from '@dive/errors';
import { err, ok, type Result } from 'neverthrow';
import { configHash } from '../config-hash.js';
import { buildDigest } from '../runtime/docker-build-context.js';
import type { TopologyResources } from '../runtime/docker-resource-names.js';
import { envStartTimeout } from './env-timeouts.js';
import type {
  DependencyCondition,
  DependencySpec,
  EnvValue,
  HealthCheckSpec,
  RetrySpec,
  BreakerSpec,
  ServiceSpec,
  Topology,
} from '../topology/types.js';

/** Defaults applied when neither the service nor the topology's `defaults` say otherwise. */
export const SERVICE_DEFAULTS = {
  startTimeoutMs: 60_000,
  retry: { policy: 'exponential', attempts: 5, baseMs: 500, maxMs: 10_000 } satisfies RetrySpec,
  breaker: { failureThreshold: 3, resetTimeoutMs: 60_000, successThreshold: 2 } satisfies BreakerSpec,
} as const;

/** One service with everything resolved: defaults, environment (secrets included), config hash, level. */
export interface ResolvedService {
  readonly name: string;
  readonly kind: 'service' | 'job';
  readonly spec: ServiceSpec;
  readonly env: Readonly<Record<string, string>>;
  readonly configHash: string;
  readonly health: readonly HealthCheckSpec[];
  readonly startTimeoutMs: number;
  readonly retry: RetrySpec;
  readonly breaker: BreakerSpec;
  readonly critical: boolean;
  readonly level: number;
  readonly dependsOn: Readonly<Record<string, DependencyCondition>>;
  /** The topology's networks, volumes, secrets and configs (the same object for every service). */
  readonly resources?: TopologyResources;
}

/** The topology-level declarations, when it has any. */
function topologyResources(t: Topology): TopologyResources | undefined {
  const r: TopologyResources = {
    ...(t.networks === undefined ? {} : { networks: t.networks }),
    ...(t.volumes === undefined ? {} : { volumes: t.volumes }),
    ...(t.secrets === undefined ? {} : { secrets: t.secrets }),
    ...(t.configs === undefined ? {} : { configs: t.configs }),
  };
  return Object.keys(r).length === 0 ? undefined : r;
}

/** The digest of a container's build context, as a field of the hashed config. */
function buildOf(spec: ServiceSpec): { buildContextDigest?: string } {
  const build = spec.container?.build;
  const digest = build === undefined ? undefined : buildDigest(build);
  return digest === undefined ? {} : { buildContextDigest: digest };
}

/** A topology ready to deploy. */
export interface ResolvedTopology {
  readonly instance: string;
  readonly graph: DependencyGraph;
  readonly services: ReadonlyMap<string, ResolvedService>;
  /** Names of the environment variables that hold secrets (for redaction). */
  readonly secretNames: ReadonlySet<string>;
}

function declaredDependsOn(spec: ServiceSpec, topology: Topology): Record<string, DependencyCondition> {
  const deps = spec.dependsOn;
  if (deps === undefined) return {};
  if (!Array.isArray(deps)) {
    // The long form's `required: false` dependencies that are not in the topology are absent.
    const entries = Object.entries(deps as Readonly<Record<string, DependencyCondition | DependencySpec>>);
    return Object.fromEntries(
      entries.flatMap(([d, c]) =>
        typeof c === 'string' ? [[d, c]] : c.required === false && !(d in topology.services) ? [] : [[d, c.condition]],
      ),
    );
  }
  // A list means "healthy" — or "completed" when the dependency is a job.
  return Object.fromEntries(
    (deps as readonly string[]).map((d) => [d, topology.services[d]?.kind === 'job' ? 'completed' : 'healthy']),
  );
}

/** The dependencies of a service; sharing another's network stack (`service:<x>`) implies `x: started`. */
function normaliseDependsOn(spec: ServiceSpec, topology: Topology): Record<string, DependencyCondition> {
  const deps = declaredDependsOn(spec, topology);
  const mode = spec.container?.networkMode;
  if (mode?.startsWith('service:') === true) {
    const shared = mode.slice('service:'.length);
    if (!(shared in deps)) deps[shared] = 'started';
  }
  return deps;
}

function resolveEnv(
  values: Readonly<Record<string, EnvValue>> | undefined,
  env: NodeJS.ProcessEnv,
  service: string,
  secretNames: Set<string>,
): Result<Record<string, string>, DiveError> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(values ?? {})) {
    if (typeof value === 'string') {
      out[key] = value;
      continue;
    }
    secretNames.add(key);
    secretNames.add(value.secret);
    const secret = env[value.secret];
    if (secret === undefined) {
      return err(
        new SecretUnavailableError(
          `service ${service}: secret ${key} reads environment variable ${value.secret}, which is not set`,
          {
            context: { service, variable: value.secret },
          },
        ),
      );
    }
    out[key] = secret;
  }
  return ok(out);
}

/**
 * Default health layers: a container gets `docker` — its HEALTHCHECK, its own or its image's, and where it has none,
 * running — and a process gets `running`. (Only the topology's own `healthcheck` used to count: a container whose
 * image has one was healthy as soon as it ran, and one that exits at once could pass in that moment.)
 */
function defaultHealth(spec: ServiceSpec): HealthCheckSpec[] {
  if (spec.health !== undefined && spec.health.length > 0) return [...spec.health];
  if (spec.container !== undefined) return [{ type: 'docker' }];
  return [{ type: 'running' }];
}

/** The dependency graph of a topology (cycles and unknown names → GraphValidationError); no secrets needed. */
export function topologyGraph(topology: Topology): ReturnType<typeof createDependencyGraph> {
  return createDependencyGraph(
    Object.fromEntries(
      Object.entries(topology.services).map(([name, spec]) => [
        name,
        { dependsOn: normaliseDependsOn(spec, topology) },
      ]),
    ),
  );
}

/**
 * Resolve a validated topology: the dependency graph (cycles and unknown names → GraphValidationError), defaults,
 * secrets from `env` (missing → SecretUnavailableError), config hashes and levels.
 */
export function resolveTopology(
  topology: Topology,
  env: NodeJS.ProcessEnv = process.env,
): Result<ResolvedTopology, DiveError> {
  const graphResult = topologyGraph(topology);
  if (graphResult.isErr()) return err(graphResult.error);
  const graph = graphResult.value;
  const secretNames = new Set<string>();
  const services = new Map<string, ResolvedService>();
  const d = topology.defaults ?? {};
  const resources = topologyResources(topology);
  for (const name of graph.topologicalOrder()) {
    const spec = topology.services[name];
    if (spec === undefined) continue;
    const envValues = spec.container?.environment ?? spec.process?.env;
    const resolvedEnv = resolveEnv(envValues, env, name, secretNames);
    if (resolvedEnv.isErr()) return err(resolvedEnv.error);
    const dependsOn = normaliseDependsOn(spec, topology);
    const envTimeout = envStartTimeout(name, env);
    if (envTimeout.isErr()) return err(envTimeout.error);
    services.set(name, {
      name,
      kind: spec.kind ?? 'service',
      spec,
      env: resolvedEnv.value,
      // A build's context is part of its config: a changed context is a changed service.
      configHash: configHash({ ...spec, dependsOn: undefined, ...buildOf(spec) }, resolvedEnv.value),
      health: defaultHealth(spec),
      startTimeoutMs: envTimeout.value ?? spec.startTimeoutMs ?? d.startTimeoutMs ?? SERVICE_DEFAULTS.startTimeoutMs,
      retry: spec.retry ?? d.retry ?? SERVICE_DEFAULTS.retry,
      breaker: { ...SERVICE_DEFAULTS.breaker, ...d.breaker, ...spec.breaker },
      critical: spec.critical ?? true,
      level: graph.levelOf(name),
      dependsOn,
      ...(resources === undefined ? {} : { resources }),
    });
  }
  return ok({ instance: topology.instance, graph, services, secretNames });
}
