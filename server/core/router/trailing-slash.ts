/**
 * Django's trailing slashes: most routes of a Django REST backend end in `/?` (the path is served with and without
 * its slash); the others end in `/`, and Django's APPEND_SLASH answers the path without it with a redirect.
 */
import type { Routable, RouteMatch, Router } from './match.ts';

export interface TrailingSlash {
  /** The contract paths the backend serves only with their trailing slash: without it, a redirect. */
  redirect: readonly string[];
}

export type SlashRouteMatch<T> = RouteMatch<T> | { kind: 'redirect'; location: string };

/**
 * Routes a path the contract writes with a trailing slash, asked without it: to its operation, or to a redirect
 * (301 for GET and HEAD; for other methods 308, which keeps the body, where Django's 301 would turn a POST into a GET).
 */
export function matchTrailingSlash<T extends Routable>(
  router: Router<T>,
  method: string,
  path: string,
  slash: TrailingSlash,
): SlashRouteMatch<T> {
  const match = router.match(method, path);
  if (match.kind !== 'not-found' || path.endsWith('/')) return match;
  const slashed = `${path}/`;
  const template = router.templateOf(slashed);
  if (template === undefined) return match;
  if (slash.redirect.includes(template)) return { kind: 'redirect', location: slashed };
  return router.match(method, slashed);
}
