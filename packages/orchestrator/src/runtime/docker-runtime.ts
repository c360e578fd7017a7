import { CancelledError, ConfigInvalidError, systemClock, type Clock, type DiveError } from '@dive/errors';
import { createDockerHealthWatcher, demuxDockerLogs, type DockerHealthWatcher } from '@dive/health';
import type Docker from 'dockerode';
import { errAsync, ResultAsync } from 'neverthrow';
import { lazyRequire } from '../lazy-require.js';
import { withDeadline } from './call-deadline.js';
import { containerName } from './container-name.js';
import { logLines } from './log-lines.js';
import { engineAddress, engineError, engineMessage, statusCode } from './docker-errors.js';
import { dockerHealthcheck } from './docker-healthcheck.js';
import { ContainerStartFailedError, ImageMissingError, RuntimeUnavailableError } from './errors.js';
import type { Disposable, Runtime, ServiceHandle, ServiceStatus, StartRequest } from './types.js';
import { watchExit } from './watch-exit.js';

// dockerode (with its gRPC and protobuf) is loaded when a runtime is made, not when the package is imported.
const loadDockerode = lazyRequire('dockerode') as () => typeof Docker;

/** Options of {@link dockerRuntime}. */
export interface DockerRuntimeOptions {
  /** The Docker client. Default `new Docker()`, which honours `DOCKER_HOST` (else the local socket). */
  readonly docker?: Docker;
  /** Prefix of the labels DIVE puts on its containers (`<prefix>.instance`, …). Default `dive`. */
  readonly labelPrefix?: string;
  /** Time between SIGTERM and SIGKILL when `stop()` is given none, in ms (rounded up to seconds). Default 10_000. */
  readonly stopGraceMs?: number;
  /**
   * How long one call to the engine may take before it fails with RuntimeUnavailableError (3005), in ms; a stop
   * gets its grace period on top. Default 30_000. An engine that stops answering mid-call never hangs a deployment.
   */
  readonly callTimeoutMs?: number;
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
 * `dive.deployment`, `dive.config-hash` and `dive.managed=true`; the network is `none` (default) or `host`, nothing
 * else; the spec's healthcheck becomes Docker's HEALTHCHECK. Images are never pulled: a missing one is
 * ImageMissingError. `stop` stops with the grace period then removes (a missing container is success); `list`
 * finds an instance's containers by label; `logs` demultiplexes stdout and stderr; `onExit` and the health waits share
 * ONE Docker events stream per runtime (@dive/health's watcher, `dockerWatcher`): opened on the first listener,
 * closed by `[Symbol.asyncDispose]`; an exit is reported from the `die` event itself, with no round trip.
 *
 * @param options - the Docker client, label prefix, default grace period
 * @returns a {@link DockerRuntime}: `ping` fails with RuntimeUnavailableError (3005); `preflight` with
 *   ImageMissingError (3004), ConfigInvalidError (1002: a network other than none/host), RuntimeUnavailableError;
 *   `start` gives a handle (id = container id) or ContainerStartFailedError (3001, with the engine's message),
 *   ImageMissingError, ConfigInvalidError, RuntimeUnavailableError, CancelledError (8002)
 * @throws TypeError if `labelPrefix` is empty; RangeError if `stopGraceMs` is negative
 * @example
 * ```ts
 * import { dockerRuntime, orchestrate } from '@dive/orchestrator';
 * await using runtime = dockerRuntime(); // DOCKER_HOST or /var/run/docker.sock
 * const report = await orchestrate(topology, { runtime });
 * ```
 */
export function dockerRuntime(options: DockerRuntimeOptions = {}): DockerRuntime {
  const docker = options.docker ?? new (loadDockerode())();
  const prefix = options.labelPrefix ?? 'dive';
  if (prefix === '') throw new TypeError('dockerRuntime: labelPrefix must not be empty');
  const defaultGrace = options.stopGraceMs ?? 10_000;
  if (!(defaultGrace >= 0)) throw new RangeError(`dockerRuntime: stopGraceMs must be >= 0, got ${defaultGrace}`);
  const label = {
    instance: `${prefix}.instance`,
    service: `${prefix}.service`,
    deployment: `${prefix}.deployment`,
    configHash: `${prefix}.config-hash`,
    managed: `${prefix}.managed`,
  };
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
    ResultAsync.fromPromise(
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

  const checkNetwork = (r: StartRequest): ConfigInvalidError | undefined => {
    const network = r.container?.network ?? 'none';
    return network === 'none' || network === 'host'
      ? undefined
      : new ConfigInvalidError(
          `${r.instance}/${r.service}: network '${String(network)}' is not allowed; use 'none' or 'host'`,
          { context: { instance: r.instance, service: r.service, field: 'container.network' } },
        );
  };

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
      await docker.getContainer(id).remove({ force: true, v: true });
    } catch (e) {
      const code = statusCode(e);
      if (code !== 404 && code !== 409) throw e;
    }
  };

  const createAndStart = async (r: StartRequest): Promise<ServiceHandle> => {
    const spec = r.container;
    if (spec?.image === undefined) throw new ConfigInvalidError(`${r.instance}/${r.service} has no container image`);
    const image = spec.image;
    const name = containerName(r.instance, r.service, r.deploymentId);
    const failed = (message: string, cause: unknown): ContainerStartFailedError =>
      new ContainerStartFailedError(
        `container ${name} (${image}) of ${r.instance}/${r.service} failed to start: ${message}`,
        {
          cause,
          context: { instance: r.instance, service: r.service, container: name, image, runtime: 'docker' },
        },
      );
    const createOptions: Docker.ContainerCreateOptions = {
      name,
      Image: image,
      Env: Object.entries(r.env).map(([k, v]) => `${k}=${v}`),
      Labels: {
        ...spec.labels,
        [label.instance]: r.instance,
        [label.service]: r.service,
        [label.deployment]: r.deploymentId,
        [label.configHash]: r.configHash,
        [label.managed]: 'true',
      },
      ...(spec.command === undefined ? {} : { Cmd: [...spec.command] }),
      ...(spec.entrypoint === undefined ? {} : { Entrypoint: [...spec.entrypoint] }),
      ...(spec.healthcheck === undefined ? {} : { Healthcheck: dockerHealthcheck(spec.healthcheck) }),
      HostConfig: {
        NetworkMode: spec.network ?? 'none',
        ...(spec.memoryBytes === undefined ? {} : { Memory: spec.memoryBytes, MemorySwap: spec.memoryBytes }),
      },
    };
    let container: Docker.Container;
    try {
      container = await docker.createContainer(createOptions);
    } catch (e) {
      const code = statusCode(e);
      if (code === 404) throw imageMissing(image, r);
      if (code === 409) {
        // A stopped leftover of an earlier attempt of this same deployment is replaced; a running one is not.
        const existing = await docker.getContainer(name).inspect();
        if (existing.State.Running) throw failed(`a container named ${name} is already running`, e);
        await removeQuietly(name);
        try {
          container = await docker.createContainer(createOptions);
        } catch (again) {
          if (statusCode(again) === undefined) throw again;
          throw failed(engineMessage(again), again);
        }
      } else if (code === undefined) {
        throw e; // connection: RuntimeUnavailableError
      } else {
        throw failed(engineMessage(e), e);
      }
    }
    try {
      if (r.signal?.aborted === true) throw new CancelledError(`start of ${r.instance}/${r.service} cancelled`);
      await container.start();
      // No inspect here: it would be one more round trip on every start's path, and the health wait inspects next.
      return {
        runtime: 'docker',
        instance: r.instance,
        service: r.service,
        id: container.id,
        name,
        deploymentId: r.deploymentId,
        configHash: r.configHash,
        startedAt: new Date().toISOString(),
      };
    } catch (e) {
      await removeQuietly(container.id).catch(() => undefined);
      if (e instanceof CancelledError || statusCode(e) === undefined) throw e;
      throw failed(engineMessage(e), e);
    }
  };

  const runtime: DockerRuntime = {
    name: 'docker',
    docker,
    ping: () =>
      call('pinging', {}, (abortSignal) =>
        // dockerode's ping takes { abortSignal } (lib/docker.js) though its types only list a callback
        (docker.ping as (opts: { abortSignal: AbortSignal }) => Promise<unknown>)({ abortSignal }),
      )
        .mapErr((e) =>
          e instanceof RuntimeUnavailableError
            ? e
            : new RuntimeUnavailableError(`Docker engine at ${engineAddress(docker)} does not answer: ${e.message}`, {
                cause: e,
                context: { engine: engineAddress(docker) },
              }),
        )
        .map(() => undefined),
    preflight: (requests) => {
      for (const r of requests) {
        const bad = checkNetwork(r);
        if (bad !== undefined) return errAsync(bad);
      }
      const images = new Map<string, StartRequest>();
      for (const r of requests)
        if (r.container?.image !== undefined && !images.has(r.container.image)) images.set(r.container.image, r);
      // The ping and every image inspect at once; the ping's error comes first (combine keeps the order).
      return ResultAsync.combine([runtime.ping(), ...[...images].map(([image, r]) => imagePresent(image, r))]).map(
        () => undefined,
      );
    },
    start: (r) => {
      if (r.signal?.aborted === true) {
        return errAsync(
          new CancelledError(`start of ${r.instance}/${r.service} cancelled`, { context: { service: r.service } }),
        );
      }
      const bad = checkNetwork(r);
      if (bad !== undefined) return errAsync(bad);
      // No image inspect first: the create answers 404 for a missing image, which is ImageMissingError too.
      return call('starting a container', { instance: r.instance, service: r.service }, () => createAndStart(r));
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
      call(
        'stopping a container',
        { container: h.name, instance: h.instance, service: h.service },
        async () => {
          const container = docker.getContainer(h.id);
          try {
            await container.stop({ t: Math.ceil((o?.graceMs ?? defaultGrace) / 1000) });
          } catch (e) {
            const code = statusCode(e);
            if (code === 404) return;
            if (code !== 304) throw e; // 304: already stopped
          }
          await removeQuietly(h.id);
        },
        // the engine answers a stop only after the grace period
        Math.ceil((o?.graceMs ?? defaultGrace) / 1000) * 1000,
      ),
    list: (instance) =>
      call('listing containers', { instance }, async (abortSignal) => {
        const found = await docker.listContainers({
          abortSignal,
          all: true,
          filters: { label: [`${label.instance}=${instance}`, `${label.managed}=true`] },
        });
        return found.map((c): ServiceHandle => ({
          runtime: 'docker',
          instance,
          service: c.Labels[label.service] ?? '',
          id: c.Id,
          name: (c.Names[0] ?? c.Id).replace(/^\//, ''),
          deploymentId: c.Labels[label.deployment] ?? '',
          configHash: c.Labels[label.configHash] ?? '',
          startedAt: new Date(c.Created * 1000).toISOString(),
        }));
      }),
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
    onExit: (h, listener): Disposable => watchExit(shared(), h.id, listener),
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
