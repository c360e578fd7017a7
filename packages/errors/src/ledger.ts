import type { DiveError, DiveErrorJSON } from './dive-error.js';
import { escalateSeverity, SEVERITIES, type Severity } from './severity.js';

/** What the ledger says a deployment should do next. */
export type LedgerAction = 'continue' | 'degraded' | 'recover' | 'stop';

/** The ledger's verdict after the errors recorded so far. */
export interface LedgerDecision {
  /** `false` only when `action` is `'stop'`. */
  readonly continue: boolean;
  /**
   * `continue`: nothing worse than LOW · `degraded`: a MEDIUM (or a recovered HIGH) was seen ·
   * `recover`: a HIGH just happened and its one recovery attempt is allowed · `stop`: a CRITICAL, three HIGHs,
   * or a HIGH that recurred after its recovery attempt.
   */
  readonly action: LedgerAction;
  /** Why, in one sentence. */
  readonly reason: string;
  /** The entry that decided it, when one did. */
  readonly decidedBy?: LedgerEntry;
}

/** One recorded error. */
export interface LedgerEntry {
  readonly id: number;
  readonly at: Date;
  readonly error: DiveError;
  /** Severity as recorded (may be higher than the error's own after {@link ErrorLedger.escalate}). */
  readonly severity: Severity;
  /** What failed (a service or operation name): a HIGH recurring under the same key means recovery failed. */
  readonly key: string;
}

/** Options of {@link createErrorLedger}. */
export interface ErrorLedgerOptions {
  /** HIGH errors after which the deployment stops. Default 3 (SPEC §6). */
  readonly maxHigh?: number;
  /** Time source for entries. Default `() => new Date()`. */
  readonly now?: () => Date;
}

/** The JSON summary of a ledger. */
export interface LedgerSummaryJSON {
  readonly counts: Readonly<Record<Severity, number>>;
  readonly decision: { readonly action: LedgerAction; readonly reason: string };
  readonly entries: readonly {
    readonly id: number;
    readonly at: string;
    readonly key: string;
    readonly severity: Severity;
    readonly error: DiveErrorJSON;
  }[];
}

/** The errors of one deployment and the policy that decides whether it may go on. */
export interface ErrorLedger {
  /** Record an error under a key (default: its tag) and get the decision that follows. */
  record(error: DiveError, options?: { readonly key?: string }): LedgerDecision;
  /** The decision for the errors recorded so far. */
  shouldContinue(): LedgerDecision;
  /** Raise a recorded entry one severity level (LOW → MEDIUM → HIGH → CRITICAL). */
  escalate(id: number): LedgerEntry | undefined;
  /** Counts by severity. */
  counts(): Readonly<Record<Severity, number>>;
  /** Every entry, oldest first. */
  entries(): readonly LedgerEntry[];
  /** Forget everything (a new attempt starts clean). */
  clear(): void;
  /** A short text for people: counts, the decision, and one line per error. */
  summary(): string;
  /** The same as JSON, secrets redacted. */
  toJSON(): LedgerSummaryJSON;
}

/**
 * Create an error ledger for one deployment, with the policy of SPEC §6: CRITICAL stops; a HIGH gets one
 * recovery attempt (a second HIGH under the same key stops); `maxHigh` HIGHs in all stop; MEDIUM continues
 * degraded; LOW continues.
 *
 * @param options - `maxHigh` (default 3), `now`
 * @returns a new, empty ledger
 * @example
 * ```ts
 * const ledger = createErrorLedger();
 * const decision = ledger.record(new HealthCheckFailed('keycloak unhealthy'), { key: 'keycloak' });
 * if (decision.action === 'recover') await restart('keycloak');
 * ```
 */
export function createErrorLedger(options: ErrorLedgerOptions = {}): ErrorLedger {
  const maxHigh = options.maxHigh ?? 3;
  if (!Number.isInteger(maxHigh) || maxHigh < 1) throw new RangeError(`maxHigh must be an integer ≥ 1, got ${maxHigh}`);
  const now = options.now ?? (() => new Date());
  let list: LedgerEntry[] = [];
  let nextId = 1;

  const counts = (): Record<Severity, number> => {
    const c: Record<Severity, number> = { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0 };
    for (const e of list) c[e.severity] += 1;
    return c;
  };

  const decide = (): LedgerDecision => {
    const critical = list.find((e) => e.severity === 'CRITICAL');
    if (critical) return stop(`CRITICAL ${critical.error._tag} (${critical.error.code}) on ${critical.key}`, critical);
    const highs = list.filter((e) => e.severity === 'HIGH');
    if (highs.length >= maxHigh) return stop(`${highs.length} HIGH errors (limit ${maxHigh})`, highs.at(-1));
    const perKey = new Map<string, number>();
    for (const e of highs) perKey.set(e.key, (perKey.get(e.key) ?? 0) + 1);
    const repeated = highs.find((e) => (perKey.get(e.key) ?? 0) > 1);
    if (repeated)
      return stop(`${repeated.key} failed again after its recovery attempt (${repeated.error._tag})`, repeated);
    const last = list.at(-1);
    if (last?.severity === 'HIGH') {
      return {
        continue: true,
        action: 'recover',
        reason: `HIGH ${last.error._tag} on ${last.key}: one recovery attempt`,
        decidedBy: last,
      };
    }
    const degraded = list.find((e) => e.severity === 'MEDIUM' || e.severity === 'HIGH');
    if (degraded)
      return {
        continue: true,
        action: 'degraded',
        reason: `continuing degraded after ${degraded.error._tag} on ${degraded.key}`,
        decidedBy: degraded,
      };
    return {
      continue: true,
      action: 'continue',
      reason: list.length === 0 ? 'no errors' : `${list.length} LOW error(s) only`,
    };
  };

  return {
    record(error, opts = {}) {
      list.push(
        Object.freeze({ id: nextId++, at: now(), error, severity: error.severity, key: opts.key ?? error._tag }),
      );
      return decide();
    },
    shouldContinue: decide,
    escalate(id) {
      const index = list.findIndex((e) => e.id === id);
      const found = list[index];
      if (found === undefined) return undefined;
      const raised = Object.freeze({ ...found, severity: escalateSeverity(found.severity) });
      list[index] = raised;
      return raised;
    },
    counts: () => Object.freeze(counts()),
    entries: () => [...list],
    clear() {
      list = [];
    },
    summary() {
      const c = counts();
      const d = decide();
      const lines = [
        `errors: ${SEVERITIES.map((s) => `${c[s]} ${s}`).join(', ')}`,
        `decision: ${d.action} (${d.reason})`,
        ...list.map((e) => `  [${e.severity}] ${e.error.code} ${e.error._tag} on ${e.key}: ${e.error.message}`),
      ];
      return lines.join('\n');
    },
    toJSON() {
      const d = decide();
      return {
        counts: counts(),
        decision: { action: d.action, reason: d.reason },
        entries: list.map((e) => ({
          id: e.id,
          at: e.at.toISOString(),
          key: e.key,
          severity: e.severity,
          error: e.error.toJSON(),
        })),
      };
    },
  };
}

function stop(reason: string, decidedBy: LedgerEntry | undefined): LedgerDecision {
  return decidedBy === undefined
    ? { continue: false, action: 'stop', reason }
    : { continue: false, action: 'stop', reason, decidedBy };
}
