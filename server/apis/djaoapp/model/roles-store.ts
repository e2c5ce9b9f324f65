/** Role descriptions and roles: which descriptions a profile sees, grants, requests and their acceptance. */
import { optinKey } from './optins.ts';
import { isManager } from './permissions.ts';
import type { DjaoappState, RoleDescriptionRecord, RoleRecord, UserRecord } from '../state.ts';
import { slugify, uniqueSlug } from './values.ts';

/** The role descriptions a profile can use: the global ones and its own, oldest first. */
export function roleDescriptionsOf(state: DjaoappState, organization: string): RoleDescriptionRecord[] {
  return state.role_descriptions
    .filter((d) => d.organization === null || d.organization === organization)
    .sort((a, b) => a.created_at.localeCompare(b.created_at) || a.slug.localeCompare(b.slug));
}

export function findRoleDescription(
  state: DjaoappState,
  organization: string,
  slug: string,
): RoleDescriptionRecord | undefined {
  return roleDescriptionsOf(state, organization).find((d) => d.slug === slug);
}

/** A new description's slug: from its title, with -1, -2... when the profile already sees that slug. */
export function roleDescriptionSlug(state: DjaoappState, organization: string, title: string): string {
  const taken = new Set(roleDescriptionsOf(state, organization).map((d) => d.slug));
  return uniqueSlug(slugify(title) || 'role', (s) => taken.has(s));
}

/** Deletes a description with every role that uses it: on every profile for a global one, on its own otherwise. */
export function deleteRoleDescription(state: DjaoappState, description: RoleDescriptionRecord): void {
  state.roles = state.roles.filter(
    (r) =>
      !(
        r.role_description === description.slug &&
        (description.organization === null || r.organization === description.organization)
      ),
  );
  state.role_descriptions = state.role_descriptions.filter((d) => d !== description);
}

export function roleOf(state: DjaoappState, organization: string, user: string): RoleRecord | undefined {
  return state.roles.find((r) => r.organization === organization && r.user === user);
}

/**
 * A manager gives `user` the role `description` on the profile. A grant waits for the user's acceptance (a
 * grant_key) unless the description skips the opt-in or the user asked for it (a pending request is accepted).
 * A user has one role per profile: an existing role takes the new description. `created` is false when the user
 * already had exactly this role.
 */
export function grantRole(
  state: DjaoappState,
  organization: string,
  user: string,
  description: RoleDescriptionRecord,
  now: Date,
  options: { forceOptin?: boolean } = {},
): { role: RoleRecord; created: boolean } {
  const existing = roleOf(state, organization, user);
  if (existing && existing.role_description === description.slug && existing.request_key === null)
    return { role: existing, created: false };
  const requested = existing?.request_key !== null && existing?.request_key !== undefined;
  const needsOptin = options.forceOptin || (!description.skip_optin_on_grant && !requested);
  const grant_key = needsOptin ? optinKey() : null;
  if (existing) {
    existing.role_description = description.slug;
    existing.request_key = null;
    existing.grant_key = grant_key;
    return { role: existing, created: true };
  }
  const role: RoleRecord = {
    organization,
    user,
    role_description: description.slug,
    grant_key,
    request_key: null,
    created_at: now.toISOString(),
  };
  state.roles.push(role);
  return { role, created: true };
}

/**
 * `user` asks for a role on the profile (a request_key; role_description null when no description is named). A
 * user who already has a role there gets it back, unchanged (`created` false).
 */
export function requestRole(
  state: DjaoappState,
  organization: string,
  user: string,
  description: RoleDescriptionRecord | null,
  now: Date,
): { role: RoleRecord; created: boolean } {
  const existing = roleOf(state, organization, user);
  if (existing) return { role: existing, created: false };
  const role: RoleRecord = {
    organization,
    user,
    role_description: description?.slug ?? null,
    grant_key: null,
    request_key: optinKey(),
    created_at: now.toISOString(),
  };
  state.roles.push(role);
  return { role, created: true };
}

/** The roles `role_status` selects: a comma-separated mix of active, invited (grant pending), requested. */
export function filterRoleStatus(roles: RoleRecord[], roleStatus: string | undefined): RoleRecord[] {
  const wanted = new Set(
    (roleStatus ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );
  const known = ['active', 'invited', 'requested'].filter((s) => wanted.has(s));
  if (!known.length) return roles;
  return roles.filter(
    (r) =>
      (wanted.has('active') && r.grant_key === null && r.request_key === null) ||
      (wanted.has('invited') && r.grant_key !== null) ||
      (wanted.has('requested') && r.request_key !== null),
  );
}

/** The counts role lists carry beside the page. */
export function roleCounts(roles: RoleRecord[]): { invited_count: number; requested_count: number } {
  return {
    invited_count: roles.filter((r) => r.grant_key !== null).length,
    requested_count: roles.filter((r) => r.request_key !== null).length,
  };
}

/** The users who manage the profile. */
export function managersOf(state: DjaoappState, organization: string): UserRecord[] {
  return state.users.filter((u) => isManager(state, u.slug, organization));
}
