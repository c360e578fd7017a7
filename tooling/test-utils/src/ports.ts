import { createServer } from 'node:net';

/**
 * A TCP port on `host` that was free a moment ago (bound, read, released): for a server a test starts there, or, as
 * it is, for an address where nothing listens.
 */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve, reject) => s.once('error', reject).listen(0, host, resolve));
  const address = s.address();
  await new Promise<void>((resolve) => s.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error(`no free port on ${host}`);
  return address.port;
}
