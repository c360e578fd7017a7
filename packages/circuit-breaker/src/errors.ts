import { defineError } from '@dive/errors';

/**
 * 4004: the breaker is OPEN (or HALF_OPEN with every probe slot taken) and the call was not made.
 *
 * `context` holds `breaker` (the name), `state`, `openedAt` and `nextProbeAt` (epoch ms; `null` while a probe is
 * in flight). One instance is made per open period and frozen, then returned to every rejected call of that
 * period: fast-fail allocates nothing. Do not rely on its stack trace pointing at your call.
 */
export class CircuitOpenError extends defineError('CircuitOpenError') {}
