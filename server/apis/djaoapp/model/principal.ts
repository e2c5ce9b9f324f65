/**
 * DjaoApp authentication: `Authorization: Bearer <JWT>` (HS256, see jwt.ts) or HTTP Basic with an API key
 * secret as the username and an empty password. As in Django REST framework, credentials that are sent are
 * checked even on public operations: a bad token is a 401 everywhere.
 */
import type { Credentials } from '../../../core/pipeline/credentials.ts';
import type { AuthContext } from '../../../core/plugin.ts';
import { userForApiKey } from './credentials.ts';
import { detail, BEARER_CHALLENGE, unauthenticated } from './errors.ts';
import { sandboxKey, tokenFailureMessage, verifyToken } from './jwt.ts';
import type { DjaoappState, Principal } from '../state.ts';

/**
 * The principal for a request's credentials (no Authorization header: anonymous) in sandbox `sandboxId`. Throws
 * 401 when they do not verify.
 */
export async function principalFor(
  state: DjaoappState,
  sandboxId: string,
  credentials: Credentials,
  now: Date,
): Promise<Principal> {
  const { authorization } = credentials;
  if (!authorization) return { user: null, via: null };
  switch (authorization.scheme) {
    case 'bearer':
    // djangorestframework-jwt's own keyword, taken beside the contract's Bearer.
    case 'jwt': {
      const token = authorization.value;
      if (!token) throw detail(401, 'Invalid token header. No credentials provided.', BEARER_CHALLENGE);
      const check = await verifyToken(token, sandboxKey(state.jwt_secret, sandboxId), now);
      if (!check.ok)
        throw detail(
          401,
          check.reason === 'expired' ? tokenFailureMessage('expired') : 'Invalid token',
          BEARER_CHALLENGE,
        );
      const user = state.users.find((u) => u.slug === check.claims.username);
      if (!user) throw detail(401, 'Invalid token', BEARER_CHALLENGE);
      return { user, via: 'jwt' };
    }
    case 'basic': {
      const secret = credentials.basic?.userId;
      const user = secret ? userForApiKey(state, secret) : undefined;
      if (!user) throw detail(401, 'Invalid API Key.', { 'WWW-Authenticate': 'Basic realm="api"' });
      return { user, via: 'api-key' };
    }
    default:
      throw unauthenticated('Invalid token header.');
  }
}

export async function authenticate(ctx: AuthContext<DjaoappState>): Promise<Principal> {
  const principal = await principalFor(ctx.state, ctx.sandboxId, ctx.credentials, ctx.now());
  if (!principal.user && ctx.operation.security.length > 0) throw unauthenticated();
  return principal;
}
