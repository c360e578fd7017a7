#!/usr/bin/env node
import { runCli } from './main.js';

// Ctrl-C or SIGTERM once: stop starting new work, roll back per policy, record the state, release the lock, exit
// 130 (SIGTERM too: one documented code for "interrupted", see docs/cli.md). A second signal: exit now (130).
const controller = new AbortController();
let interrupts = 0;
const onSignal = (signal: NodeJS.Signals): void => {
  interrupts += 1;
  if (interrupts > 1) process.exit(130);
  process.stderr.write(
    `\n${signal}: finishing cleanly (no new starts; rollback per policy). ${signal === 'SIGINT' ? 'Press Ctrl-C again' : 'Send it again'} to exit now (then \`dive down\` closes what is left).\n`,
  );
  controller.abort(new Error(`interrupted by ${signal}`));
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

const code = await runCli(
  process.argv.slice(2),
  { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() },
  controller.signal,
);
process.exitCode = code;
// Whatever still holds the event loop (a stream the runtime forgot) must not keep a pipeline waiting.
setTimeout(() => process.exit(code), 1_000).unref();
