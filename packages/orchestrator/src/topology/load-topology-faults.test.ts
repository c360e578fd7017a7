import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadTopology } from './load-topology.js';
import { TOPOLOGY_FILE_MAX_BYTES } from './source-limits.js';

// Fault suite (issue #15): a topology file that is corrupt, truncated, enormous or deeply nested is a
// ConfigInvalidError (1002) naming the file (and the line when known), never a crash.
const root = mkdtempSync(join(tmpdir(), 'dive-topology-faults-'));
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});
const good = 'instance: USA\nservices:\n  db:\n    process: { command: node, args: ["-e", "1"] }\n';
const file = (name: string, text: string): string => {
  const path = join(root, name);
  writeFileSync(path, text);
  return path;
};

async function invalid(path: string): Promise<{ message: string; problems: { line?: number; file: string }[] }> {
  const r = await loadTopology(path, { env: {} });
  const e = r._unsafeUnwrapErr();
  expect(e._tag).toBe('ConfigInvalidError');
  expect(e.code).toBe(1002);
  expect(e.message).toContain(path);
  expect(e.message).not.toMatch(/\n\s+at /);
  return { message: e.message, problems: e.context['problems'] as { line?: number; file: string }[] };
}

describe('a damaged topology file', () => {
  it('corrupt (binary garbage): ConfigInvalidError naming the file and line', async () => {
    const { problems } = await invalid(file('corrupt.yaml', '\u0000\u0001\u00ff: [\n\t{ ]] }\n'));
    expect(problems[0]?.line).toBeGreaterThan(0);
  });

  it('truncated mid-document (YAML and JSON): ConfigInvalidError with the line', async () => {
    const { problems } = await invalid(file('cut.yaml', good.slice(0, good.indexOf('{') + 10)));
    expect(problems[0]?.line).toBe(4);
    const json = JSON.stringify({ instance: 'USA', services: { db: { process: { command: 'node' } } } }, null, 2);
    const cut = await invalid(file('cut.json', json.slice(0, json.length - 8)));
    expect(cut.problems[0]?.line).toBeGreaterThan(1);
  });

  it('enormous: refused before it is read, naming the file, its size and the limit', async () => {
    const path = file('huge.yaml', good);
    truncateSync(path, TOPOLOGY_FILE_MAX_BYTES + 1); // sparse
    const { message } = await invalid(path);
    expect(message).toContain(String(TOPOLOGY_FILE_MAX_BYTES));
  });

  it('deeply nested (YAML flow, YAML block, JSON): ConfigInvalidError, no stack overflow', async () => {
    const depth = 50_000;
    await invalid(file('deep.yaml', `instance: USA\nservices: ${'['.repeat(depth)}${']'.repeat(depth)}\n`));
    await invalid(file('deep.json', `{"instance":"USA","services":${'['.repeat(depth)}${']'.repeat(depth)}}`));
    const block = Array.from({ length: 5_000 }, (_, i) => `${' '.repeat(i)}- `).join('\n');
    await invalid(file('deep-block.yaml', `instance: USA\nservices:\n${block}x\n`));
  });

  it('a good file next to them still loads', async () => {
    expect((await loadTopology(file('good.yaml', good), { env: {} }))._unsafeUnwrap().topology.instance).toBe('USA');
  });
});
