import { mkdir, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** Mode of every directory a file store creates: owner only. */
export const PRIVATE_DIR_MODE = 0o700;
/** Mode of every file a file store creates: owner read/write only. */
export const PRIVATE_FILE_MODE = 0o600;

/**
 * Create `path` and missing parents owner-only (a umask only removes bits, so they are never looser than 0700);
 * an existing directory keeps its mode (the start-up check reports it).
 */
export async function mkdirPrivate(path: string): Promise<void> {
  await mkdir(path, { recursive: true, mode: PRIVATE_DIR_MODE });
}

/** One path whose mode lets other users read (or enter) it. */
export interface LoosePermission {
  readonly path: string;
  readonly kind: 'file' | 'directory';
  /** The permission bits found, e.g. `0o644`. */
  readonly mode: number;
  /** The mode DIVE creates it with (0o600 files, 0o700 directories). */
  readonly expected: number;
}

/**
 * Walk a store directory and list every file or directory readable by group or others (mode bits 0o077).
 * A missing directory lists nothing. At most `limit` entries (default 100) are returned.
 */
export async function findLoosePermissions(root: string, limit = 100): Promise<LoosePermission[]> {
  const out: LoosePermission[] = [];
  const visit = async (path: string): Promise<void> => {
    if (out.length >= limit) return;
    const s = await stat(path).catch((e: unknown) => {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    });
    if (s === undefined) return;
    const mode = s.mode & 0o777;
    const dir = s.isDirectory();
    if ((mode & 0o077) !== 0)
      out.push({
        path,
        kind: dir ? 'directory' : 'file',
        mode,
        expected: dir ? PRIVATE_DIR_MODE : PRIVATE_FILE_MODE,
      });
    if (dir) for (const name of (await readdir(path)).sort()) await visit(join(path, name));
  };
  await visit(root);
  return out;
}
