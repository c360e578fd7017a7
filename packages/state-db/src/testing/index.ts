export { createMemoryStateStore, type MemoryStateStoreOptions } from '../memory-store.js';
export { stateStoreContract, type ContractHarness } from './contract.js';
