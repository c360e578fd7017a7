import { CancelledError, ConfigInvalidError, systemClock, type Clock, type DiveError } from '@dive/errors';
import { createDockerHealthWatcher, demuxDockerLogs, type DockerHealthWatcher } from '@dive/health';
import type Docker from 'dockerode';
import { err, errAsync, ok, okAsync, ResultAsync } from 'neverthrow';
import { lazyRequire } from '../lazy-require.js';
import { withDeadline } from './call-deadline.js';
import { dockerClientOptions } from './docker-client.js';
import { parseDockerEndpoint, type DockerTlsFiles } from './docker-endpoint.js';
import { logLines } from './log-lines.js';
import { engineAddress, engineError, statusCode } from './docker-errors.js';
import { ImageBuilder } from './docker-build.js';
import { removeUnusedNetworks } from './docker-networks.js';
import { diveLabels, ownedBy } from './docker-resource-names.js';
import { applyRestartPolicy } from './docker-restart-policy.js';
import {
  handleOf,
  isRetiredName,
  listRetired,
  removeRetired,
  restoreContainer,
  retireContainer,
} from './docker-retire.js';
import { createAndStart, type StartDeps } from './docker-start.js';
import { removeInstanceVolumes } from './docker-volumes.js';
import { ImageMissingError, RuntimeUnavailableError } from './errors.js';
import type { Disposable, Runtime, ServiceHandle, ServiceStatus, StartRequest } from './types.js';
import { watchExit } from './watch-exit.js';

// dockerode (with its gRPC and protobuf) is loaded when a runtime is made, not when the package is imported.
const loadDockerode = lazyRequire('dockerode') as () => typeof Docker;

// Where no engine can be: the client of a runtime whose `docker` option is invalid (its calls never reach it).
const NOWHERE = '/dev/null/dive-invalid-docker-endpoint';

/** The Docker client of the options: the one given, else one for the URL (or the environment's DOCKER_HOST). */
function connect(options: DockerRuntimeOptions): { docker: Docker; failure?: ConfigInvalidError } {
  if (options.docker !== undefined && typeof options.docker !== 'string') return { docker: options.docker };
  const Dockerode = loadDockerode();
  const made = parseDockerEndpoint({
    ...(options.docker === undefined ? {} : { docker: options.docker }),
    ...(options.tls === undefined ? {} : { tls: options.tls }),
  })
    .andThen((endpoint) => dockerClientOptions(endpoint))
    .andThen((clientOptions) => {
      try {
        return ok(new Dockerode(clientOptions));
      } catch (e) {
        // docker-modem reads DOCKER_HOST and DOCKER_CERT_PATH itself, and throws on a bad one
        return err(
          new ConfigInvalidError(`Docker client options: ${e instanceof Error ? e.message : String(e)}`, { cause: e }),
        );
      }
    });
  return made.match(
    (docker) => ({ docker }),
    // docker-modem would read DOCKER_HOST/DOCKER_CERT_PATH again (and throw): the client of a failed connection
    // gets a modem of its own that answers every request with the failure (the runtime's calls never get there).
    (failure) => {
      const modem = { socketPath: NOWHERE, dial: (_: unknown, done: (e: Error) => void) => done(failure) };
      return { docker: new Dockerode({ modem } as Docker.DockerOptions), failure };
    },
  );
}

/** Options of {@link dockerRuntime}. */
export interface DockerRuntimeOptions {
  /**
   * The engine: a dockerode client, or where it answers — `unix:///var/run/docker.sock`, `tcp://host:2376` (with
   * `tls`), `ssh://user@host` ({@link parseDockerEndpoint}). Default: as the docker CLI, `DOCKER_HOST` with
   * `DOCKER_TLS_VERIFY` and `DOCKER_CERT_PATH`, else `/var/run/docker.sock`. A bad URL or an unreadable TLS file
   * does not throw: every call of the runtime then fails with ConfigInvalidError (1002) naming it.
   */
  readonly docker?: Docker | string;
  /** TLS files (PEM paths) for a `tcp://` `docker` URL: `ca`, and `cert` with `key` for `--tlsverify` engines. */
  readonly tls?: DockerTlsFiles;
  /** Prefix of the labels DIVE puts on its containers (`<prefix>.instance`, …). Default `dive`. */
  readonly labelPrefix?: string;
  /** Time between SIGTERM and SIGKILL when `stop()` is given none, in ms (rounded up to seconds). Default 10_000. */
  readonly stopGraceMs?: number;
  /**
   * How long one call to the engine may take before it fails with RuntimeUnavailableError (3005), in ms; a stop
   * gets its grace period on top. Default 30_000. An engine that stops answering mid-call never hangs a deployment.
   */
  readonly callTimeoutMs?: number;
  /** How long building one service's image may take (on top of `callTimeoutMs`), in ms. Default 15 minutes. */
  readonly buildTimeoutMs?: number;
  /** Times the call deadlines. Default `systemClock`. */
  readonly clock?: Clock;
}

