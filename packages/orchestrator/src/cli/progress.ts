import type { DeployEvent } from '../events.js';

/** How progress is shown: a live table, plain lines, JSON lines, or nothing. */
export type ProgressMode = 'auto' | 'tty' | 'plain' | 'json' | 'quiet';

/** A progress renderer: feed it events; `close()` draws the final frame. */
export interface ProgressRenderer {
  readonly mode: Exclude<ProgressMode, 'auto'>;
  onEvent(event: DeployEvent): void;
  close(): void;
}

interface Row {
  state: string;
  attempts: number;
  startedAt?: number;
  endedAt?: number;
  health: string;
}

/** Options of {@link createProgressRenderer}. */
export interface ProgressOptions {
  readonly mode: ProgressMode;
  /** Where progress goes (messages go to stderr; stdout is for data). */
  readonly stream: NodeJS.WriteStream | NodeJS.WritableStream;
  readonly color: boolean;
  /** Redraw interval of the live table. Default 100 ms. */
  readonly frameMs?: number;
  readonly now?: () => number;
}

const COLORS = { green: 32, red: 31, yellow: 33, cyan: 36, dim: 2, bold: 1 } as const;

/** Pick the concrete mode: `auto` is `tty` on an interactive terminal outside CI, else `plain`. */
export function resolveProgressMode(
  mode: ProgressMode,
  stream: { isTTY?: boolean },
  env: NodeJS.ProcessEnv = process.env,
): Exclude<ProgressMode, 'auto'> {
  if (mode !== 'auto') return mode;
  return stream.isTTY === true && env['CI'] === undefined && env['TERM'] !== 'dumb' ? 'tty' : 'plain';
}

const describeEvent = (e: DeployEvent): string => {
  switch (e.type) {
    case 'lock-waiting':
      return `waiting for the ${e.lock} lock`;
    case 'lock-acquired':
      return `${e.lock} lock acquired (fencing token ${e.fencingToken}, waited ${e.waitedMs} ms)`;
    case 'state':
      return `state ${e.from} → ${e.to} (${e.reason})`;
    case 'phase':
      return `phase ${e.phase} ${e.status}${e.durationMs === undefined ? '' : ` in ${e.durationMs} ms`}`;
    case 'checkpoint':
      return `checkpoint ${e.checkpointId}`;
    case 'service-unchanged':
      return `${e.service}: unchanged, left running`;
    case 'service-starting':
      return `${e.service}: starting (attempt ${e.attempt})`;
    case 'service-started':
      return `${e.service}: started`;
    case 'service-healthy':
      return `${e.service}: healthy after ${e.durationMs} ms`;
    case 'service-completed':
      return `${e.service}: completed in ${e.durationMs} ms`;
    case 'service-retrying':
      return `${e.service}: attempt ${e.attempt} failed (${e.error._tag}: ${e.error.message}); retrying in ${e.delayMs} ms`;
    case 'service-failed':
      return `${e.service}: FAILED ${e.error._tag} (${e.error.code}): ${e.error.message}${e.blocked.length > 0 ? `; blocked: ${e.blocked.join(', ')}` : ''}`;
    case 'service-stopped':
      return `${e.service}: stopped`;
    case 'rollback-step':
      return `rollback ${e.step}${e.service === undefined ? '' : ` ${e.service}`} ${e.status}`;
    case 'warning':
      return `warning: ${e.message}`;
  }
};

