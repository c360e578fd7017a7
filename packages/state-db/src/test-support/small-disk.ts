import { execFileSync } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, ftruncateSync, rmdirSync, rmSync, statfsSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A tmpfs of a few hundred KiB mounted for one test file (needs root), and a filler that takes its free space. */
export interface SmallDisk {
  /** The mount point. */
  readonly dir: string;
  /** Fill the disk so that exactly `freeBlocks` blocks stay free; returns the block size. */
  fill(freeBlocks: number): number;
  /** Free blocks right now. */
  freeBlocks(): number;
  /** Give the filler's space back. */
  release(): void;
  /** Unmount and remove the mount point. */
  unmount(): void;
}

/**
 * Mount a tmpfs of `sizeKiB` at a fresh directory under the system temp dir.
 * @param sizeKiB - the filesystem size
 * @returns a {@link SmallDisk}
 */
export function mountSmallDisk(sizeKiB: number): SmallDisk {
  const dir = mkdtempSync(join(tmpdir(), 'dive-small-disk-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKiB}k,mode=0700`, 'dive-small-disk', dir]);
  const filler = join(dir, 'filler');
  const chunk = Buffer.alloc(64 * 1024, 1);
  return {
    dir,
    fill(freeBlocks) {
      const fd = openSync(filler, 'w');
      let size = 0;
      try {
        for (;;) size += writeSync(fd, chunk);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
      }
      const bsize = statfsSync(dir).bsize;
      ftruncateSync(fd, Math.max(0, Math.floor(size / bsize) - freeBlocks) * bsize);
      closeSync(fd);
      return bsize;
    },
    freeBlocks: () => statfsSync(dir).bavail,
    release: () => rmSync(filler, { force: true }),
    unmount() {
      execFileSync('umount', [dir]);
      rmdirSync(dir);
    },
  };
}
