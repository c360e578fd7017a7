import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'dive-dashboard-page-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('the bundled page', () => {
  it('is at most 150 KB of JavaScript gzipped, with no remote URL to load from', () => {
    execFileSync(process.execPath, [join(root, 'scripts', 'build-page.mjs'), out]);
    const js = readFileSync(join(out, 'app.js'));
    expect(gzipSync(js).length).toBeLessThanOrEqual(150 * 1024);
    expect(js.toString()).not.toMatch(/https?:\/\/(?!www\.w3\.org)[a-z0-9.-]+\.[a-z]{2,}\//i);
    expect(readFileSync(join(out, 'app.css'), 'utf8')).not.toContain('@import');
  });
});
