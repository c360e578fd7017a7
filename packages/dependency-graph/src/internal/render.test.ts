import { describe, expect, it } from 'vitest';
import { compile } from './compiled.js';
import { parseServices } from './parse.js';
import { toDot, toMermaid } from './render.js';

/** Rows built straight from the parser, so names the validation would reject reach the renderers. */
function rows(services: Parameters<typeof parseServices>[0]) {
  return compile(parseServices(services));
}

describe('renderer escaping', () => {
  const g = rows({ 'a"b': {}, 'x<y>|z': { dependsOn: { 'a"b': 'completed' } }, 'back\\slash\nline': {} });

  it('escapes Mermaid labels with entity codes and uses generated ids', () => {
    expect(toMermaid(g)).toBe(
      [
        'flowchart LR',
        '  s0["a#34;b"]',
        '  s1["back\\slash#10;line"]',
        '  s2["x#60;y#62;#124;z"]',
        '  s0 -->|completed| s2',
        '',
      ].join('\n'),
    );
  });

  it('escapes DOT strings', () => {
    expect(toDot(g)).toContain('"a\\"b" -> "x<y>|z" [label="completed"];');
    expect(toDot(g)).toContain('  "back\\\\slash\\nline";');
  });
});
