export { createMemoryStateStore, type MemoryStateStoreOptions } from '../memory-store.js';
export { stateStoreContract, type ContractHarness } from './contract.js';
export { checkpointSecurityContract, type CheckpointContractHarness } from './checkpoint-contract.js';
export type { ContractCase } from './contract-assert.js';