/** The Docker runtime: a {@link Runtime} whose `docker` client and events watcher are always set. */
export interface DockerRuntime extends Runtime {
  readonly docker: Docker;
  readonly dockerWatcher: DockerHealthWatcher;
}

/**
 * The Docker {@link Runtime}, through dockerode only (never a shell). Containers are named
 * `dive-<instance>-<service>-<short deployment id>` (lower-case) and labelled `dive.instance`, `dive.service`,
 * `dive.deployment`, `dive.config-hash` and `dive.managed=true`. Each instance gets its own bridge network
 * (`dive_<instance>_default`) on which services resolve each other by name, plus the topology's named networks and
 * volumes, all labelled and created the first time (see docs/runtimes.md); a `build` is built once per context
 * digest. Images are never pulled: a missing one is ImageMissingError. `stop` stops (with the given grace period,
 * else the container's own) then removes, keeping its volumes (a missing container is success); `list`
 * finds an instance's containers by label; `logs` demultiplexes stdout and stderr; `onExit` and the health waits share
 * ONE Docker events stream per runtime (@dive/health's watcher, `dockerWatcher`): opened on the first listener,
 * closed by `[Symbol.asyncDispose]`; an exit is reported from the `die` event itself, with no round trip.
 *
 * @param options - the Docker client, label prefix, default grace period
 * @returns a {@link DockerRuntime}: `ping` fails with RuntimeUnavailableError (3005); `preflight` (which also builds)
 *   with ImageMissingError (3004), ImageBuildFailedError (3006), RuntimeUnavailableError; `start` gives a handle
 *   (id = container id) or ContainerStartFailedError (3001, with the engine's message), ImageMissingError,
 *   ImageBuildFailedError, ConfigInvalidError (1002: a missing external network or volume), RuntimeUnavailableError,
 *   CancelledError (8002); `afterHealthy` applies the restart policy; `retire` stops a replaced container (restart
 *   policy `no`) and renames it `<name>.retired` (left out of `list`), `restore` renames it back and starts it,
 *   `discard` removes it, `listRetired` finds the ones left (newest first); `removeResources` removes the instance's retired containers and unused networks (and
 *   with `volumes: true` its volumes). Every call fails with ConfigInvalidError (1002) when
 *   `docker` is a bad URL or a TLS file cannot be read.
 * @throws TypeError if `labelPrefix` is empty; RangeError if `stopGraceMs` is negative
 * @example
 * ```ts
 * import { dockerRuntime, orchestrate } from '@dive/orchestrator';
 * await using runtime = dockerRuntime(); // DOCKER_HOST or /var/run/docker.sock
 * await using remote = dockerRuntime({ docker: 'tcp://est.example:2376', tls: { ca: 'ca.pem', cert: 'cert.pem', key: 'key.pem' } });
 * const report = await orchestrate(topology, { runtime });
 * ```
 */
