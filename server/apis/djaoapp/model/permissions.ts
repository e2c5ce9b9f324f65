/**
 * Who may do what: a user acts on their own records; managers of the broker (the hosting profile) act on
 * everyone's and reach the broker-level endpoints; everyone else gets 403 {"detail": ...}.
 */
import { forbidden, unauthenticated } from './errors.ts';
import type { DjaoappState, Principal, UserRecord } from '../state.ts';

/** An accepted manager role on the profile (no pending grant or request). */
export function isManager(state: DjaoappState, user: string, profile: string): boolean {
  return state.roles.some(
    (r) =>
      r.organization === profile &&
      r.user === user &&
      r.role_description === 'manager' &&
      !r.grant_key &&
      !r.request_key,
  );
}

export function isBrokerManager(state: DjaoappState, user: UserRecord | null): boolean {
  return Boolean(user && isManager(state, user.slug, state.broker));
}

export function canActOnUser(state: DjaoappState, caller: UserRecord | null, target: string): boolean {
  return Boolean(caller && (caller.slug === target || isBrokerManager(state, caller)));
}

/** The caller, or 401 when nobody signed in. */
export function signedIn(principal: Principal): UserRecord {
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

/** Any accepted role on the profile (manager, contributor or a profile's own role description). */
export function hasRole(state: DjaoappState, user: string, profile: string): boolean {
  return state.roles.some(
    (r) => r.organization === profile && r.user === user && r.role_description && !r.grant_key && !r.request_key,
  );
}

/** The broker's managers manage every profile; a profile's managers manage it. */
export function canManageProfile(state: DjaoappState, user: UserRecord | null, profile: string): boolean {
  return Boolean(user && (isManager(state, user.slug, profile) || isBrokerManager(state, user)));
}

/** Reading a profile's records (plans, roles, subscriptions) takes any accepted role on it, or managing it. */
export function canReadProfile(state: DjaoappState, user: UserRecord | null, profile: string): boolean {
  return Boolean(user && (hasRole(state, user.slug, profile) || isBrokerManager(state, user)));
}

/**
 * The caller may manage (or, with `read`, read) the profile named in the URL: checked before the profile is looked
 * up, as djaoapp's access rules run before the view, so an unknown profile is a 403 to all but the broker's managers.
 */
export function requireProfileAccess(
  state: DjaoappState,
  principal: Principal,
  profile: string,
  access: 'read' | 'manage',
): UserRecord {
  const user = signedIn(principal);
  const allowed = access === 'read' ? canReadProfile(state, user, profile) : canManageProfile(state, user, profile);
  if (!allowed) throw forbidden();
  return user;
}
