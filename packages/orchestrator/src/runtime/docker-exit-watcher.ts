import type Docker from 'dockerode';
import type { ServiceStatus } from './types.js';

type Exited = Extract<ServiceStatus, { state: 'exited' }>;

interface DockerEvent {
  readonly status?: string;
  readonly Action?: string;
  readonly id?: string;
  readonly Actor?: { readonly ID?: string; readonly Attributes?: Readonly<Record<string, string>> };
}

/**
 * One Docker events subscription (`die` and `oom` of managed containers) shared by every `onExit` listener of a
 * runtime: opened on the first listener, re-opened after the stream drops (re-checking watched containers, so an
 * exit during the gap is not lost), closed by `close()`.
 */
export class DockerExitWatcher {
  readonly #docker: Docker;
  readonly #label: string;
  readonly #listeners = new Map<string, Set<(s: Exited) => void>>();
  readonly #oom = new Set<string>();
  #stream: NodeJS.ReadableStream | undefined;
  #opening: Promise<void> | undefined;
  #closed = false;
  #retry: ReturnType<typeof setTimeout> | undefined;

  constructor(docker: Docker, managedLabel: string) {
    this.#docker = docker;
    this.#label = managedLabel;
  }

  /** Watch container `id`; `listener` gets its exit once. Returns the unsubscribe. */
  watch(id: string, listener: (s: Exited) => void): () => void {
    const set = this.#listeners.get(id) ?? new Set();
    set.add(listener);
    this.#listeners.set(id, set);
    void this.#open().then(() => this.#recheck(id));
    return () => {
      const current = this.#listeners.get(id);
      current?.delete(listener);
      if (current?.size === 0) this.#listeners.delete(id);
    };
  }

  /** Close the events stream; listeners are dropped. */
  close(): void {
    this.#closed = true;
    if (this.#retry !== undefined) clearTimeout(this.#retry);
    this.#listeners.clear();
    const stream = this.#stream as (NodeJS.ReadableStream & { destroy?: () => void }) | undefined;
    this.#stream = undefined;
    stream?.destroy?.();
  }

  #emit(id: string, status: Exited): void {
    const set = this.#listeners.get(id);
    if (set === undefined) return;
    this.#listeners.delete(id);
    this.#oom.delete(id);
    for (const l of set) l(status);
  }

  /** A container may have exited before the stream was open (or while it was down): ask the engine. */
  async #recheck(id: string): Promise<void> {
    if (!this.#listeners.has(id)) return;
    try {
      const info = await this.#docker.getContainer(id).inspect();
      const state = info.State;
      if (!state.Running && state.Status !== 'created' && state.Status !== 'restarting') {
        this.#emit(id, { state: 'exited', exitCode: state.ExitCode, ...(state.OOMKilled ? { oomKilled: true } : {}) });
      }
    } catch {
      // gone or engine down: a removed container never "exits" on its own; the stream catches the rest
    }
  }

  #open(): Promise<void> {
    if (this.#stream !== undefined || this.#closed) return Promise.resolve();
    this.#opening ??= this.#docker
      .getEvents({ filters: { type: ['container'], event: ['die', 'oom'], label: [this.#label] } })
      .then((stream) => {
        if (this.#closed) {
          (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
          return;
        }
        this.#stream = stream;
        let pending = '';
        stream.on('data', (chunk: Buffer | string) => {
          pending += chunk.toString();
          let nl: number;
          while ((nl = pending.indexOf('\n')) >= 0) {
            const line = pending.slice(0, nl).trim();
            pending = pending.slice(nl + 1);
            if (line !== '') this.#onEvent(line);
          }
        });
        const dropped = (): void => {
          if (this.#stream !== stream) return;
          this.#stream = undefined;
          this.#scheduleReopen();
        };
        stream.on('error', dropped);
        stream.on('end', dropped);
        stream.on('close', dropped);
      })
      .catch(() => {
        this.#scheduleReopen();
      })
      .finally(() => {
        this.#opening = undefined;
      });
    return this.#opening;
  }

  #scheduleReopen(): void {
    if (this.#closed || this.#listeners.size === 0 || this.#retry !== undefined) return;
    this.#retry = setTimeout(() => {
      this.#retry = undefined;
      void this.#open().then(() => Promise.all([...this.#listeners.keys()].map((id) => this.#recheck(id))));
    }, 500);
    this.#retry.unref();
  }

  #onEvent(line: string): void {
    let event: DockerEvent;
    try {
      event = JSON.parse(line) as DockerEvent;
    } catch {
      return;
    }
    const id = event.Actor?.ID ?? event.id;
    if (id === undefined) return;
    const action = event.Action ?? event.status;
    if (action === 'oom') {
      this.#oom.add(id);
      return;
    }
    if (action !== 'die') return;
    const code = Number(event.Actor?.Attributes?.['exitCode'] ?? '-1');
    this.#emit(id, {
      state: 'exited',
      exitCode: Number.isFinite(code) ? code : -1,
      ...(this.#oom.has(id) ? { oomKilled: true } : {}),
    });
  }
}
