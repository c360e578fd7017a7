import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

describe('examples/quickstart', () => {
  it('runs to the end and shows the ledger stopping on a repeated HIGH', { timeout: 120_000 }, () => {
    const cwd = fileURLToPath(new URL('.', import.meta.url));
    const out = execFileSync('npx', ['tsx', '--tsconfig', '../../tsconfig.json', 'main.ts'], { cwd, encoding: 'utf8' });
    expect(out).toContain('NetworkUnreachableError (2002');
    expect(out).toMatch(/keycloak failed → recover/);
    expect(out).toMatch(/keycloak failed → stop/);
  });
});
