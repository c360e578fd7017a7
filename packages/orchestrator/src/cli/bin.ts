#!/usr/bin/env node
import { runCli } from './main.js';

// Ctrl-C once: stop starting new work, roll back per policy, record the state, exit 130. Twice: exit now.
const controller = new AbortController();
let interrupts = 0;
const onSignal = (signal: NodeJS.Signals): void => {
  interrupts += 1;
  if (interrupts > 1) process.exit(130);
  process.stderr.write(
    `\n${signal}: finishing cleanly (no new starts; rollback per policy). Press Ctrl-C again to exit now.\n`,
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
