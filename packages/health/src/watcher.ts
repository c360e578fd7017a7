import { type Clock, systemClock } from '@dive/errors';
import type Docker from 'dockerode';
import { hasHealthcheck, mapDockerHealth } from './checks/docker.js';
import { sleep, unref } from './internal/timing.js';
import type { HealthStatus } from './result.js';

/** What the watcher knows about one container. */
export interface ContainerHealthState {
  readonly id: string;
  readonly running: boolean;
  /** Docker health (`unknown` when the image has no HEALTHCHECK). */
  readonly health: HealthStatus;
  readonly hasHealthcheck: boolean;
  readonly exitCode?: number;
  readonly oomKilled: boolean;
  /** The container is gone (destroyed or never existed). */
  readonly missing: boolean;
  /** The last HEALTHCHECK outputs Docker kept (oldest first). */
  readonly lastOutputs: readonly string[];
}

/** Options of {@link createDockerHealthWatcher}. */
export interface DockerHealthWatcherOptions {
  readonly docker: Docker;
  /** Inspect every watched container this often in case the stream missed something (default 5000 ms). */
  readonly reconcileMs?: number;
  /** First reconnect delay after the event stream ends (default 100 ms, doubling up to 5000 ms). */
  readonly reconnectMs?: number;
  /** Runs the reconcile poll, reconnect back-off and OOM re-inspect delay. Default `systemClock`. */
  readonly clock?: Clock;
}

/** One Docker events subscription serving any number of containers. */
export interface DockerHealthWatcher extends AsyncDisposable {
  /**
   * Start following a container (race-free: the stream is subscribed before the inspect, and events seen in
   * between are replayed). The listener gets the current state, then every change.
   *
   * @returns a function that stops the listener
   */
  watch(container: string, listener: (state: ContainerHealthState) => void): Promise<() => void>;
  /** How many Docker API calls (events subscriptions + inspects) the watcher made. */
  apiCalls(): number;
  /** How many times the event stream was (re)connected. */
  connections(): number;
  close(): Promise<void>;
}

interface DockerEvent {
  readonly status?: string;
  readonly Action?: string;
  readonly id?: string;
  readonly Actor?: { readonly ID?: string; readonly Attributes?: Readonly<Record<string, string>> };
}

interface Entry {
  state: ContainerHealthState;
  readonly listeners: Set<(s: ContainerHealthState) => void>;
}

function fromInspect(id: string, info: Docker.ContainerInspectInfo | undefined): ContainerHealthState {
  if (info === undefined) {
    return {
      id,
      running: false,
      health: 'unknown',
      hasHealthcheck: false,
      oomKilled: false,
      missing: true,
      lastOutputs: [],
    };
  }
  const h = info.State.Health;
  const defined = hasHealthcheck(info); // from the config: State.Health appears only once the monitor runs
  return {
    id: info.Id,
    running: info.State.Running,
    health: h === undefined && defined && info.State.Running ? 'starting' : mapDockerHealth(h?.Status),
    hasHealthcheck: defined,
    ...(info.State.Running ? {} : { exitCode: info.State.ExitCode }),
    oomKilled: info.State.OOMKilled,
    missing: false,
    lastOutputs: (h?.Log ?? []).map((l) => l.Output.trim()),
  };
}

/**
 * Follow the health of many containers with ONE Docker events stream (`health_status`, `die`, `oom`, `start`,
 * `destroy`), a slow reconcile poll, and reconnect with back-off when the stream drops.
 *
 * @param options - docker client, reconcile period, reconnect delay, clock
 * @returns a {@link DockerHealthWatcher}; dispose it (`await using`) to close the stream
 * @example
 * ```ts
 * await using watcher = createDockerHealthWatcher({ docker });
 * const report = await waitForHealthy({ docker, container: 'db' }, { watcher, deadlineMs: 30_000 });
 * ```
 */
