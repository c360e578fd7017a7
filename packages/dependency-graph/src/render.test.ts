import { describe, expect, it } from 'vitest';
import { createDependencyGraph } from './create-dependency-graph.js';

const graph = () =>
  createDependencyGraph({
    db: {},
    'opal-client': {},
    app: { dependsOn: { db: 'healthy', 'opal-client': 'started' } },
  })._unsafeUnwrap();

describe('toMermaid and toDot', () => {
  it('draws a deterministic Mermaid flowchart from dependency to dependent, labelling non-default conditions', () => {
    expect(graph().toMermaid()).toBe(
      [
        'flowchart LR',
        '  s0["app"]',
        '  s1["db"]',
        '  s2["opal-client"]',
        '  s1 --> s0',
        '  s2 -->|started| s0',
        '',
      ].join('\n'),
    );
  });

  it('draws the same graph in DOT with quoted names', () => {
    expect(graph().toDot()).toBe(
      [
        'digraph dependencies {',
        '  rankdir=LR;',
        '  "app";',
        '  "db";',
        '  "opal-client";',
        '  "db" -> "app";',
        '  "opal-client" -> "app" [label="started"];',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('is byte-identical whatever the input order', () => {
    const reordered = createDependencyGraph({
      app: { dependsOn: { 'opal-client': 'started', db: 'healthy' } },
      'opal-client': {},
      db: {},
    })._unsafeUnwrap();
    expect(reordered.toMermaid()).toBe(graph().toMermaid());
    expect(reordered.toDot()).toBe(graph().toDot());
  });
});
