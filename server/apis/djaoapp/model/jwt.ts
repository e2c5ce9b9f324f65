/** DjaoApp's JSON Web Tokens: HS256, signed with the sandbox's own key, expiry from the sandbox clock. */
import { createHmac } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';
import type { UserRecord } from '../state.ts';

/** The claims djaodjin-signup puts in a token. */
export interface TokenClaims {
  slug: string;
  username: string;
  printable_name: string;
  picture: string | null;
  email: string;
  full_name: string;
  credentials: boolean;
  created_at: string;
  exp: number;
}

export function claimsFor(user: UserRecord, now: Date, expirySeconds: number): TokenClaims {
  return {
    slug: user.slug,
    username: user.slug,
    printable_name: user.full_name || user.slug,
    picture: user.picture,
    email: user.email,
    full_name: user.full_name,
    credentials: user.password !== null,
    created_at: user.created_at,
    exp: Math.floor(now.getTime() / 1000) + expirySeconds,
  };
}

export async function signToken(claims: TokenClaims, key: Uint8Array): Promise<string> {
  return new SignJWT({ ...claims }).setProtectedHeader({ typ: 'JWT', alg: 'HS256' }).sign(key);
}

/**
 * The sandbox's own HS256 key: its state's secret (kept in snapshots and data files) bound to the sandbox's name,
 * so that a token issued in one sandbox is refused in every other, and a reset sandbox keeps honouring its tokens.
 */
export function sandboxKey(secret: string, sandboxId: string): Uint8Array {
  return createHmac('sha256', secret).update(`djaoapp-jwt:${sandboxId}`).digest();
}

export type TokenCheck =
  | { ok: true; claims: TokenClaims }
  | { ok: false; reason: 'malformed' | 'signature' | 'expired' };

/** Base64url as a compact JWS writes it (RFC 7515): no padding, nothing else, and the one encoding of its bytes. */
function canonicalSegment(segment: string): boolean {
  return /^[A-Za-z0-9_-]+$/.test(segment) && Buffer.from(segment, 'base64url').toString('base64url') === segment;
}

const SIGNATURE_FAILURES = new Set(['ERR_JWS_SIGNATURE_VERIFICATION_FAILED', 'ERR_JOSE_ALG_NOT_ALLOWED']);

/** Tokens jose verified, by key and token (a client sends the same token with every request), oldest first. */
const verified = new Map<string, TokenClaims>();
const VERIFIED_KEPT = 1_000;

/** jose's verdict on a token: HS256 only, signed with `key`, `exp` after `now`. */
async function joseCheck(token: string, key: Uint8Array, now: Date): Promise<TokenCheck> {
  let claims: Record<string, unknown>;
  try {
    claims = (await jwtVerify(token, key, { algorithms: ['HS256'], currentDate: now })).payload;
  } catch (error) {
    const code = (error as { code?: string }).code ?? '';
    if (code === 'ERR_JWT_EXPIRED') return { ok: false, reason: 'expired' };
    return { ok: false, reason: SIGNATURE_FAILURES.has(code) ? 'signature' : 'malformed' };
  }
  if (typeof claims.exp !== 'number') return { ok: false, reason: 'expired' };
  if (typeof claims.username !== 'string') return { ok: false, reason: 'malformed' };
  return { ok: true, claims: claims as unknown as TokenClaims };
}

/**
 * Verifies a token with jose (see joseCheck); a token whose segments are not canonical base64url (junk after the
 * signature: `sig=`, `sig!!`) is malformed. A token jose accepted is remembered for this key, so the next requests
 * carrying it only check its expiry against the sandbox clock (jose's verification costs 0.2 ms).
 */
export async function verifyToken(token: string, key: Uint8Array, now: Date): Promise<TokenCheck> {
  const remembered = `${Buffer.from(key).toString('base64url')}.${token}`;
  const claims = verified.get(remembered);
  if (!claims) {
    const parts = token.split('.');
    if (parts.length !== 3 || !parts.every(canonicalSegment)) return { ok: false, reason: 'malformed' };
    const check = await joseCheck(token, key, now);
    if (check.ok) {
      if (verified.size >= VERIFIED_KEPT) verified.delete(verified.keys().next().value!);
      verified.set(remembered, check.claims);
    }
    return check;
  }
  return claims.exp * 1000 <= now.getTime() ? { ok: false, reason: 'expired' } : { ok: true, claims };
}

/** The messages djaodjin answers for a token that does not verify (400 on /tokens/, 401 as a credential). */
export function tokenFailureMessage(reason: 'malformed' | 'signature' | 'expired'): string {
  return reason === 'expired' ? 'Signature has expired.' : 'Error decoding signature.';
}
