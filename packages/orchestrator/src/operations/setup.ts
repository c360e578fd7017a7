import { hostname, userInfo } from 'node:os';
import { systemClock, type Clock } from '@dive/errors';
import { createDiveMetrics, createMetrics, type DiveMetrics, type Metrics } from '@dive/metrics';
import type { Registry } from 'prom-client';
import { createHealthWaiter } from '../adapters/health-waiter.js';
import { ownedRuntime } from '../adapters/owned-runtime.js';
import { lockPort } from '../adapters/lock-port.js';
import { secretAwareRuntime } from '../adapters/secret-start.js';
import { metricsListener } from '../adapters/metrics-listener.js';
import { otelTracing, type OtelTracing } from '../adapters/otel-listener.js';
import { createStartPolicy } from '../adapters/start-policy.js';
import { statePort } from '../adapters/state-port.js';
import type { EngineContext } from '../engine/context.js';
import { secretTemplater } from '../engine/checkpoint-secrets.js';
import { envFileSecretsIn, envFileSecretsRead } from '../engine/env-file-secrets.js';
import { createRedaction, namedSecretsOf, redactingLogger, type Redaction } from '../engine/redaction.js';
import type { DeployEvent } from '../events.js';
import { silentLogger } from '../logger.js';
import { dockerRuntime } from '../runtime/docker-runtime.js';
import { processRuntime } from '../runtime/process-runtime.js';
import type { Runtime } from '../runtime/types.js';
import { fileState, type StateBackend } from '../state.js';
import type { Topology } from '../topology/types.js';
import type { CommonOptions, OrchestrateOptions } from './options.js';

/** What an operation set up, and what it must dispose of afterwards. */
export interface Setup {
  readonly ctx: EngineContext;
  readonly backend: StateBackend;
  readonly runtime: Runtime;
  readonly metrics?: { readonly metrics: Metrics; readonly dive: DiveMetrics };
  /** The operation's OpenTelemetry spans; `dispose` ends any still open. */
  readonly tracing: OtelTracing;
  /** The operation's secrets by value: events, logs, store writes and the returned report are redacted with it. */
  readonly redaction: Redaction;
  dispose(): Promise<void>;
}

const isMetrics = (m: Metrics | Registry): m is Metrics => typeof (m as Metrics).toPrometheus === 'function';

/** The default runtime for a topology: Docker when any service is a container, else local processes. */
export function defaultRuntime(topology: Topology | undefined, clock: Clock = systemClock): Runtime {
  const containers = topology !== undefined && Object.values(topology.services).some((s) => s.container !== undefined);
  return containers ? dockerRuntime({ clock }) : processRuntime();
}

/** Default actor for the audit log: `user@host`. */
export function defaultActor(): string {
  try {
    return `${userInfo().username}@${hostname()}`;
  } catch {
    return `pid ${process.pid}@${hostname()}`;
  }
}

/** Build the engine context of one operation from the public options; owned resources are disposed after. */
export function setup(
  options: CommonOptions & Pick<OrchestrateOptions, 'metrics' | 'keepCheckpoints'>,
  topology?: Topology,
): Setup {
  const clock = options.clock ?? systemClock;
  const backend = options.state ?? fileState('.dive');
  const given = options.runtime ?? defaultRuntime(topology, clock);
  const env = options.env ?? process.env;
  const envFiles = options.secretEnvFiles ?? [];
  // env_file values: as the topology being deployed holds them; without one (down, rollback) read from the files.
  const secrets = [
    ...namedSecretsOf(topology, env, options.secretVariables),
    ...(topology === undefined ? envFileSecretsRead(envFiles, env) : envFileSecretsIn(envFiles, topology)),
  ];
  // What it starts carries the store's id; `down` and the orphan sweep see only the store's own. What the runtime
  // writes itself (process records) names the secrets `${NAME}`.
  const runtime = secretAwareRuntime(
    ownedRuntime(given, () => backend.store.storeId()),
    secretTemplater(secrets, { escape: false }),
  );
  const redaction = createRedaction(secrets.map((s) => s.value));
  const logger = redactingLogger(options.logger ?? silentLogger, redaction.values);
  const tracing = otelTracing();
  const listeners: ((e: DeployEvent) => void)[] = [tracing.onEvent];
  let metrics: Setup['metrics'];
  if (options.metrics !== undefined) {
    const m = isMetrics(options.metrics) ? options.metrics : createMetrics({ registry: options.metrics });
    metrics = { metrics: m, dive: createDiveMetrics(m) };
    listeners.push(metricsListener(metrics.dive));
  }
  if (options.onEvent !== undefined) listeners.push(options.onEvent);
  const policy = createStartPolicy({
    clock,
    ...(backend.breakers === undefined ? {} : { store: backend.breakers }),
    ...(metrics === undefined ? {} : { metrics: metrics.dive }),
  });
  const health = createHealthWaiter({
    clock,
    ...(metrics === undefined ? {} : { metrics: metrics.dive }),
    env,
  });
  const ctx: EngineContext = {
    runtime,
    state: statePort(backend.store, redaction, { env, variables: options.secretVariables ?? [], envFiles }),
    locks: lockPort(backend.locks),
    policy,
    health,
    logger,
    // Every listener (tracing, metrics, the caller's) sees the event with the operation's secrets replaced.
    onEvent: (e) => {
      const safe = redaction.json(e);
      for (const l of listeners) l(safe);
    },
    clock,
    env,
    actor: options.actor ?? defaultActor(),
    lockTimeoutMs: options.lockTimeoutMs ?? 30_000,
    ...(options.callTimeoutMs === undefined ? {} : { callTimeoutMs: options.callTimeoutMs }),
    ...(options.rollbackTimeoutMs === undefined ? {} : { rollbackTimeoutMs: options.rollbackTimeoutMs }),
    ...(options.keepCheckpoints === undefined ? {} : { keepCheckpoints: options.keepCheckpoints }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  };
  return {
    ctx,
    backend,
    runtime,
    ...(metrics === undefined ? {} : { metrics }),
    tracing,
    redaction,
    async dispose() {
      tracing.end(true);
      await health[Symbol.asyncDispose]();
      if (options.runtime === undefined) await given[Symbol.asyncDispose]();
      if (options.state === undefined) await backend[Symbol.asyncDispose]();
    },
  };
}
