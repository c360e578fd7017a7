import { describe, expect, it } from 'vitest';
import { breakerStoreContract, createMemoryBreakerStore } from './index.js';

breakerStoreContract({ describe, it, expect }, 'memory', () => ({ store: createMemoryBreakerStore() }));
