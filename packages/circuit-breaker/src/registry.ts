import type { BreakerState, CircuitBreaker } from './breaker-types.js';
import { createCircuitBreaker } from './breaker.js';
import type { Clock } from '@dive/errors';
import type { CircuitBreakerOptions } from './options.js';
import type { BreakerStore } from './store.js';

/** One line of {@link BreakerRegistry.status}. */
export interface BreakerStatus {
  /** The breaker's name. */
  readonly name: string;
  /** Its state. */
  readonly state: BreakerState;
  /** Failures in a row while CLOSED. */
  readonly consecutiveFailures: number;
  /** Epoch ms of the last opening, `null` while CLOSED. */
  readonly openedAt: number | null;
  /** Epoch ms of the next probe, `null` while CLOSED. */
  readonly nextProbeAt: number | null;
}

/** Options of {@link createBreakerRegistry}. */
export interface BreakerRegistryOptions {
  /** Options every breaker gets unless `get` overrides them. */
  readonly defaults?: Omit<CircuitBreakerOptions, 'name' | 'store' | 'clock'>;
  /** Shared state for every breaker of the registry (see `BreakerStore`). */
  readonly store?: BreakerStore;
  /** Time source for every breaker. Default the system clock. */
  readonly clock?: Clock;
}

/** One breaker per name. */
export interface BreakerRegistry extends AsyncDisposable {
  /**
   * The breaker of this name, made on first use (overrides apply only then).
   * @param name - the breaker name
   * @param overrides - options for this breaker over the registry's defaults
   * @returns the breaker
   */
  get(name: string, overrides?: Omit<CircuitBreakerOptions, 'name' | 'store' | 'clock'>): CircuitBreaker;
  /** @returns every breaker of this registry, sorted by name (with a store, as last seen: `refresh()` first) */
  status(): readonly BreakerStatus[];
  /** Read every breaker's shared record again (no-op without a store). */
  refresh(): Promise<readonly BreakerStatus[]>;
  /**
   * Close the named breaker (and clear its shared record). Unknown names are a no-op.
   * @param name - the breaker name
   */
  reset(name: string): Promise<void>;
}

/**
 * Make a registry of breakers sharing defaults, clock and store.
 * @returns a {@link BreakerRegistry}
 * @example
 * ```ts
 * const breakers = createBreakerRegistry({ defaults: { failureThreshold: 3 } });
 * await breakers.get('postgres').execute(() => ping());
 * breakers.status(); // [{ name: 'postgres', state: 'CLOSED', … }]
 * ```
 */
export function createBreakerRegistry(options: BreakerRegistryOptions = {}): BreakerRegistry {
  const breakers = new Map<string, CircuitBreaker>();
  const status = (): readonly BreakerStatus[] =>
    [...breakers.values()]
      .map((b): BreakerStatus => {
        const s = b.stats;
        const { name, state, consecutiveFailures, openedAt, nextProbeAt } = s;
        return { name, state, consecutiveFailures, openedAt, nextProbeAt };
      })
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return {
    get(name, overrides) {
      let b = breakers.get(name);
      if (b === undefined) {
        b = createCircuitBreaker({
          ...options.defaults,
          ...overrides,
          name,
          ...(options.store ? { store: options.store } : {}),
          ...(options.clock ? { clock: options.clock } : {}),
        });
        breakers.set(name, b);
      }
      return b;
    },
    status,
    async refresh() {
      await Promise.all([...breakers.values()].map((b) => b.refresh()));
      return status();
    },
    async reset(name) {
      await breakers.get(name)?.reset();
    },
    [Symbol.asyncDispose]() {
      breakers.clear();
      return Promise.resolve();
    },
  };
}
