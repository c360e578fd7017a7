import { describe, expect, it } from 'vitest';
import { createCircuitBreaker, exponential, retry, withTimeout } from './index.js';

describe('README quick example', () => {
  it('runs', async () => {
    const fetchToken = (signal: AbortSignal): Promise<string> => Promise.resolve(signal.aborted ? 'no' : 'token');
    const breaker = createCircuitBreaker({ name: 'keycloak', failureThreshold: 3, resetTimeoutMs: 60_000 });
    const result = await retry(
      () => breaker.execute((signal) => withTimeout((s) => fetchToken(s), 5000, { signal })),
      exponential({ baseMs: 500, maxMs: 8000, attempts: 5 }),
    );
    expect(result._unsafeUnwrap()).toBe('token');
  });
});
