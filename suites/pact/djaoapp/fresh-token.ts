import type { VerifierOptions } from '@pact-foundation/pact';
import type { PactProviderTarget } from '../support.ts';

/**
 * The pacts' example tokens are signed by the consumer's mock: on the provider, each request that carries one gets
 * a fresh token of the provider's own for this user instead (and a body `{"token"}` the same token).
 */
export function freshTokenFilter(
  target: PactProviderTarget,
  username: string,
  password: string,
): VerifierOptions['requestFilter'] {
  return async (req, _res, next) => {
    if (req.headers.authorization) {
      const res = await fetch(`${target.baseUrl}/api/auth/`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...target.sandboxHeader },
        body: JSON.stringify({ username, password }),
      });
      const { token } = (await res.json()) as { token: string };
      req.headers.authorization = `Bearer ${token}`;
      if (req.body && typeof req.body === 'object' && 'token' in req.body) {
        req.body = { token };
        req.headers['content-length'] = String(Buffer.byteLength(JSON.stringify(req.body)));
      }
    }
    next();
  };
}
