/**
 * DjaoApp authentication: `Authorization: Bearer <JWT>` (HS256, see jwt.ts) or HTTP Basic with an API key
 * secret as the username and an empty password. As in Django REST framework, credentials that are sent are
 * checked even on public operations: a bad token is a 401 everywhere.
 */
import type { AuthContext } from '../../../core/plugin.ts';
import { userForApiKey } from './credentials.ts';
import { detail, BEARER_CHALLENGE, unauthenticated } from './errors.ts';
import { sandboxKey, tokenFailureMessage, verifyToken } from './jwt.ts';
import type { DjaoappState, Principal } from '../state.ts';

function authorizationHeader(ctx: AuthContext<DjaoappState>): string | undefined {
  const value = ctx.request.headers.authorization;
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The principal for an Authorization header value (undefined header: anonymous) in sandbox `sandboxId`. Throws 401
 * when it does not verify.
 */
export async function principalFor(state: DjaoappState, sandboxId: string, header: string | undefined, now: Date): Promise<Principal> {
  if (!header || !header.trim()) return { user: null, via: null };
  const [scheme, ...rest] = header.trim().split(/\s+/);
  const credentials = rest.join(' ');
  switch (scheme?.toLowerCase()) {
    case 'bearer':
    case 'jwt': {
      if (!credentials) throw detail(401, 'Invalid token header. No credentials provided.', BEARER_CHALLENGE);
      const check = await verifyToken(credentials, sandboxKey(state.jwt_secret, sandboxId), now);
      if (!check.ok) throw detail(401, check.reason === 'expired' ? tokenFailureMessage('expired') : 'Invalid token', BEARER_CHALLENGE);
      const user = state.users.find((u) => u.slug === check.claims.username);
      if (!user) throw detail(401, 'Invalid token', BEARER_CHALLENGE);
      return { user, via: 'jwt' };
    }
    case 'basic': {
      let decoded: string;
      try {
        decoded = Buffer.from(credentials, 'base64').toString('utf8');
      } catch {
        decoded = '';
      }
      const secret = decoded.includes(':') ? decoded.slice(0, decoded.indexOf(':')) : decoded;
      const user = secret ? userForApiKey(state, secret) : undefined;
      if (!user) throw detail(401, 'Invalid API Key.', { 'WWW-Authenticate': 'Basic realm="api"' });
      return { user, via: 'api-key' };
    }
    default:
      throw unauthenticated('Invalid token header.');
  }
}

export async function authenticate(ctx: AuthContext<DjaoappState>): Promise<Principal> {
  const principal = await principalFor(ctx.state, ctx.sandboxId, authorizationHeader(ctx), ctx.now());
  if (!principal.user && ctx.operation.security.length > 0) throw unauthenticated();
  return principal;
}
