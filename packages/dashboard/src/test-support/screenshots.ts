import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The committed screenshots of docs/dashboard.md. */
const DOCS_SHOTS = fileURLToPath(new URL('../../../../docs/dashboard/', import.meta.url));

/**
 * Where a browser test saves its screenshots: the test's own temporary `dir` (removed with it), so that running
 * the tests never changes the working tree; `docs/dashboard/` only when `UPDATE_DOCS=1` asks to
 * refresh the committed ones.
 */
export function screenshotPath(dir: string, name: string): string {
  const target = process.env['UPDATE_DOCS'] === '1' ? DOCS_SHOTS : join(dir, 'screenshots');
  mkdirSync(target, { recursive: true });
  return join(target, name);
}
