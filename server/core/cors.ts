/**
 * CORS for browser apps on another origin (a dev server on :5173 calling the mock on :4010): requests that carry
 * an Origin get it echoed back with credentials allowed, and preflights (OPTIONS with
 * Access-Control-Request-Method) are answered here, before any API sees them. Requests without Origin (curl,
 * the suites, server-side clients) are untouched. The admin API and console under /__standin/ get none: they serve
 * the console's own origin and command-line clients (server/core/admin/guard.ts).
 */
import { isIP } from 'node:net';
import type { NextFunction, Request, Response } from 'express';

/** Headers a vendor answers that a browser app may need to read. */
const EXPOSED = [
  'Retry-After',
  'Location',
  'WWW-Authenticate',
  'X-Authorization-Missing',
  'Content-Disposition',
  'Link',
];

export function cors(req: Request, res: Response, next: NextFunction): void {
  const origin = req.headers.origin;
  if (!origin) return next();
  res.setHeader('Access-Control-Allow-Origin', origin);
  res.setHeader('Access-Control-Allow-Credentials', 'true');
  res.setHeader('Access-Control-Expose-Headers', EXPOSED.join(', '));
  res.append('Vary', 'Origin');
  const method = req.headers['access-control-request-method'];
  if (req.method !== 'OPTIONS' || !method) return next();
  res.setHeader('Access-Control-Allow-Methods', method);
  const headers = req.headers['access-control-request-headers'];
  if (headers) res.setHeader('Access-Control-Allow-Headers', headers);
  res.setHeader('Access-Control-Max-Age', '600');
  res.status(204).end();
}

/** A host's site, short of the public suffix list: an IP address or a one-label name (localhost) as it is, else its last two labels. */
const siteOf = (host: string) => (isIP(host) || !host.includes('.') ? host : host.split('.').slice(-2).join('.'));

/**
 * Whether a browser sends this request from another site (a page on http://localhost:5173 calling
 * http://127.0.0.1:4010): its cookies then need SameSite=None to be sent back. Without an Origin, same site.
 */
export function isCrossSite(origin: string | string[] | undefined, url: string): boolean {
  if (typeof origin !== 'string' || !URL.canParse(origin)) return false;
  return siteOf(new URL(origin).hostname) !== siteOf(new URL(url).hostname);
}
