import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createAppendQueue } from './file-append-queue.js';

const dir = mkdtempSync(join(tmpdir(), 'dive-append-queue-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('createAppendQueue', () => {
  it('writes every line once, in the order given, and each caller resolves once its line is written', async () => {
    const append = createAppendQueue();
    const file = join(dir, 'steps.jsonl');
    const lines = Array.from({ length: 50 }, (_, i) => `line ${i}\n`);
    const written: number[] = [];
    await Promise.all(
      lines.map((l, i) =>
        append(file, l).then(() => {
          // once a caller resolves, its own line is in the file
          expect(readFileSync(file, 'utf8')).toContain(l);
          written.push(i);
        }),
      ),
    );
    expect(readFileSync(file, 'utf8')).toBe(lines.join(''));
    expect(written).toHaveLength(50);
  });

  it('keeps files apart, and goes on after a failed group (whose callers get the error)', async () => {
    const append = createAppendQueue();
    const missing = join(dir, 'no-such-dir', 'x.jsonl');
    const a = join(dir, 'a.jsonl');
    const results = await Promise.allSettled([
      append(missing, 'one\n'),
      append(missing, 'two\n'),
      append(missing, 'three\n'),
      append(a, 'a\n'),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected', 'fulfilled']);
    await append(a, 'b\n');
    expect(readFileSync(a, 'utf8')).toBe('a\nb\n');
  });
});
