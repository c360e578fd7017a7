// The runtimes' public surface, for src/index.ts to re-export.
export { dockerRuntime, type DockerRuntime, type DockerRuntimeOptions } from './docker-runtime.js';
export {
  DEFAULT_DOCKER_SOCKET,
  parseDockerEndpoint,
  type DockerEndpoint,
  type DockerEndpointInput,
  type DockerTlsFiles,
} from './docker-endpoint.js';
export { dockerClientOptions, type DockerClientOptions, type ReadTlsFile } from './docker-client.js';
export { processRuntime, type ProcessRuntimeOptions } from './process-runtime.js';
export { DEFAULT_ENV_ALLOWLIST, DENIED_ENV, type ChildEnvOptions } from './process-env.js';
export {
  ContainerExitedError,
  ContainerStartFailedError,
  ImageBuildFailedError,
  ImageMissingError,
  RuntimeUnavailableError,
} from './errors.js';
export type { TopologyResources } from './docker-resource-names.js';
export type {
  Disposable,
  OwnerOptions,
  RemovedResources,
  Runtime,
  ServiceHandle,
  ServiceStatus,
  StartRequest,
} from './types.js';
