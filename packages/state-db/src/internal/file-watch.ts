import { mkdirSync, watch, type FSWatcher } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import type { Clock } from '@dive/errors';
import type { StateChange, WatchOptions } from '../types.js';
import { PRIVATE_DIR_MODE } from './private-files.js';

const decode = (name: string): string | undefined => {
  try {
    return decodeURIComponent(name);
  } catch {
    return undefined;
  }
};

/** What a changed path under the state directory means (`instances/X/…`, `steps/ID.jsonl`, anything else). */
export function changeOf(relative: string): StateChange {
  const [top, name] = relative.split(sep);
  const decoded = name === undefined ? undefined : decode(name);
  if (top === 'instances' && decoded !== undefined) return { kind: 'transition', instance: decoded };
  if (top === 'steps' && name?.endsWith('.jsonl') === true) {
    const id = decode(name.slice(0, -'.jsonl'.length));
    if (id !== undefined) return { kind: 'step', deploymentId: id };
  }
  return { kind: 'other' };
}

async function sizes(dir: string, file: (name: string) => string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const n of names) {
    const s = await stat(join(dir, file(n))).catch(() => undefined);
    if (s !== undefined) out.set(n, `${s.size}:${s.mtimeMs}`);
  }
  return out;
}

/** Sizes and times of the files a transition, a step or an error appends to, by the change they mean. */
async function scan(root: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const [n, sig] of await sizes(join(root, 'instances'), (n) => join(n, 'audit.jsonl')))
    out.set(join('instances', n), sig);
  for (const [n, sig] of await sizes(join(root, 'steps'), (n) => n)) out.set(join('steps', n), sig);
  const errors = await stat(join(root, 'errors.jsonl')).catch(() => undefined);
  if (errors !== undefined) out.set('errors.jsonl', `${errors.size}:${errors.mtimeMs}`);
  return out;
}

const unref = (handle: unknown): void => {
  (handle as { unref?: () => void } | undefined)?.unref?.();
};

/**
 * Watch a file store's directory for changes by any process: `fs.watch` (recursive) reports at once, and a scan of
 * the appended files' sizes runs every `pollMs` (every `4 × pollMs` while `fs.watch` works) for what it misses
 * (network file systems, some containers). Returns the stop function.
 * @param fsWatch - `fs.watch`; tests pass one that throws, as a platform without recursive watching does
 */
export function watchStateDir(
  root: string,
  emit: (change: StateChange) => void,
  options: Required<WatchOptions>,
  clock: Clock,
  fsWatch: typeof watch = watch,
): () => void {
  let stopped = false;
  let watcher: FSWatcher | undefined;
  try {
    mkdirSync(root, { recursive: true, mode: PRIVATE_DIR_MODE });
    watcher = fsWatch(root, { recursive: true, persistent: false }, (_event, name) => {
      if (typeof name === 'string') emit(changeOf(name));
    });
    watcher.on('error', () => {
      watcher?.close();
      watcher = undefined; // the scan goes on alone, at the faster rate
    });
  } catch {
    watcher = undefined;
  }
  let last: Map<string, string> | undefined;
  let timer: unknown;
  const tick = async (): Promise<void> => {
    const now = await scan(root).catch(() => undefined);
    if (stopped) return;
    if (now !== undefined) {
      if (last !== undefined) for (const [path, sig] of now) if (last.get(path) !== sig) emit(changeOf(path));
      last = now;
    }
    timer = clock.setTimeout(() => void tick(), watcher === undefined ? options.pollMs : options.pollMs * 4);
    unref(timer);
  };
  void tick();
  return () => {
    stopped = true;
    watcher?.close();
    clock.clearTimeout(timer);
  };
}
