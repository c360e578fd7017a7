import type { Clock } from '@dive/errors';
import type { StateChange, StateStore, StepRecord, TransitionRecord } from '@dive/state-db';
import type { EventLog } from './event-log.js';
import { safeStep, safeTransition } from './internal/safe.js';

interface Known {
  version: number;
  deploymentId: string | null;
}

/** Turns store changes into feed events; stop it to end its watch and timer. */
export interface ChangeFeed {
  /** Resolves once the first full read is done (events after it are changes). */
  readonly ready: Promise<void>;
  /** Read now (what a notification does); resolves when the read that covers this call is done. */
  refresh(hint?: StateChange): Promise<void>;
  stop(): Promise<void>;
}

const stepKey = (s: StepRecord): string =>
  `${s.status}|${s.startedAt}|${s.endedAt ?? ''}|${JSON.stringify(s.detail ?? {})}`;

/**
 * Watch a store and append an event for each new transition and each changed step. Notifications (`onChange`)
 * trigger a read of what they name; a full read every `pollMs` catches anything missed. Reads never overlap: a
 * notification during a read is folded into one more read after it.
 */
export function createChangeFeed(store: StateStore, log: EventLog, pollMs: number, clock: Clock): ChangeFeed {
  const instances = new Map<string, Known>();
  const steps = new Map<string, Map<string, string>>();
  let stopped = false;
  let running: Promise<void> | undefined;
  let pending: Set<string> | 'all' | undefined;
  let timer: unknown;

  const readSteps = async (instance: string, deploymentId: string, emit: boolean): Promise<void> => {
    const r = await store.steps(deploymentId);
    if (r.isErr()) return;
    const known = steps.get(deploymentId) ?? new Map<string, string>();
    steps.set(deploymentId, known);
    for (const s of r.value) {
      const key = stepKey(s);
      if (known.get(s.step) === key) continue;
      known.set(s.step, key);
      if (emit) log.append('step', safeStep({ ...s, instance }));
    }
  };

  const readInstance = async (instance: string, emit: boolean): Promise<void> => {
    const state = await store.getState(instance);
    if (state.isErr()) return;
    const known = instances.get(instance) ?? { version: 0, deploymentId: null };
    instances.set(instance, known);
    if (state.value.version > known.version) {
      const h = await store.history(instance, { limit: Math.min(state.value.version - known.version, 100) });
      if (h.isErr()) return;
      const rows: TransitionRecord[] = [...h.value].reverse();
      for (const row of rows) {
        if (row.deploymentId !== null) known.deploymentId = row.deploymentId;
        if (emit) log.append('transition', safeTransition(row));
      }
      known.version = state.value.version;
    }
    if (known.deploymentId !== null) await readSteps(instance, known.deploymentId, emit);
  };

  const readAll = async (targets: Set<string> | 'all', emit: boolean): Promise<void> => {
    let names: readonly string[];
    if (targets === 'all') {
      const r = await store.instances();
      names = r.isOk() ? r.value : [...instances.keys()];
    } else names = [...targets];
    for (const name of names) {
      if (stopped) return;
      await readInstance(name, emit);
    }
  };

  const schedule = (targets: Set<string> | 'all'): Promise<void> => {
    if (pending === 'all' || targets === 'all') pending = 'all';
    else pending = new Set([...(pending ?? []), ...targets]);
    running ??= (async () => {
      while (pending !== undefined && !stopped) {
        const t = pending;
        pending = undefined;
        await readAll(t, true).catch(() => undefined);
      }
      running = undefined;
    })();
    return running;
  };

  const targetsOf = (hint: StateChange | undefined): Set<string> | 'all' =>
    hint?.instance !== undefined ? new Set([hint.instance]) : 'all';
  const watch = store.onChange?.((c) => void schedule(targetsOf(c)));
  const poll = (): void => {
    timer = clock.setTimeout(() => {
      void schedule('all').then(() => {
        if (!stopped) poll();
      });
    }, pollMs);
  };
  const ready = readAll('all', false).then(async () => {
    await watch?.ready;
    if (!stopped) poll();
  });
  return {
    ready,
    refresh: (hint) => schedule(targetsOf(hint)),
    stop: async () => {
      stopped = true;
      clock.clearTimeout(timer);
      await watch?.close();
      await running;
    },
  };
}
