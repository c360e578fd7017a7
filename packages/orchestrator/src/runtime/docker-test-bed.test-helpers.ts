// The preamble of the orchestrator's tests on the real Docker engine: the busybox image built `FROM scratch`, a
// Docker runtime, a temporary directory (with a file state in it), unique instance codes, and the clean-up of
// everything those instances left (containers, retired ones too, networks, volumes, optionally built images).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { dockerClient, ensureBusyboxImage, instanceCode, removeInstances } from '@dive/test-utils';
import { afterAll, beforeAll } from 'vitest';
import { fileState, type StateBackend } from '../state.js';
import { type DockerRuntime, dockerRuntime } from './docker-runtime.js';

/** What {@link useDockerTestBed} sets up for a test file. */
export interface DockerTestBed {
  readonly docker: Docker;
  readonly runtime: DockerRuntime;
  /** The file's temporary directory (removed afterwards). */
  readonly dir: string;
  /** The busybox test image's tag (set before the first test). */
  readonly image: string;
  /** A file state in `<dir>/state` (set before the first test; with `state: false` there is none). */
  readonly state: StateBackend;
  /** The instances the clean-up removes: those of {@link DockerTestBed.code}, and any a test pushes. */
  readonly instances: string[];
  /** A new unique instance code, removed afterwards. */
  readonly code: () => string;
}

/** Options of {@link useDockerTestBed}. */
export interface DockerTestBedOptions {
  /** Open a file state in `<dir>/state` (default true; false where the CLI opens the state itself). */
  readonly state?: boolean;
  /** Also remove the images built for the instances (default false). */
  readonly images?: boolean;
}

/**
 * Register the `beforeAll` and `afterAll` of a test file on the real Docker engine; returns the bed whose
 * `image` and `state` are there once the tests run. Hooks the file adds later run before this clean-up.
 */
export function useDockerTestBed(prefix: string, options: DockerTestBedOptions = {}): DockerTestBed {
  const docker = dockerClient();
  const runtime = dockerRuntime({ docker, stopGraceMs: 1000 });
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const instances: string[] = [];
  let image = '';
  let state: StateBackend | undefined;
  const bed: DockerTestBed = {
    docker,
    runtime,
    dir,
    instances,
    get image() {
      return image;
    },
    get state() {
      if (state === undefined) throw new Error('useDockerTestBed: no state (state: false, or before beforeAll)');
      return state;
    },
    code: () => instanceCode(instances),
  };
  beforeAll(async () => {
    image = await ensureBusyboxImage(docker);
    if (options.state ?? true) state = fileState(join(dir, 'state'));
  }, 120_000);
  afterAll(async () => {
    await removeInstances(docker, instances, {
      removeResources: async (instance) => {
        await runtime.removeResources?.(instance, { volumes: true });
      },
      ...(options.images === undefined ? {} : { images: options.images }),
    });
    await runtime[Symbol.asyncDispose]();
    await state?.[Symbol.asyncDispose]();
    rmSync(dir, { recursive: true, force: true });
  }, 120_000);
  return bed;
}
