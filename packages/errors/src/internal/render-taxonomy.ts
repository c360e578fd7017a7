import { TAXONOMY } from '../taxonomy.js';

/** The taxonomy as the Markdown page docs/errors.md (kept in sync by a test). */
export function renderTaxonomyMarkdown(): string {
  const rows = TAXONOMY.map(
    (e) =>
      `| ${e.code} | \`${e.tag}\` | ${e.category} | ${e.severity} | ${e.summary} | ${e.remediation.replaceAll('|', '\\|')} |`,
  );
  return [
    '# Error codes',
    '',
    'Every error the DIVE SDK returns is a `DiveError` with one of these tags and codes (generated from',
    '`packages/errors/src/taxonomy.ts`; a test keeps this page in sync). Codes are stable. Severity is the default;',
    'a call site may raise or lower it. See the ledger policy in `packages/errors/README.md`.',
    '',
    '| code | tag | category | severity | what happened | what to do |',
    '|---:|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}
