import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '@dive/errors';
import type { EventLog, FeedEvent } from './event-log.js';

const frame = (e: FeedEvent): string => `id: ${e.id}\nevent: ${e.type}\ndata: ${JSON.stringify(e.data)}\n\n`;

/** Open SSE streams, for counting and closing. */
export interface SseHub {
  serve(req: IncomingMessage, res: ServerResponse): void;
  readonly clients: number;
  closeAll(): void;
}

/**
 * Server-sent events of the log: on connect, the events after `Last-Event-ID` (header, or `lastEventId` in the
 * query for a first connection that resumes), or a `reset` event when they are no longer kept; then every new
 * event as it is appended; a comment every `heartbeatMs` keeps proxies from closing an idle stream.
 */
export function createSseHub(log: EventLog, heartbeatMs: number, clock: Clock): SseHub {
  const open = new Set<ServerResponse>();
  return {
    serve: (req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const header = req.headers['last-event-id'];
      const lastId =
        (typeof header === 'string' ? header : undefined) ?? url.searchParams.get('lastEventId') ?? undefined;
      res.writeHead(200, {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-store',
        Connection: 'keep-alive',
        'X-Accel-Buffering': 'no',
      });
      res.write('retry: 1000\n\n');
      const replay = log.since(lastId);
      if (replay.kind === 'reset') res.write(`event: reset\ndata: {}\n\n`);
      else for (const e of replay.events) res.write(frame(e));
      open.add(res);
      const stop = log.onEvent((e) => res.write(frame(e)));
      let beat: unknown;
      const heartbeat = (): void => {
        beat = clock.setTimeout(() => {
          res.write(': keep-alive\n\n');
          heartbeat();
        }, heartbeatMs);
      };
      heartbeat();
      const end = (): void => {
        stop();
        clock.clearTimeout(beat);
        open.delete(res);
      };
      req.on('close', end);
      res.on('close', end);
    },
    get clients() {
      return open.size;
    },
    closeAll: () => {
      for (const res of [...open]) res.end();
    },
  };
}
