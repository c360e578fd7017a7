import type { BreakerSnapshot } from '../store.js';
import { INITIAL_SNAPSHOT } from '../store.js';
import type { ResolvedOptions } from '../options.js';

/** Pure transitions of the shared record; `undefined` means "no write needed". */
export const opened = (s: BreakerSnapshot, now: number, o: ResolvedOptions): BreakerSnapshot => ({
  state: 'OPEN',
  consecutiveFailures: s.consecutiveFailures,
  consecutiveSuccesses: 0,
  openedAt: now,
  nextProbeAt: now + o.resetTimeoutMs,
});

export function failedWhileClosed(s: BreakerSnapshot, now: number, o: ResolvedOptions): BreakerSnapshot | undefined {
  if (s.state !== 'CLOSED') return undefined;
  const next = { ...s, consecutiveFailures: s.consecutiveFailures + 1 };
  return next.consecutiveFailures >= o.failureThreshold ? opened(next, now, o) : next;
}

export function succeededWhileClosed(s: BreakerSnapshot): BreakerSnapshot | undefined {
  return s.state === 'CLOSED' && s.consecutiveFailures !== 0 ? { ...s, consecutiveFailures: 0 } : undefined;
}

const halfOpen = (s: BreakerSnapshot, now: number): boolean => s.state === 'OPEN' && now >= (s.nextProbeAt ?? 0);

export function probeSucceeded(s: BreakerSnapshot, now: number, o: ResolvedOptions): BreakerSnapshot | undefined {
  if (!halfOpen(s, now)) return undefined;
  const successes = s.consecutiveSuccesses + 1;
  return successes >= o.successThreshold ? INITIAL_SNAPSHOT : { ...s, consecutiveSuccesses: successes };
}

export function probeFailed(s: BreakerSnapshot, now: number, o: ResolvedOptions): BreakerSnapshot | undefined {
  return halfOpen(s, now) ? opened(s, now, o) : undefined;
}
