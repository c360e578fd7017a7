export { databaseUrl, dockerClient, instanceCode, uniqueSuffix } from './env.js';
export { createTestDatabase, dropStaleTestDatabases, type TestDatabase } from './postgres.js';
export {
  busyboxImageTag,
  ensureBusyboxImage,
  removeTestContainers,
  runTestContainer,
  TEST_LABEL,
  type TestContainer,
  type TestContainerOptions,
} from './docker.js';
export {
  instanceLabels,
  labelFilter,
  listLabelledContainers,
  removeLabelledContainers,
  removeLabelledImages,
  removeInstances,
  type LabelSelector,
  type ListLabelledOptions,
  type RemoveInstancesOptions,
  type RemoveLabelledOptions,
} from './docker-labels.js';
export { execInContainer, type ExecResult } from './docker-exec.js';
export { freePort } from './ports.js';
export { waitFor } from './wait-for.js';
export { startSecondDockerd, type SecondDockerd, type SecondDockerdOptions } from './second-dockerd.js';
export { generateTestCertificates, type TestCertificates } from './test-certificates.js';
export { busyboxTopology, tlsOf, type BusyboxService } from './busybox-topology.js';
