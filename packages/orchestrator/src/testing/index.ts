export {
  memoryRuntime,
  type MemoryRuntime,
  type MemoryRuntimeOptions,
  type MemoryService,
  type MemoryServiceBehaviour,
} from './memory-runtime.js';
export { runtimeContract, type RuntimeContractCase, type RuntimeContractFixture } from './runtime-contract.js';
export { seededRandom } from './seeded-random.js';
export { memoryState } from '../fleet/memory-state.js';
