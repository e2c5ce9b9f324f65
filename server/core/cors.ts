/**
 * CORS for browser apps on another origin (a dev server on :5173 calling the mock on :4010): requests that carry
 * an Origin get it echoed back with credentials allowed, and preflights (OPTIONS with
 * Access-Control-Request-Method) are answered here, before any API sees them. Requests without Origin (curl,
 * the suites, server-side clients) are untouched. The admin API and console under /__standin/ get none: they serve
 * the console's own origin and command-line clients (server/core/admin/guard.ts).
 */
import type { NextFunction, Request, Response } from 'express';

/** Headers a vendor answers that a browser app may need to read. */
const EXPOSED = ['Retry-After', 'Location', 'WWW-Authenticate', 'X-Authorization-Missing', 'Content-Disposition', 'Link'];

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
