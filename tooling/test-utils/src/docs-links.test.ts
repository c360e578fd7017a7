import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(fileURLToPath(new URL('../../..', import.meta.url)));

function markdownFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'api' || name.startsWith('.') || name === 'dist') return [];
    if (statSync(path).isDirectory()) return markdownFiles(path);
    return name.endsWith('.md') && name !== 'CHANGELOG.md' ? [path] : [];
  });
}

describe('documentation links', () => {
  const files = [
    join(root, 'README.md'),
    join(root, 'CONTRIBUTING.md'),
    ...markdownFiles(join(root, 'docs')),
    ...markdownFiles(join(root, 'packages')),
  ];

  it('every relative link points at a file that exists', () => {
    const broken: string[] = [];
    for (const file of files) {
      const text = readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '');
      for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = m[1] ?? '';
        if (/^[a-z]+:/i.test(target) || target.startsWith('#')) continue;
        const path = resolve(dirname(file), target.split('#')[0] ?? '');
        if (!existsSync(path)) broken.push(`${relative(root, file)} → ${target}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('checks a real set of pages', () => {
    expect(files.length).toBeGreaterThan(10);
  });
});
