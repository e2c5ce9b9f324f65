/** The route stage: the contract's operation for a request's method and path, a redirect, or 404/405. */
import type { Operation } from '../contract/load.ts';
import { coreErrors } from '../errors.ts';
import { ApiError } from '../plugin.ts';
import { matchTrailingSlash } from '../router/trailing-slash.ts';
import type { Located } from './located.ts';
import type { MountedApi } from './mount.ts';

export interface Route {
  operation: Operation;
  /** Path parameters as the path spells them, before validation. */
  rawParams: Record<string, string>;
}

/** A path the plugin serves with a trailing slash only (router/trailing-slash.ts): 301 for reads, 308 for the rest. */
function redirect(method: string, at: Located, location: string): ApiError {
  const query = at.url.indexOf('?');
  const status = method === 'GET' || method === 'HEAD' ? 301 : 308;
  return new ApiError(status, undefined, {
    Location: `${at.baseUrl}${location}${query < 0 ? '' : at.url.slice(query)}`,
  });
}

export function routeOf(api: MountedApi, method: string, at: Located): Route {
  const { trailingSlash, errors } = api.plugin;
  const match = trailingSlash
    ? matchTrailingSlash(api.router, method, at.path, trailingSlash)
    : api.router.match(method, at.path);
  if (match.kind === 'redirect') throw redirect(method, at, match.location);
  if (match.kind !== 'operation')
    throw coreErrors['route-not-found'](
      errors,
      method,
      at.path,
      match.kind === 'method-not-allowed' ? match.allowed : undefined,
    );
  return match;
}
