/**
 * What keeps the admin API and the console (everything under /__standin/) for the console itself and command-line
 * clients, never for another web page: no CORS, a cross-origin request refused, writes only as JSON (a form cannot
 * send that, and another page's fetch cannot without the CORS this API does not grant), a Host the server answers
 * to (DNS rebinding), and, when configured, an admin token. The vendors' APIs keep their CORS (server/core/cors.ts).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import { parse as parseCookies, serialize as serializeCookie } from 'cookie';
import type { NextFunction, Request, Response } from 'express';

export interface AdminGuardOptions {
  /** Requests under /__standin/ (health aside) must carry `Authorization: Bearer <token>` or the console's cookie. */
  token?: string;
  /**
   * Host names the admin API answers to besides IP addresses, `localhost` and `*.localhost`: `example.test`, or
   * `.example.test` for it and its subdomains; 'all' turns the check off.
   */
  allowedHosts?: string[] | 'all';
}

export const ADMIN_COOKIE = 'standin_admin_token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/** Headers on every answer under /__standin/: nothing there may be framed, sniffed or referred on. */
const SECURITY_HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
};

class Refusal extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** The host name of a Host header, without its port; IPv6 addresses without their brackets. */
export function hostnameOf(host: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(host);
  if (bracketed) return bracketed[1]!.toLowerCase();
  return host.replace(/:\d+$/, '').toLowerCase();
}

/**
 * Whether a Host header names this server in a way DNS rebinding cannot forge: an IP address, localhost or one of
 * its subdomains, or a name the operator allowed (`.example.test` allows the domain and its subdomains).
 */
export function isHostAllowed(host: string | undefined, allowed: string[] | 'all' = []): boolean {
  if (allowed === 'all') return true;
  if (!host) return false;
  const name = hostnameOf(host);
  if (isIP(name) || name === 'localhost' || name.endsWith('.localhost')) return true;
  return allowed.some((entry) => {
    const wanted = entry.toLowerCase();
    return wanted.startsWith('.') ? name === wanted.slice(1) || name.endsWith(wanted) : name === wanted;
  });
}

const digest = (text: string) => createHash('sha256').update(text).digest();
const sameSecret = (given: string, token: string) => timingSafeEqual(digest(given), digest(token));

function checkHost(req: Request, allowed: string[] | 'all' | undefined): void {
  if (!isHostAllowed(req.headers.host, allowed))
    throw new Refusal(
      403,
      `Host ${JSON.stringify(req.headers.host ?? '')} is not this server's: the admin API answers IP addresses and localhost; allow a name with --allowed-hosts`,
    );
}

/** A browser sends Origin on every cross-origin request but plain navigation; the console's own are same-origin. */
function checkOrigin(req: Request): void {
  const origin = req.headers.origin;
  if (origin === undefined) return;
  let originHost: string | undefined;
  try {
    originHost = new URL(origin).host;
  } catch {
    originHost = undefined;
  }
  if (!originHost || originHost !== req.headers.host?.toLowerCase())
    throw new Refusal(
      403,
      `the admin API serves the console and command-line clients, not pages of another origin (${origin})`,
    );
}

function presentedToken(req: Request): string | undefined {
  const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
  return bearer ? bearer[1]!.trim() : parseCookies(req.headers.cookie ?? '')[ADMIN_COOKIE];
}

/**
 * `GET /__standin/?token=<t>` opens the console in a browser (which cannot send a bearer token when it navigates):
 * the right token is kept in an HttpOnly cookie for /__standin, and the address loses it.
 */
function consoleSignIn(req: Request, res: Response, token: string): boolean {
  const given = req.method === 'GET' && typeof req.query.token === 'string' ? req.query.token : undefined;
  if (given === undefined || !sameSecret(given, token)) return false;
  res.setHeader(
    'Set-Cookie',
    serializeCookie(ADMIN_COOKIE, token, {
      path: '/__standin',
      httpOnly: true,
      sameSite: 'strict',
      secure: req.secure,
    }),
  );
  const url = new URL(req.originalUrl, 'http://standin');
  url.searchParams.delete('token');
  res.redirect(303, `${url.pathname}${url.search}`);
  return true;
}

/** Health says only that a Standin answers and what it serves: probes and load balancers reach it by any name. */
const isHealthCheck = (req: Request) => (req.method === 'GET' || req.method === 'HEAD') && req.path === '/health';

function checkToken(req: Request, token: string): void {
  const given = presentedToken(req);
  if (given === undefined || !sameSecret(given, token))
    throw new Refusal(
      401,
      'the admin API needs its token: send Authorization: Bearer <token>, or open the console once as /__standin/?token=<token>',
      {
        'WWW-Authenticate': 'Bearer realm="standin admin"',
      },
    );
}

function checkWriteIsJson(req: Request): void {
  if (SAFE_METHODS.has(req.method) || JSON_TYPE.test(req.headers['content-type'] ?? '')) return;
  throw new Refusal(
    415,
    `admin writes are JSON: send ${req.method} with Content-Type: application/json (a body-less one too)`,
  );
}

/** The middleware in front of every route under /__standin/. */
export function adminGuard(options: AdminGuardOptions = {}) {
  return (req: Request, res: Response, next: NextFunction): void => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    try {
      if (!isHealthCheck(req)) checkHost(req, options.allowedHosts);
      checkOrigin(req);
      if (options.token !== undefined && !isHealthCheck(req)) {
        if (consoleSignIn(req, res, options.token)) return;
        checkToken(req, options.token);
      }
      checkWriteIsJson(req);
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      res.status(error.status).set(error.headers).json({ error: error.message });
      return;
    }
    next();
  };
}
