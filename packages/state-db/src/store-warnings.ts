import { findLoosePermissions } from './internal/private-files.js';

/** Something a store noticed at start-up that is not an error but deserves a person's attention. */
export interface StoreWarning {
  /** `loose-permissions`: a file or directory of the store is readable by other users. */
  readonly code: 'loose-permissions' | 'unkeyed-audit';
  readonly message: string;
  /** The file or directory concerned, when there is one. */
  readonly path?: string;
}

/**
 * Check a file store's directory: every directory should be 0700 and every file 0600 (DIVE creates them so;
 * older versions, a copy or a restore may have left them looser). Read-only: nothing is changed.
 * @param dir - the store directory (`createFileStateStore({ dir })`)
 * @returns one `loose-permissions` warning per file or directory that group or others can access (at most 100);
 *   an empty list for a missing directory. Rejects only when the directory cannot be read.
 * @example
 * ```ts
 * for (const w of await checkStatePermissions('.dive/state')) console.warn(w.message);
 * ```
 */
export async function checkStatePermissions(dir: string): Promise<StoreWarning[]> {
  return (await findLoosePermissions(dir)).map((p) => ({
    code: 'loose-permissions',
    path: p.path,
    message: `${p.kind} ${p.path} has mode ${p.mode.toString(8).padStart(4, '0')}, DIVE keeps it ${p.expected.toString(8).padStart(4, '0')} (owner only): run chmod ${p.expected.toString(8)} ${p.path}`,
  }));
}

/** The default `onWarning`: a Node process warning (`DiveWarning`, printed on stderr once per message). */
export const emitStoreWarning = (w: StoreWarning): void =>
  process.emitWarning(w.message, { type: 'DiveWarning', code: w.code });

/** Run the start-up checks once, reporting to `onWarning`; a failing check is itself a warning. */
export function startupWarnings(
  check: () => Promise<StoreWarning[]>,
  onWarning: (w: StoreWarning) => void = emitStoreWarning,
): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () =>
    (done ??= check().then(
      (ws) => ws.forEach((w) => onWarning(w)),
      (e: unknown) =>
        onWarning({ code: 'loose-permissions', message: `permission check failed: ${(e as Error).message}` }),
    ));
}
