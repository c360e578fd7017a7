// Loopback servers for the gate tests (gate-checks, gates-network): an HTTP server whose `GET /<status>` answers that
// status, a TCP server that accepts and closes, and a port nothing listens on any more, all on 127.0.0.1.
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:net';

/** The host every server listens on. */
export const LOOPBACK = '127.0.0.1';

/** The running servers and their clean-up. */
export interface LoopbackServers {
  readonly httpPort: number;
  readonly tcpPort: number;
  /** A port something listened on and then closed: nothing listens there now. */
  readonly closedPort: number;
  close(this: void): Promise<void>;
}

/** Options of {@link startLoopbackServers}. */
export interface LoopbackServersOptions {
  /** Sees each HTTP request first; returns true when it answered (or holds) it, else `GET /<status>` applies. */
  readonly onRequest?: (req: IncomingMessage, res: ServerResponse) => boolean;
}

const listen = (s: Pick<Server, 'listen' | 'address'>): Promise<number> =>
  new Promise((resolve) =>
    s.listen(0, LOOPBACK, () => {
      const a = s.address();
      resolve(typeof a === 'object' && a !== null ? a.port : 0);
    }),
  );
const close = (s: Pick<Server, 'close'>): Promise<void> => new Promise((resolve) => s.close(() => resolve()));

/** Start the HTTP and TCP servers on 127.0.0.1 and find a closed port. */
export async function startLoopbackServers(options: LoopbackServersOptions = {}): Promise<LoopbackServers> {
  const http = createHttpServer((req, res) => {
    if (options.onRequest?.(req, res) === true) return;
    res.statusCode = Number(req.url?.slice(1) ?? '') || 200;
    res.end('x');
  });
  const httpPort = await listen(http);
  const tcp = createServer((socket) => socket.end());
  const tcpPort = await listen(tcp);
  const gone = createServer();
  const closedPort = await listen(gone);
  await close(gone);
  return {
    httpPort,
    tcpPort,
    closedPort,
    close: async () => {
      http.closeAllConnections();
      await close(http);
      await close(tcp);
    },
  };
}
