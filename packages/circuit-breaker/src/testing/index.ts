export { createFakeClock, type FakeClock } from './fake-clock.js';
export { createMemoryBreakerStore } from './memory-store.js';
export { breakerStoreContract, type ContractRunner, type ContractSubject } from './store-contract.js';
