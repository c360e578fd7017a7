import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Dashboard } from '../dashboard.js';

/** A dashboard served on `host`, port 0; `url` ends with `/`. */
export async function serve(dashboard: Dashboard, host = '127.0.0.1'): Promise<{ url: string; server: Server }> {
  const server = createServer(dashboard);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://${host}:${port}/`, server };
}

/** Stop a server, dropping open streams. */
export async function stop(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** One HTTP exchange: status, headers and the body as text. */
export function fetchText(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers ?? {} }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** An event read from a stream. */
export interface SseEvent {
  readonly id: string | undefined;
  readonly type: string;
  readonly data: Record<string, unknown>;
  /** `Date.now()` when the event was parsed. */
  readonly receivedAt: number;
}

/** A server-sent events client (Node 20 has no EventSource): collects events until closed. */
export function openEvents(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ events: SseEvent[]; close(): void }> {
  return new Promise((resolve, reject) => {
    const events: SseEvent[] = [];
    const req = request(`${url}events`, { headers: { Accept: 'text/event-stream', ...headers } }, (res) => {
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let id: string | undefined;
          let type = 'message';
          let data = '';
          for (const line of block.split('\n')) {
            if (line.startsWith('id: ')) id = line.slice(4);
            else if (line.startsWith('event: ')) type = line.slice(7);
            else if (line.startsWith('data: ')) data += line.slice(6);
          }
          if (data !== '')
            events.push({ id, type, data: JSON.parse(data) as Record<string, unknown>, receivedAt: Date.now() });
        }
      });
      res.on('error', () => undefined);
      resolve({ events, close: () => req.destroy() });
    });
    req.on('error', (e) => {
      if (!req.destroyed) reject(e);
    });
    req.end();
  });
}
