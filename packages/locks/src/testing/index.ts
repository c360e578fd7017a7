export {
  createMemoryLockManager,
  type MemoryLockManager,
  type MemoryLockManagerOptions,
} from './memory-lock-manager.js';
export { lockManagerContract, type LockContractCase, type LockContractFixture } from './contract.js';
