export { createMemoryStateStore, type MemoryStateStoreOptions } from '../memory-store.js';
export { stateStoreContract, type ContractHarness } from './contract.js';
export { checkpointSecurityContract, type CheckpointContractHarness } from './checkpoint-contract.js';
export type { ContractCase } from './contract-assert.js';
export { createMemoryFleetStore } from '../fleet-store/memory-fleet-store.js';
export { fleetStoreContract, type FleetContractHarness } from '../fleet-store/contract.js';