export function dockerRuntime(options: DockerRuntimeOptions = {}): DockerRuntime {
  const { docker, failure } = connect(options);
  const prefix = options.labelPrefix ?? 'dive';
  if (prefix === '') throw new TypeError('dockerRuntime: labelPrefix must not be empty');
  const defaultGrace = options.stopGraceMs ?? 10_000;
  if (!(defaultGrace >= 0)) throw new RangeError(`dockerRuntime: stopGraceMs must be >= 0, got ${defaultGrace}`);
  const label = diveLabels(prefix);
  const buildTimeoutMs = options.buildTimeoutMs ?? 15 * 60_000;
  if (!(buildTimeoutMs > 0)) throw new RangeError(`dockerRuntime: buildTimeoutMs must be > 0, got ${buildTimeoutMs}`);
  let watcher: DockerHealthWatcher | undefined;
  const shared = (): DockerHealthWatcher => (watcher ??= createDockerHealthWatcher({ docker, clock }));

  const callTimeoutMs = options.callTimeoutMs ?? 30_000;
  if (!(callTimeoutMs > 0)) throw new RangeError(`dockerRuntime: callTimeoutMs must be > 0, got ${callTimeoutMs}`);
  const clock = options.clock ?? systemClock;
  // Every call to the engine is bounded: a daemon that stops answering gives RuntimeUnavailableError, not a hang.
  const call = <T>(
    what: string,
    context: Readonly<Record<string, unknown>>,
    fn: (signal: AbortSignal) => Promise<T>,
    extraMs = 0,
  ): ResultAsync<T, DiveError> =>
    failure !== undefined
      ? errAsync(failure)
      : ResultAsync.fromPromise(
          withDeadline(
            fn,
            callTimeoutMs + extraMs,
            clock,
            () =>
              new RuntimeUnavailableError(
                `Docker engine at ${engineAddress(docker)} did not answer within ${callTimeoutMs + extraMs} ms while ${what}`,
                { context: { ...context, engine: engineAddress(docker), timeoutMs: callTimeoutMs + extraMs } },
              ),
          ),
          (e) => (e instanceof RuntimeUnavailableError ? e : engineError(docker, e, what, context)),
        );

  const imageMissing = (image: string, r?: StartRequest): ImageMissingError =>
    new ImageMissingError(
      `image ${image}${r === undefined ? '' : ` of ${r.instance}/${r.service}`} is not present on the Docker engine at ${engineAddress(docker)}`,
      {
        context: { image, ...(r === undefined ? {} : { instance: r.instance, service: r.service }) },
        remediation: `Build or load it first (\`docker build -t ${image} .\`, \`docker load\` or \`docker pull ${image}\`); DIVE never pulls images.`,
      },
    );

  const imagePresent = (image: string, r?: StartRequest): ResultAsync<void, DiveError> =>
    call('inspecting image', { image }, async () => {
      try {
        await docker.getImage(image).inspect();
      } catch (e) {
        if (statusCode(e) === 404) throw imageMissing(image, r);
        throw e;
      }
    });

  const removeQuietly = async (id: string): Promise<void> => {
    try {
      // Volumes are kept: a replaced container's data stays for its successor (`down --volumes` removes them).
      await docker.getContainer(id).remove({ force: true });
    } catch (e) {
      const code = statusCode(e);
      if (code !== 404 && code !== 409) throw e;
    }
  };

  const deps: StartDeps = {
    docker,
    labels: label,
    builder: new ImageBuilder(docker, label),
    networks: new Map(),
    imageMissing,
    defaultGraceMs: defaultGrace,
    removeQuietly,
  };

  const buildAll = (requests: readonly StartRequest[]): ResultAsync<void, DiveError> =>
    call(
      'building images',
      {},
      async () => {
        for (const r of requests) {
          const build = r.container?.build;
          if (build === undefined) continue;
          const image = r.container?.image;
          await deps.builder.ensure({
            instance: r.instance,
            service: r.service,
            build,
            ...(image === undefined ? {} : { image }),
          });
        }
      },
      buildTimeoutMs,
    );

  /** Stop with the given grace period, else the container's own (its spec's `stopGraceMs`, else the default). */
  const graceOf = (h: ServiceHandle, graceMs: number | undefined): ResultAsync<number, DiveError> =>
    graceMs !== undefined
      ? okAsync(graceMs)
      : call('inspecting a container', { container: h.name }, async (abortSignal) => {
          try {
            const info = await docker.getContainer(h.id).inspect({ abortSignal });
            const seconds = (info.Config as { StopTimeout?: number }).StopTimeout;
            return seconds === undefined ? defaultGrace : seconds * 1000;
          } catch (e) {
            if (statusCode(e) === 404) return 0;
            throw e;
          }
        });

  const runtime: DockerRuntime = {
    name: 'docker',
    docker,
    ping: () =>
      call('pinging', {}, (abortSignal) =>
        // dockerode's ping takes { abortSignal } (lib/docker.js) though its types only list a callback
        (docker.ping as (opts: { abortSignal: AbortSignal }) => Promise<unknown>)({ abortSignal }),
      )
        .mapErr((e) =>
          e instanceof RuntimeUnavailableError || e === failure
            ? e
            : new RuntimeUnavailableError(`Docker engine at ${engineAddress(docker)} does not answer: ${e.message}`, {
                cause: e,
                context: { engine: engineAddress(docker) },
              }),
        )
        .map(() => undefined),
    preflight: (requests) => {
      const images = new Map<string, StartRequest>();
      for (const r of requests) {
        const image = r.container?.image;
        if (r.container?.build === undefined && image !== undefined && !images.has(image)) images.set(image, r);
      }
      // The ping and every image inspect at once; the ping's error comes first (combine keeps the order). Then
      // the builds, one at a time (they share the engine's CPU), each bounded by buildTimeoutMs.
      return ResultAsync.combine([runtime.ping(), ...[...images].map(([image, r]) => imagePresent(image, r))]).andThen(
        () => buildAll(requests),
      );
    },
    start: (r) => {
      if (r.signal?.aborted === true) {
        return errAsync(
          new CancelledError(`start of ${r.instance}/${r.service} cancelled`, { context: { service: r.service } }),
        );
      }
      // A build not made by preflight yet is made here, so the start may take the build's time too.
      const extra = r.container?.build === undefined ? 0 : buildTimeoutMs;
      return call(
        'starting a container',
        { instance: r.instance, service: r.service },
        () => createAndStart(deps, r),
        extra,
      );
    },
    status: (h) =>
      call('inspecting a container', { container: h.name }, async (abortSignal): Promise<ServiceStatus> => {
        try {
          const { State } = await docker.getContainer(h.id).inspect({ abortSignal });
          if (State.Running || State.Restarting || State.Paused) return { state: 'running', pid: State.Pid };
          return { state: 'exited', exitCode: State.ExitCode, ...(State.OOMKilled ? { oomKilled: true } : {}) };
        } catch (e) {
          if (statusCode(e) === 404) return { state: 'missing' };
          throw e;
        }
      }),
    stop: (h, o) =>
      graceOf(h, o?.graceMs).andThen((graceMs) =>
        call(
          'stopping a container',
          { container: h.name, instance: h.instance, service: h.service },
          async () => {
            const container = docker.getContainer(h.id);
            try {
              await container.stop({ t: Math.ceil(graceMs / 1000) });
            } catch (e) {
              const code = statusCode(e);
              if (code === 404) return;
              if (code !== 304) throw e; // 304: already stopped
            }
            await removeQuietly(h.id);
          },
          // the engine answers a stop only after the grace period
          Math.ceil(graceMs / 1000) * 1000,
        ),
      ),
    list: (instance, o) =>
      call('listing containers', { instance }, async (abortSignal) => {
        const found = await docker.listContainers({
          abortSignal,
          all: true,
          filters: { label: [`${label.instance}=${instance}`, `${label.managed}=true`] },
        });
        // A retired container (`<name>.retired`, kept for a rollback) is not a live service of the instance.
        return found
          .filter((c) => ownedBy(label, o?.storeId)(c.Labels) && !isRetiredName(c.Names[0] ?? ''))
          .map((c) => handleOf(label, instance, c));
      }),
    listRetired: (instance, o) =>
      call('listing retired containers', { instance }, (abortSignal) =>
        listRetired(docker, instance, label, o?.storeId, abortSignal),
      ),
    logs: (h, o) =>
      call('reading container logs', { container: h.name }, async (abortSignal) => {
        try {
          const body = await docker
            .getContainer(h.id)
            .logs({ abortSignal, stdout: true, stderr: true, follow: false, tail: o?.tail ?? 100 });
          return logLines(demuxDockerLogs(Buffer.isBuffer(body) ? body : Buffer.from(String(body))));
        } catch (e) {
          if (statusCode(e) === 404) return [];
          throw e;
        }
      }),
    retire: (h, o) =>
      graceOf(h, o?.graceMs).andThen((graceMs) =>
        call(
          'retiring a container',
          { container: h.name, instance: h.instance, service: h.service },
          () => retireContainer(docker, h, graceMs, removeQuietly),
          Math.ceil(graceMs / 1000) * 1000,
        ),
      ),
    restore: (h) =>
      call('restoring a retired container', { container: h.name, instance: h.instance, service: h.service }, () =>
        restoreContainer(docker, h, removeQuietly),
      ),
    discard: (h) => call('removing a retired container', { container: h.name }, () => removeQuietly(h.id)),
    onExit: (h, listener): Disposable => watchExit(shared(), h.id, listener),
    afterHealthy: (h) =>
      call('applying the restart policy', { container: h.name }, () => applyRestartPolicy(docker, h.id, label)),
    removeResources: (instance, o) =>
      call('removing networks and volumes', { instance }, async () => {
        // Retired containers (kept for a rollback that did not come) go first: nothing of the instance stays.
        await removeRetired(docker, instance, label, removeQuietly, o?.storeId);
        return {
          networks: await removeUnusedNetworks(docker, instance, label, o?.storeId),
          volumes: o?.volumes === true ? await removeInstanceVolumes(docker, instance, label, o.storeId) : [],
        };
      }),
    get dockerWatcher() {
      return shared();
    },
    [Symbol.asyncDispose]: async () => {
      await watcher?.close();
      watcher = undefined;
    },
  };
  return runtime;
}
