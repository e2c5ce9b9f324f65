/** DjaoApp's JSON Web Tokens: HS256, signed with the sandbox's key, expiry from the sandbox clock. */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { SignJWT, decodeJwt, decodeProtectedHeader } from 'jose';
import type { UserRecord } from './state.ts';

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

export async function signToken(claims: TokenClaims, secret: string): Promise<string> {
  return new SignJWT({ ...claims })
    .setProtectedHeader({ typ: 'JWT', alg: 'HS256' })
    .sign(new TextEncoder().encode(secret));
}

export type TokenCheck =
  | { ok: true; claims: TokenClaims }
  | { ok: false; reason: 'malformed' | 'signature' | 'expired' };

/**
 * Verifies a token synchronously (authentication runs before handlers and is synchronous):
 * structure and algorithm with jose's decoders, the HS256 signature with an HMAC, `exp` against `now`.
 */
export function verifyToken(token: string, secret: string, now: Date): TokenCheck {
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, reason: 'malformed' };
  let claims: Record<string, unknown>;
  try {
    if (decodeProtectedHeader(token).alg !== 'HS256') return { ok: false, reason: 'signature' };
    claims = decodeJwt(token);
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const expected = createHmac('sha256', secret).update(`${parts[0]}.${parts[1]}`).digest();
  const given = Buffer.from(parts[2]!, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'signature' };
  if (typeof claims.exp !== 'number' || claims.exp * 1000 <= now.getTime()) return { ok: false, reason: 'expired' };
  if (typeof claims.username !== 'string') return { ok: false, reason: 'malformed' };
  return { ok: true, claims: claims as unknown as TokenClaims };
}

/** The messages djaodjin answers for a token that does not verify (400 on /tokens/, 401 as a credential). */
export function tokenFailureMessage(reason: 'malformed' | 'signature' | 'expired'): string {
  return reason === 'expired' ? 'Signature has expired.' : 'Error decoding signature.';
}
