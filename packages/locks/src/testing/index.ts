export { createMemoryLockManager, type MemoryLockManager } from './memory-lock-manager.js';
export { lockManagerContract, type LockContractCase, type LockContractFixture } from './contract.js';
