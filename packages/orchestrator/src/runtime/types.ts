import type { DiveError } from '@dive/errors';
import type { DockerHealthWatcher } from '@dive/health';
import type Docker from 'dockerode';
import type { ResultAsync } from 'neverthrow';
import type { ContainerSpec, ProcessSpec } from '../topology/types.js';
import type { TopologyResources } from './docker-resource-names.js';

/** What a runtime is asked to start: one service, secrets already resolved (never log `env`). */
export interface StartRequest {
  readonly instance: string;
  readonly service: string;
  readonly deploymentId: string;
  /** sha256 of the service's resolved spec: equal hashes mean "nothing changed". */
  readonly configHash: string;
  readonly kind: 'service' | 'job';
  readonly container?: ContainerSpec;
  readonly process?: ProcessSpec;
  /** The topology's networks, volumes, secrets and configs, which the container spec names. */
  readonly resources?: TopologyResources;
  /** Resolved environment (secrets included): pass it to the service, never log or store it. */
  readonly env: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
  /** The id of the state store deploying it: Docker labels what it creates `<prefix>.store=<id>`. */
  readonly storeId?: string;
  /**
   * `text` with every resolved secret value of the deployment written as its `${NAME}` (the engine passes it). A
   * runtime passes what it writes to disk itself through it: the process runtime its record's command line and
   * the line it writes into the service's log. Without it the runtime knows no secret and keeps no argument.
   */
  readonly withoutSecrets?: (text: string) => string;
}

/** Whose resources a `list` or `removeResources` call sees. */
export interface OwnerOptions {
  /**
   * Only what the state store with this id created (and what carries no store id: made before ownership labels).
   * Without it, every resource of the instance.
   */
  readonly storeId?: string;
}

/** A service the runtime started (or found running). JSON-serialisable: it goes into checkpoints. */
export interface ServiceHandle {
  readonly runtime: string;
  readonly instance: string;
  readonly service: string;
  /** Container id or process id, as a string. */
  readonly id: string;
  /** Container name, or the process's command line. */
  readonly name: string;
  readonly deploymentId: string;
  readonly configHash: string;
  readonly startedAt: string;
}

/** What a runtime knows about a handle right now. */
export type ServiceStatus =
  | { readonly state: 'running'; readonly pid?: number }
  | { readonly state: 'exited'; readonly exitCode: number; readonly oomKilled?: boolean; readonly signal?: string }
  | { readonly state: 'missing' };

/** What `removeResources` removed, by Docker name. */
export interface RemovedResources {
  readonly networks: readonly string[];
  readonly volumes: readonly string[];
}

/** Something to dispose (listeners). */
export interface Disposable {
  [Symbol.dispose](): void;
}

/**
 * Where services run. `dockerRuntime()` and `processRuntime()` ship with the SDK; implement this interface to
 * add your own (Kubernetes, systemd, a cloud API). Every method returns a ResultAsync and never throws.
 */
export interface Runtime {
  /** `docker`, `process`, or your runtime's name; recorded in handles and checkpoints. */
  readonly name: string;
  /** The Docker client, for runtimes whose handles are Docker containers (enables `docker` and `exec` checks). */
  readonly docker?: Docker;
  /**
   * The runtime's one Docker events watcher (@dive/health), shared by its `onExit` and the health waits, so one
   * engine has one events stream. Without it, the health waits open their own.
   */
  readonly dockerWatcher?: DockerHealthWatcher;
  /** Whether the runtime answers (Docker ping; the process runtime always can). RuntimeUnavailableError 3005. */
  ping(): ResultAsync<void, DiveError>;
  /** Whether everything the services need is present (images; executables). ImageMissingError 3004, … */
  preflight(requests: readonly StartRequest[]): ResultAsync<void, DiveError>;
  /** Start one service. ContainerStartFailedError 3001, ImageMissingError 3004, CancelledError 8002. */
  start(request: StartRequest): ResultAsync<ServiceHandle, DiveError>;
  /** Current status of a handle. */
  status(handle: ServiceHandle): ResultAsync<ServiceStatus, DiveError>;
  /** Stop (TERM, then KILL after the grace period) and remove. Stopping a missing service succeeds. */
  stop(handle: ServiceHandle, options?: { readonly graceMs?: number }): ResultAsync<void, DiveError>;
  /** Every service of an instance this runtime knows about (by labels, or by its process records). */
  list(instance: string, options?: OwnerOptions): ResultAsync<readonly ServiceHandle[], DiveError>;
  /** The last `tail` log lines of a service (stdout and stderr interleaved). */
  logs(handle: ServiceHandle, options?: { readonly tail?: number }): ResultAsync<readonly string[], DiveError>;
  /** Called once when the service exits (at once, not polled where the runtime can avoid it). */
  onExit(handle: ServiceHandle, listener: (status: Extract<ServiceStatus, { state: 'exited' }>) => void): Disposable;
  /**
   * Called once a service is healthy (not for jobs). Docker applies the service's `restart` policy here, so that
   * Docker's restarts never fight DIVE's own retries while the service starts.
   */
  afterHealthy?(handle: ServiceHandle): ResultAsync<void, DiveError>;
  /**
   * Take a changed service's predecessor out of service but keep it, so that a rollback can bring back that very
   * service (its writable layer, its anonymous volumes) until the deployment that replaced it is verified. Docker
   * stops the container, sets its restart policy to `no` and renames it `<name>.retired`; `list` no longer
   * reports it, `removeResources` (`down`) removes it. Optional, with `restore` and `discard`: a runtime without
   * them has its predecessors stopped (removed) instead.
   * @returns the retired handle (its `name` is the retired name)
   */
  retire?(handle: ServiceHandle, options?: { readonly graceMs?: number }): ResultAsync<ServiceHandle, DiveError>;
  /**
   * Bring a retired service back as it was (Docker: renamed back and started; its restart policy is applied again
   * by `afterHealthy`).
   * @returns the live handle
   */
  restore?(retired: ServiceHandle): ResultAsync<ServiceHandle, DiveError>;
  /** Remove a retired service for good (its successor was verified, or a rollback did not need it). Missing is Ok. */
  discard?(retired: ServiceHandle): ResultAsync<void, DiveError>;
  /**
   * The instance's retired services that nobody restored or discarded: left by a deployment whose process was
   * killed, or one run with `rollback: 'never'`. A manual rollback restores them; the next verified deployment
   * discards them. Optional (with `retire`); without it such leftovers wait for `down`.
   */
  listRetired?(instance: string, options?: OwnerOptions): ResultAsync<readonly ServiceHandle[], DiveError>;
  /**
   * Remove what an instance's services shared and no longer use, once they are all stopped (`down`): the networks
   * DIVE created; with `volumes: true` also its volumes (data is lost). External ones are never touched.
   */
  removeResources?(
    instance: string,
    options?: { readonly volumes?: boolean } & OwnerOptions,
  ): ResultAsync<RemovedResources, DiveError>;
  /** Release what the runtime holds (event streams, child watchers). Does not stop services. */
  [Symbol.asyncDispose](): Promise<void>;
}
