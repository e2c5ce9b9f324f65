/**
 * The anonymous caller's cart, kept in their `cart_items` cookie so the sandbox stores nothing for them. djaodjin
 * keeps it in the Django session under that same key; here the cookie is the session: the items as base64url JSON, a
 * dot, and an HMAC of them with the sandbox's key. A cookie that is malformed or was altered reads as an empty cart,
 * as Django reads a session whose signature does not verify.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { parse, serialize, type SerializeOptions } from 'cookie';
import type { CartItemRecord } from '../state.ts';

/** A cart item wherever it is kept: its plan and the fields the caller sets. */
export type CartItemFields = Pick<CartItemRecord, 'plan' | 'option' | 'full_name' | 'email' | 'sync_on'>;

export const CART_COOKIE = 'cart_items';

/** Django's default session age: two weeks. */
const MAX_AGE_SECONDS = 14 * 24 * 3600;
const ATTRIBUTES: SerializeOptions = { path: '/', httpOnly: true, sameSite: 'lax' };
// A page of another site (a dev server on localhost calling 127.0.0.1) gets its cart back only with SameSite=None,
// which needs Secure (browsers take it from http://localhost and 127.0.0.1), and Partitioned, which keeps it
// where third-party cookies are blocked (Chromium's default in a fresh profile).
const CROSS_SITE_ATTRIBUTES: SerializeOptions = {
  path: '/',
  httpOnly: true,
  sameSite: 'none',
  secure: true,
  partitioned: true,
};

// Salted with the cookie's name, so a cart's signature is never mistaken for a token's (both use the sandbox's key).
const signature = (payload: string, secret: Uint8Array) =>
  createHmac('sha256', secret).update(`${CART_COOKIE}:${payload}`).digest();

export function encodeCart(items: CartItemFields[], secret: Uint8Array): string {
  const payload = Buffer.from(JSON.stringify(items), 'utf8').toString('base64url');
  return `${payload}.${signature(payload, secret).toString('base64url')}`;
}

/** The items of a cookie value this API set; an empty cart for anything else. */
export function decodeCart(value: string, secret: Uint8Array): CartItemFields[] {
  const [payload, mac, ...rest] = value.split('.');
  if (!payload || !mac || rest.length) return [];
  const given = Buffer.from(mac, 'base64url');
  // One encoding per signature: junk after it (`=`, `!!`) is not the signature.
  if (given.toString('base64url') !== mac) return [];
  const expected = signature(payload, secret);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return [];
  try {
    const items: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    return Array.isArray(items) ? items : [];
  } catch {
    return [];
  }
}

/** One cookie of a Cookie header (the first when it is sent twice); undefined when it is not there. */
export function cookieValue(header: string | string[] | undefined, name: string): string | undefined {
  return parse([header ?? ''].flat().join('; '))[name];
}

/** The Set-Cookie value that keeps the cart in the cookie; an empty cart clears the cookie. */
export function setCartCookie(items: CartItemFields[], secret: Uint8Array, crossSite = false): string {
  const attributes = crossSite ? CROSS_SITE_ATTRIBUTES : ATTRIBUTES;
  return items.length
    ? serialize(CART_COOKIE, encodeCart(items, secret), { ...attributes, maxAge: MAX_AGE_SECONDS })
    : serialize(CART_COOKIE, '', { ...attributes, maxAge: 0 });
}
