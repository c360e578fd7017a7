export { createFakeClock, type FakeClock } from '@dive/errors/testing';
export { createMemoryBreakerStore } from './memory-store.js';
export { breakerStoreContract, type ContractRunner, type ContractSubject } from './store-contract.js';