/** Make the renderer for a mode. */
export function createProgressRenderer(options: ProgressOptions): ProgressRenderer {
  const mode = resolveProgressMode(options.mode, options.stream as { isTTY?: boolean });
  const out = options.stream;
  const now = options.now ?? Date.now;
  const paint = (code: keyof typeof COLORS, s: string): string =>
    options.color ? `\u001b[${COLORS[code]}m${s}\u001b[0m` : s;
  const t0 = now();
  const stamp = (at: number): string => `+${((at - t0) / 1000).toFixed(2).padStart(6)}s`;

  if (mode === 'quiet') return { mode, onEvent: () => undefined, close: () => undefined };
  if (mode === 'json') {
    return { mode, onEvent: (e) => out.write(`${JSON.stringify(e)}\n`), close: () => undefined };
  }
  if (mode === 'plain') {
    return {
      mode,
      onEvent: (e) => {
        const line = describeEvent(e);
        const colored =
          e.type === 'service-failed'
            ? paint('red', line)
            : e.type === 'service-healthy' || e.type === 'service-completed'
              ? paint('green', line)
              : line;
        out.write(`${paint('dim', stamp(e.at))} ${e.instance} ${colored}\n`);
      },
      close: () => undefined,
    };
  }

  // tty: a live table, one row per service, redrawn in place.
  const rows = new Map<string, Row>();
  let drawn = 0;
  let dirty = false;
  const row = (name: string): Row => {
    let r = rows.get(name);
    if (r === undefined) {
      r = { state: 'waiting', attempts: 0, health: '' };
      rows.set(name, r);
    }
    return r;
  };
  const fmtElapsed = (r: Row): string =>
    r.startedAt === undefined ? '' : `${(((r.endedAt ?? now()) - r.startedAt) / 1000).toFixed(1)}s`;
  const stateColor = (s: string): string =>
    s === 'healthy' || s === 'completed' || s === 'unchanged'
      ? paint('green', s)
      : s === 'failed'
        ? paint('red', s)
        : s === 'retrying'
          ? paint('yellow', s)
          : paint('cyan', s);
  const draw = (): void => {
    if (!dirty) return;
    dirty = false;
    const width = Math.max(7, ...[...rows.keys()].map((n) => n.length));
    const lines = [
      paint('bold', `${'SERVICE'.padEnd(width)}  ${'STATE'.padEnd(10)}  ${'ELAPSED'.padStart(8)}  ATTEMPTS  HEALTH`),
      ...[...rows.entries()].map(
        ([name, r]) =>
          `${name.padEnd(width)}  ${stateColor(r.state.padEnd(10))}  ${fmtElapsed(r).padStart(8)}  ${String(r.attempts).padStart(8)}  ${r.health}`,
      ),
    ];
    // Move up over the previous table and clear it, then print the new frame.
    if (drawn > 0) out.write(`\u001b[${drawn}A\u001b[0J`);
    out.write(`${lines.join('\n')}\n`);
    drawn = lines.length;
  };
  const timer = setInterval(() => {
    dirty = true;
    draw();
  }, options.frameMs ?? 100);
  timer.unref();
  return {
    mode,
    onEvent(e) {
      dirty = true;
      if ('service' in e && e.service !== undefined && e.type !== 'rollback-step') {
        const r = row(e.service);
        switch (e.type) {
          case 'service-starting':
            r.state = 'starting';
            r.attempts = e.attempt;
            r.startedAt ??= e.at;
            break;
          case 'service-started':
            r.state = 'started';
            r.health = 'checking';
            break;
          case 'service-healthy':
            r.state = 'healthy';
            r.health = 'ok';
            r.endedAt = e.at;
            break;
          case 'service-completed':
            r.state = 'completed';
            r.health = 'exit 0';
            r.endedAt = e.at;
            break;
          case 'service-retrying':
            r.state = 'retrying';
            r.health = e.error._tag;
            break;
          case 'service-failed':
            r.state = 'failed';
            r.health = `${e.error._tag} ${e.error.code}`;
            r.endedAt = e.at;
            for (const b of e.blocked) row(b).state = 'blocked';
            break;
          case 'service-unchanged':
            r.state = 'unchanged';
            r.health = 'ok';
            break;
          case 'service-stopped':
            r.state = 'stopped';
            r.endedAt = e.at;
            break;
        }
      } else if (e.type === 'state' || e.type === 'rollback-step' || e.type === 'warning' || e.type === 'checkpoint') {
        // Messages scroll above the table.
        if (drawn > 0) out.write(`\u001b[${drawn}A\u001b[0J`);
        drawn = 0;
        out.write(`${paint('dim', stamp(e.at))} ${describeEvent(e)}\n`);
      }
    },
    close() {
      clearInterval(timer);
      dirty = true;
      draw();
    },
  };
}
