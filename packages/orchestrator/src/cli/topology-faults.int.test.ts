// Fault suite (issue #15), end to end: the BUILT `dive` (dist/cli/bin.js, made by `pnpm build`) given a topology
// file that is corrupt, truncated, enormous or deeply nested exits 2 with one clear message and no stack trace.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../../dist/cli/bin.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'dive-cli-topology-faults-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const good = 'instance: USA\nservices:\n  db:\n    process: { command: node, args: ["-e", "1"] }\n';
const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;

function dive(file: string) {
  const r = spawnSync(process.execPath, [bin, '--state', `file:${join(dir, 'state')}`, 'deploy', '-f', file], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', CI: 'true' },
    timeout: 60_000,
  });
  return { code: r.status, stderr: r.stderr };
}

describe('dive deploy with a damaged topology file: exit 2, one clear message, no stack trace', () => {
  it.each([
    ['corrupt', 'corrupt.yaml', () => '\u0000\u0001: [\n\t{ ]] }\n', /corrupt\.yaml/],
    ['truncated', 'cut.yaml', () => good.slice(0, good.indexOf('{') + 10), /cut\.yaml:4/],
    ['deeply nested YAML', 'deep.yaml', () => `instance: USA\nservices: ${deep(50_000)}\n`, /nested deeper/],
    ['deeply nested JSON', 'deep.json', () => `{"instance":"USA","services":${deep(50_000)}}`, /nested deeper/],
    ['enormous', 'huge.yaml', () => 'huge', /limit; it was not read/],
  ])('%s → exit 2', (what, name, text, pattern) => {
    const path = join(dir, name);
    writeFileSync(path, text());
    if (what === 'enormous') truncateSync(path, 64 * 1024 * 1024); // sparse
    const r = dive(name);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(pattern);
    expect(r.stderr.match(/^error /gm)).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  });
});
