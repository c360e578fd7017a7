import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** The page's Content-Security-Policy: its own scripts and styles only, no inline script, no framing. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers every response carries. */
export function securityHeaders(res: ServerResponse): void {
  res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cache-Control', 'no-store');
}

/** A random token (URL-safe base64 of 24 bytes). */
export const generateToken = (): string => randomBytes(24).toString('base64url');

/**
 * Whether an address is the local loopback a browser on this machine uses: `127.0.0.1` or `::1` (also IPv4-mapped).
 * Other 127/8 addresses count as elsewhere: they are what containers and port forwards get bound to.
 */
export function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  const a = address.startsWith('::ffff:') ? address.slice(7) : address;
  return a === '::1' || a === '127.0.0.1';
}

/** Cookies of a request by name. */
export function cookies(req: IncomingMessage): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out.set(part.slice(0, i).trim(), decodeURIComponent(part.slice(i + 1).trim()));
  }
  return out;
}

/** Constant-time string comparison. */
export function sameSecret(a: string | undefined, b: string): boolean {
  if (a === undefined) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The token a request presents: `Authorization: Bearer T` or the `dive_token` cookie. */
export function presentedToken(req: IncomingMessage): string | undefined {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ') === true) return auth.slice(7);
  return cookies(req).get('dive_token');
}

/** Where the request arrived: the local end of its socket (the address the server is bound to). */
export const localAddress = (req: IncomingMessage): string | undefined => req.socket.localAddress;

/** Names of the CSRF cookie and header (double submit: the header must repeat the cookie). */
export const CSRF_COOKIE = 'dive_csrf';
export const CSRF_HEADER = 'x-dive-csrf';

/** Whether a state-changing request carries the CSRF header equal to its CSRF cookie. */
export function csrfOk(req: IncomingMessage): boolean {
  const header = req.headers[CSRF_HEADER];
  const cookie = cookies(req).get(CSRF_COOKIE);
  return typeof header === 'string' && cookie !== undefined && cookie.length >= 16 && sameSecret(header, cookie);
}
