/**
 * Who may do what: a user acts on their own records; managers of the broker (the hosting profile) act on
 * everyone's and reach the broker-level endpoints; everyone else gets 403 {"detail": ...}.
 */
import { forbidden, unauthenticated } from './errors.ts';
import type { DjaoappState, Principal, UserRecord } from './state.ts';

/** An accepted manager role on the profile (no pending grant or request). */
export function isManager(state: DjaoappState, user: string, profile: string): boolean {
  return state.roles.some(
    (r) => r.organization === profile && r.user === user && r.role_description === 'manager' && !r.grant_key && !r.request_key,
  );
}

export function isBrokerManager(state: DjaoappState, user: UserRecord | null): boolean {
  return Boolean(user && isManager(state, user.slug, state.broker));
}

export function canActOnUser(state: DjaoappState, caller: UserRecord | null, target: string): boolean {
  return Boolean(caller && (caller.slug === target || isBrokerManager(state, caller)));
}

function signedIn(principal: Principal): UserRecord {
  if (!principal.user) throw unauthenticated();
  return principal.user;
}

export function requireBrokerManager(state: DjaoappState, principal: Principal): UserRecord {
  const user = signedIn(principal);
  if (!isBrokerManager(state, user)) throw forbidden();
  return user;
}

/** The caller may act on the user named `target` (checked before looking the target up, as djaodjin does). */
export function requireSelfOrBrokerManager(state: DjaoappState, principal: Principal, target: string): UserRecord {
  const user = signedIn(principal);
  if (!canActOnUser(state, user, target)) throw forbidden();
  return user;
}
