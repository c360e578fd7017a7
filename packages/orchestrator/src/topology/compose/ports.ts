import { isObj, refuse, text, warn, type ComposeContext, type Obj, type Path } from './context.js';
import type { KeyHandler } from './handler.js';

/** `8080` or `8000-8010` → the ports, or `undefined` when not a port or a range. */
function range(text: string): number[] | undefined {
  const m = /^(\d+)(?:-(\d+))?$/.exec(text.trim());
  if (m === null) return undefined;
  const from = Number(m[1]);
  const to = m[2] === undefined ? from : Number(m[2]);
  if (from < 1 || to > 65535 || to < from || to - from > 1000) return undefined;
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

type Port = { target: number; published?: number; hostIp?: string; protocol?: 'tcp' | 'udp' };

function bindings(
  targetText: string,
  publishedText: string | undefined,
  extra: { hostIp?: string; protocol?: string },
  at: Path,
  c: ComposeContext,
): Port[] {
  const targets = range(targetText);
  const published = publishedText === undefined || publishedText === '' ? undefined : range(publishedText);
  const protocol = extra.protocol ?? 'tcp';
  if (protocol !== 'tcp' && protocol !== 'udp') return refuse(c, at, `protocol must be tcp or udp`) ?? [];
  if (targets === undefined || (publishedText !== undefined && publishedText !== '' && published === undefined))
    return refuse(c, at, 'must be a port (1–65535) or a range like 8000-8010') ?? [];
  if (published !== undefined && published.length !== targets.length)
    return refuse(c, at, 'the published and container ranges must have the same length') ?? [];
  return targets.map((target, i) => ({
    target,
    ...(published === undefined ? {} : { published: published[i] ?? target }),
    ...(extra.hostIp === undefined ? {} : { hostIp: extra.hostIp }),
    ...(protocol === 'udp' ? { protocol } : {}),
  }));
}

/** `[HOST_IP:][PUBLISHED:]TARGET[/PROTOCOL]`, with `[::1]` for an IPv6 host address. */
function shortPort(text: string, at: Path, c: ComposeContext): Port[] {
  const slash = text.lastIndexOf('/');
  const protocol = slash < 0 ? undefined : text.slice(slash + 1);
  let rest = slash < 0 ? text : text.slice(0, slash);
  let hostIp: string | undefined;
  const v6 = /^\[([^\]]+)\]:(.*)$/.exec(rest);
  if (v6 !== null) {
    hostIp = v6[1];
    rest = v6[2] ?? '';
  }
  const parts = rest.split(':');
  if (hostIp === undefined && parts.length === 3) hostIp = parts.shift();
  if (parts.length > 2 || (hostIp !== undefined && parts.length !== 2))
    return refuse(c, at, 'must be [HOST_IP:][PUBLISHED:]TARGET[/PROTOCOL]') ?? [];
  const [first = '', second] = parts;
  const extra = { ...(hostIp === undefined || hostIp === '' ? {} : { hostIp }), ...(protocol ? { protocol } : {}) };
  return second === undefined ? bindings(first, undefined, extra, at, c) : bindings(second, first, extra, at, c);
}

function longPort(spec: Obj, at: Path, service: string, c: ComposeContext): Port[] {
  for (const key of Object.keys(spec)) {
    if (key === 'mode' && spec['mode'] !== 'ingress' && spec['mode'] !== 'host')
      refuse(c, [...at, key], 'mode must be host or ingress');
    else if (key === 'name' || key === 'app_protocol' || key === 'mode')
      warn(c, [...at, key], `service '${service}': port '${key}' is ignored`);
  }
  const extra = {
    ...(spec['host_ip'] === undefined ? {} : { hostIp: text(spec['host_ip']) }),
    ...(spec['protocol'] === undefined ? {} : { protocol: text(spec['protocol']) }),
  };
  const published = spec['published'] === undefined ? undefined : text(spec['published']);
  return bindings(String(spec['target']), published, extra, at, c);
}

/** `ports` (short and long syntax, ranges) and `expose`. @internal */
export const portHandlers = {
  ports: (v, at, d, c) => {
    const list: unknown[] = Array.isArray(v) ? v : [];
    d.container['ports'] = list.flatMap((item, i) =>
      isObj(item) ? longPort(item, [...at, i], d.name, c) : shortPort(String(item), [...at, i], c),
    );
  },
  expose: (v, at, d, c) => {
    const list: unknown[] = Array.isArray(v) ? v : [];
    d.container['expose'] = list.flatMap((item, i) => {
      const text = String(item).replace(/\/(tcp|udp)$/, '');
      return range(text) ?? refuse(c, [...at, i], 'must be a port or a range like 8000-8010') ?? [];
    });
  },
} satisfies Readonly<Record<string, KeyHandler>>;
