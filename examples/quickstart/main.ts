/**
 * The quickstart tour: what the DIVE packages do, on embedded defaults (no Docker, no database).
 * Run it with `npx pnpm@10 demo` from the repository root.
 */
import { createServer } from 'node:net';
import { createErrorLedger, fromPromise, lookupCode } from '@dive/errors';

/** A loopback port nobody listens on: bind an ephemeral one, then close it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) =>
    server.close(() => {
      resolve();
    }),
  );
  return typeof address === 'object' && address !== null ? address.port : 1;
}

const say = (line = ''): void => {
  process.stdout.write(`${line}\n`);
};

async function main(): Promise<number> {
  say('DIVE SDK quickstart');
  say('===================');
  say();
  say('1. Errors are values with stable codes. A refused connection becomes a typed error:');
  const refused = await fromPromise(fetch(`http://127.0.0.1:${await closedPort()}/health`), { service: 'backend' });
  if (refused.isOk()) {
    say('   (unexpectedly, something answered on port 9)');
    return 1;
  }
  const e = refused.error;
  say(`   ${e._tag} (${e.code}, ${e.severity}): ${e.message}`);
  say(`   remediation: ${e.remediation}`);
  say(`   code ${e.code} is "${lookupCode(e.code)?.summary ?? '?'}"`);
  say();
  say('2. The error ledger decides whether a deployment goes on (SPEC §6):');
  const ledger = createErrorLedger();
  for (const service of ['keycloak', 'backend', 'keycloak']) {
    const decision = ledger.record(e, { key: service });
    say(`   ${service} failed → ${decision.action}: ${decision.reason}`);
  }
  say();
  say(ledger.summary().replace(/^/gm, '   '));
  say();
  say('Next: `npx pnpm@10 test` runs every test against real PostgreSQL and Docker.');
  return 0;
}

process.exitCode = await main();
