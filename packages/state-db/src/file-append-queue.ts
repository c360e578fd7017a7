import { appendDurable } from './internal/atomic-file.js';

interface Group {
  text: string;
  readonly done: Promise<void>;
  readonly settle: (error?: Error) => void;
}

function newGroup(text: string): Group {
  let settle: (error?: Error) => void = () => undefined;
  const done = new Promise<void>((resolve, reject) => {
    settle = (error) => (error === undefined ? resolve() : reject(error));
  });
  return { text, done, settle };
}

/**
 * Durable appends with group commit: lines appended to a file while an earlier append to it is being written and
 * fsynced wait, and are then written together with one fsync. Each caller's promise settles only once its own lines
 * are durable (or their group's append failed, and was cut back: then every caller of that group gets the error).
 * Lines land in the order they were given. Used for the step and error logs, which are written in bursts (several
 * steps end at one moment); each burst costs one fsync instead of one per line.
 * @returns `append(path, text)`, resolving once `text` is on disk
 */
export function createAppendQueue(): (path: string, text: string) => Promise<void> {
  const waiting = new Map<string, Group | undefined>();
  const write = (path: string, group: Group): void => {
    appendDurable(path, group.text).then(
      () => group.settle(),
      (e: unknown) => group.settle(e instanceof Error ? e : new Error(`append to ${path} failed: ${String(e)}`)),
    );
    void group.done
      .catch(() => undefined)
      .then(() => {
        const next = waiting.get(path);
        if (next === undefined) {
          waiting.delete(path);
          return;
        }
        waiting.set(path, undefined);
        write(path, next);
      });
  };
  return (path, text) => {
    if (!waiting.has(path)) {
      // nothing in flight for this file: write now, and mark it busy
      const group = newGroup(text);
      waiting.set(path, undefined);
      write(path, group);
      return group.done;
    }
    const queued = waiting.get(path);
    if (queued !== undefined) {
      queued.text += text;
      return queued.done;
    }
    const group = newGroup(text);
    waiting.set(path, group);
    return group.done;
  };
}