export function createDockerHealthWatcher(options: DockerHealthWatcherOptions): DockerHealthWatcher {
  const { docker } = options;
  const reconcileMs = options.reconcileMs ?? 5000;
  const baseReconnect = options.reconnectMs ?? 100;
  const clock = options.clock ?? systemClock;
  const entries = new Map<string, Entry>();
  let calls = 0;
  let conns = 0;
  let closed = false;
  let stream: NodeJS.ReadableStream | undefined;
  let connecting: Promise<void> | undefined;
  const dieCodes = new Map<number, number>(); // exit codes of the recent `die` events, by their seq
  let seq = 0;
  const recent: { seq: number; id: string; action: string }[] = [];
  let reconnectTimer: unknown;
  let reconnectDelay = baseReconnect;

  async function inspect(id: string): Promise<Docker.ContainerInspectInfo | undefined> {
    calls++;
    try {
      return await docker.getContainer(id).inspect();
    } catch (e) {
      if ((e as { statusCode?: number }).statusCode === 404) return undefined;
      throw e;
    }
  }

  function publish(entry: Entry, state: ContainerHealthState): void {
    entry.state = state;
    for (const l of [...entry.listeners]) l(state);
  }

  /**
   * Inspect; when the container died with 137 but Docker has not recorded an OOM kill yet (its `die` can come
   * before it notes the OOM), look once more a moment later before calling it a plain exit.
   */
  async function settledInspect(id: string, knownOom: boolean): Promise<Docker.ContainerInspectInfo | undefined> {
    const info = await inspect(id);
    if (info === undefined || info.State.Running || info.State.ExitCode !== 137 || info.State.OOMKilled || knownOom)
      return info;
    await sleep(clock, 250);
    return (await inspect(id).catch(() => undefined)) ?? info;
  }

  async function refresh(id: string): Promise<void> {
    const entry = entries.get(id);
    if (entry === undefined) return;
    const info = await settledInspect(id, entry.state.oomKilled).catch(() => 'error' as const);
    if (info === 'error') return;
    const next = fromInspect(id, info);
    publish(entry, entry.state.oomKilled ? { ...next, oomKilled: true } : next);
  }

  function apply(id: string, action: string, exitCode?: number): void {
    const entry = entries.get(id);
    if (entry === undefined) return;
    const s = entry.state;
    if (action.startsWith('health_status')) {
      const status = action.slice(action.indexOf(':') + 1).trim();
      publish(entry, { ...s, health: mapDockerHealth(status), hasHealthcheck: true });
    } else if (action === 'start') {
      publish(entry, { ...s, running: true, health: s.hasHealthcheck ? 'starting' : 'unknown' });
    } else if (action === 'oom') {
      publish(entry, { ...s, oomKilled: true });
    } else if (action === 'die' || action === 'destroy') {
      // A `die` carries the exit code: published at once, without waiting for a round trip to the engine.
      if (action === 'die' && exitCode !== undefined && s.running) publish(entry, { ...s, running: false, exitCode });
      // OOMKilled, the final health and its log come from one inspect
      void refresh(id);
    }
  }

  function onEvent(ev: DockerEvent): void {
    const id = ev.id ?? ev.Actor?.ID;
    const action = ev.status ?? ev.Action;
    if (id === undefined || action === undefined) return;
    const code = Number(ev.Actor?.Attributes?.['exitCode'] ?? Number.NaN);
    const exitCode = Number.isInteger(code) ? code : undefined;
    seq++;
    recent.push({ seq, id, action });
    if (exitCode !== undefined) dieCodes.set(seq, exitCode);
    if (recent.length > 2000) {
      recent.splice(0, 1000);
      for (const s of dieCodes.keys()) if (s < (recent[0]?.seq ?? 0)) dieCodes.delete(s);
    }
    apply(id, action, exitCode);
  }

  function scheduleReconnect(): void {
    stream = undefined;
    if (closed || reconnectTimer !== undefined) return;
    reconnectTimer = clock.setTimeout(() => {
      reconnectTimer = undefined;
      connect()
        .then(async () => {
          reconnectDelay = baseReconnect;
          await Promise.all([...entries.keys()].map(refresh));
        })
        .catch(() => scheduleReconnect());
    }, reconnectDelay);
    reconnectDelay = Math.min(reconnectDelay * 2, 5000);
  }

  function connect(): Promise<void> {
    connecting ??= (async () => {
      calls++;
      const s = (await docker.getEvents({
        filters: { type: ['container'], event: ['health_status', 'die', 'oom', 'start', 'destroy'] },
      })) as unknown as NodeJS.ReadableStream & { destroy(): void };
      conns++;
      if (closed) {
        s.destroy();
        return;
      }
      stream = s;
      let buf = '';
      s.on('data', (chunk: Buffer) => {
        buf += chunk.toString('utf8');
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl).trim();
          buf = buf.slice(nl + 1);
          if (line !== '') {
            try {
              onEvent(JSON.parse(line) as DockerEvent);
            } catch {
              // a malformed line is skipped; the reconcile poll repairs state
            }
          }
        }
      });
      const lost = (): void => {
        if (stream === s) scheduleReconnect();
      };
      s.once('end', lost);
      s.once('close', lost);
      s.once('error', lost);
    })().finally(() => {
      connecting = undefined;
    });
    return connecting;
  }

  let reconcileTimer: unknown;
  const reconcile = (): void => {
    reconcileTimer = clock.setTimeout(() => {
      for (const id of entries.keys()) void refresh(id);
      if (!closed) reconcile();
    }, reconcileMs);
    unref(reconcileTimer);
  };
  reconcile();

  return {
    async watch(container, listener) {
      if (stream === undefined) await connect();
      const mark = seq;
      const info = await settledInspect(container, false);
      const id = info?.Id ?? container;
      let entry = entries.get(id);
      if (entry === undefined) {
        entry = { state: fromInspect(id, info), listeners: new Set() };
        entries.set(id, entry);
      } else {
        entry.state = fromInspect(id, info);
      }
      entry.listeners.add(listener);
      listener(entry.state);
      for (const r of recent) if (r.seq > mark && r.id === id) apply(id, r.action, dieCodes.get(r.seq));
      const e = entry;
      return () => {
        e.listeners.delete(listener);
        if (e.listeners.size === 0) entries.delete(id);
      };
    },
    apiCalls: () => calls,
    connections: () => conns,
    async close() {
      closed = true;
      clock.clearTimeout(reconcileTimer);
      if (reconnectTimer !== undefined) clock.clearTimeout(reconnectTimer);
      await connecting?.catch(() => undefined);
      (stream as (NodeJS.ReadableStream & { destroy(): void }) | undefined)?.destroy();
      stream = undefined;
      entries.clear();
    },
    async [Symbol.asyncDispose]() {
      await this.close();
    },
  };
}
