import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { dockerHealth, hasHealthcheck } from './docker.js';

/** A container as `docker inspect` shows it a moment after start: running, its health monitor not yet begun. */
const justStarted = (test: string[] | undefined): Docker.ContainerInspectInfo =>
  ({
    Id: 'c1',
    State: { Running: true, Status: 'running', ExitCode: 0, OOMKilled: false },
    Config: test === undefined ? {} : { Healthcheck: { Test: test } },
  }) as unknown as Docker.ContainerInspectInfo;

const target = (info: Docker.ContainerInspectInfo) => ({
  docker: {} as Docker,
  container: { id: 'c1', inspect: () => Promise.resolve(info) } as unknown as Docker.Container,
});

describe('a HEALTHCHECK is known from the config, not from State.Health', () => {
  it('hasHealthcheck: a test command is one, NONE or none is not', () => {
    expect(hasHealthcheck(justStarted(['CMD', '/bin/health']))).toBe(true);
    expect(hasHealthcheck(justStarted(['NONE']))).toBe(false);
    expect(hasHealthcheck(justStarted(undefined))).toBe(false);
    expect(hasHealthcheck(justStarted([]))).toBe(false);
  });

  it('dockerHealth: running with a HEALTHCHECK whose monitor has not started is `starting`, not `unknown`', async () => {
    // `unknown` falls through a layered check to "running counts as healthy": a container that exits at once
    // would pass its health wait if it were inspected in that moment.
    const r = await dockerHealth(target(justStarted(['CMD', '/bin/health']))).run();
    expect(r.status).toBe('starting');
    const none = await dockerHealth(target(justStarted(undefined))).run();
    expect(none.status).toBe('unknown');
  });
});
