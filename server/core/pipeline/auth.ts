/** The auth stage: the plugin names the caller (its principal) or refuses the request in its own format. */
import type { ApiPlugin, AuthContext } from '../plugin.ts';

export function authenticate<State, Principal>(plugin: ApiPlugin<State, Principal>, ctx: AuthContext<State>): Principal | Promise<Principal> {
  return plugin.authenticate(ctx);
}
