/**
 * The auth stage: the request's credentials, read as the contract's securitySchemes say (credentials.ts), go to
 * the plugin, which names the caller (its principal) or refuses the request in its own format.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { AuthContext } from '../plugin.ts';
import type { MountedApi } from './mount.ts';

export function authenticate(
  api: MountedApi,
  headers: IncomingHttpHeaders,
  ctx: Omit<AuthContext<unknown>, 'credentials'>,
): unknown {
  return api.plugin.authenticate({ ...ctx, credentials: api.credentials(headers) });
}
