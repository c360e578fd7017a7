import type { IncomingMessage, ServerResponse } from 'node:http';
import { redactString } from '@dive/errors';
import type { ChangeFeed } from './change-feed.js';
import type { DashboardActions } from './options.js';

const json = (res: ServerResponse, status: number, body: unknown): ServerResponse => {
  return res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
};

/** Read a small JSON body (at most 4 KiB); `undefined` when it is not JSON. */
async function body(req: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  let text = '';
  for await (const chunk of req) {
    text += String(chunk);
    if (text.length > 4096) return undefined;
  }
  if (text === '') return {};
  try {
    const v = JSON.parse(text) as unknown;
    return v !== null && typeof v === 'object' ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `POST /api/actions/rollback/:instance` and `POST /api/actions/down/:instance`: refused (403) unless actions are
 * allowed and the CSRF header matches its cookie; the request already carries the token (checked before).
 */
export async function handleAction(
  req: IncomingMessage,
  res: ServerResponse,
  parts: readonly string[],
  ctx: {
    readonly actionsOn: boolean;
    readonly csrfOk: (req: IncomingMessage) => boolean;
    readonly actions: DashboardActions | undefined;
    readonly feed: ChangeFeed;
  },
): Promise<unknown> {
  const [api, actions, kind, instance] = parts;
  if (api !== 'api' || actions !== 'actions' || (kind !== 'rollback' && kind !== 'down') || instance === undefined)
    return json(res, 404, { error: 'no such action' });
  if (!ctx.actionsOn) return json(res, 403, { error: 'actions are off: start the dashboard with --allow-actions' });
  if (!ctx.csrfOk(req)) return json(res, 403, { error: 'CSRF check failed: reload the page' });
  if (!/^[A-Z]{3}$/.test(instance)) return json(res, 400, { error: 'instance must be three upper-case letters' });
  const a = ctx.actions;
  if (a?.[kind] === undefined) return json(res, 501, { error: `${kind} is not available here` });
  const input = await body(req);
  if (input === undefined) return json(res, 400, { error: 'body must be a JSON object' });
  const checkpoint = typeof input['checkpoint'] === 'string' ? input['checkpoint'] : undefined;
  const outcome = kind === 'rollback' ? await a.rollback?.(instance, checkpoint) : await a.down?.(instance);
  if (outcome === undefined) return json(res, 501, { error: `${kind} is not available here` });
  void ctx.feed.refresh({ kind: 'transition', instance });
  if (outcome.ok) return json(res, 200, outcome);
  return json(res, 409, {
    ok: false,
    message: redactString(outcome.message),
    ...(outcome.code === undefined ? {} : { code: outcome.code }),
  });
}
