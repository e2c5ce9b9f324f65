/**
 * Toggl's HTTP Basic: `email:password`, or `<api_token>:api_token`. No credentials → 401 with an empty body and
 * `X-Authorization-Missing: true`; wrong ones → 403. Public operations take no credentials at all.
 */
import { ApiError, type AuthContext } from '../../core/plugin.ts';
import { forbidden } from './errors.ts';
import type { Principal, TogglState, User } from './state.ts';

export const BAD_CREDENTIALS = 'Incorrect username and/or password.';

export function missingCredentials(): ApiError {
  return new ApiError(401, undefined, { 'X-Authorization-Missing': 'true' });
}

export function findUser(state: TogglState, username: string, password: string): User | undefined {
  const users = Object.values(state.users);
  if (password === 'api_token') return users.find((u) => u.api_token === username);
  return users.find((u) => u.email.toLowerCase() === username.toLowerCase() && u.password === password);
}

export function authenticate(ctx: AuthContext<TogglState>): Principal {
  if (ctx.operation.security.length === 0) return { user: null };
  const basic = ctx.credentials.basic;
  if (basic?.password === undefined) throw missingCredentials();
  const user = findUser(ctx.state, basic.userId, basic.password);
  if (!user) throw forbidden(BAD_CREDENTIALS);
  return { user };
}
