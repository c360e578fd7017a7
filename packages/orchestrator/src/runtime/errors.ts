import { defineError } from '@dive/errors';

/** 3001: a service (container or process) could not be created or started; the runtime's message is in it. */
export class ContainerStartFailedError extends defineError('ContainerStartFailedError') {}
/** 3002: a service exited while it was expected to run — @dive/health's class, so `instanceof` agrees across both. */
export { ContainerExitedError } from '@dive/health';
/** 3004: a container image is not present on the engine (images are never pulled). */
export class ImageMissingError extends defineError('ImageMissingError') {}
/** 3005: the container engine (or process runtime) cannot be reached — @dive/health's class, one for the SDK. */
export { RuntimeUnavailableError } from '@dive/health';
/** 3006: a service's image could not be built from its context; the engine's message is in it. */
export class ImageBuildFailedError extends defineError('ImageBuildFailedError') {}
