// Set-up shared by the fleet tests on real Docker engines (fleet-kill, fleet-pause, fleet-hosts): the shared engine
// and an instance's containers on an engine (their clean-up is @dive/test-utils' `removeInstances`). The topology and fleet file texts
// of busybox services are @dive/test-utils' (`busyboxTopology`, `tlsOf`), which bench/fleet uses too.
import Docker from 'dockerode';
import { instanceLabels, listLabelledContainers } from '@dive/test-utils';

/** The shared engine every test file may use at the same time (so instance codes must be rare and unique). */
export const sharedDocker = new Docker({ socketPath: '/var/run/docker.sock' });
/** The shared engine as a fleet file names it. */
export const SHARED_HOST = 'unix:///var/run/docker.sock';

/** The containers of an instance on an engine, stopped ones too. */
export const labelled = (docker: Docker, instance: string): Promise<Docker.ContainerInfo[]> =>
  listLabelledContainers(docker, instanceLabels(instance));
