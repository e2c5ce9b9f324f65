/** Roles and role descriptions in the sandbox state. */
import { describe, expect, it } from 'vitest';
import { djaoappFixtures } from '../../../../fixtures/djaoapp/index.ts';
import {
  deleteRoleDescription,
  filterRoleStatus,
  findRoleDescription,
  grantRole,
  requestRole,
  roleCounts,
  roleDescriptionSlug,
  roleDescriptionsOf,
} from './roles-store.ts';

const d = (iso: string) => new Date(iso);

describe('roles and role descriptions', () => {
  const now = d('2020-01-01T00:00:00Z');

  it('a profile sees the global descriptions and its own; new slugs come from the title, suffixed when seen', () => {
    const state = djaoappFixtures();
    expect(roleDescriptionsOf(state, 'cowork').map((r) => r.slug)).toEqual(['contributor', 'manager']);
    expect(roleDescriptionsOf(state, 'xia').map((r) => r.slug)).toEqual(['manager']);
    expect(roleDescriptionSlug(state, 'cowork', 'Support Team')).toBe('support-team');
    expect(roleDescriptionSlug(state, 'cowork', 'Contributor')).toBe('contributor-1');
    expect(roleDescriptionSlug(state, 'xia', 'Contributor')).toBe('contributor');
    expect(roleDescriptionSlug(state, 'xia', 'Manager!')).toBe('manager-1');
    expect(findRoleDescription(state, 'xia', 'contributor')).toBeUndefined();
  });

  it('a grant waits for the user unless the description skips the opt-in; the same grant again changes nothing', () => {
    const state = djaoappFixtures();
    const contributor = findRoleDescription(state, 'cowork', 'contributor')!;
    const first = grantRole(state, 'cowork', 'joe1', contributor, now);
    expect(first).toMatchObject({ created: true, role: { role_description: 'contributor', request_key: null } });
    expect(first.role.grant_key).toMatch(/^[0-9a-f]{40}$/);
    expect(grantRole(state, 'cowork', 'joe1', contributor, now)).toEqual({ role: first.role, created: false });
    contributor.skip_optin_on_grant = true;
    const manager = findRoleDescription(state, 'cowork', 'manager')!;
    expect(grantRole(state, 'cowork', 'joe1', manager, now).role).toMatchObject({ role_description: 'manager' });
    expect(state.roles.filter((r) => r.organization === 'cowork' && r.user === 'joe1')).toHaveLength(1);
    expect(grantRole(state, 'cowork', 'joe1', contributor, now).role.grant_key).toBeNull();
    expect(grantRole(state, 'xia', 'joe1', contributor, now, { forceOptin: true }).role.grant_key).not.toBeNull();
  });

  it('a request waits for a manager; granting it accepts it without a key; a user with a role gets it back', () => {
    const state = djaoappFixtures();
    const request = requestRole(state, 'cowork', 'joe1', null, now);
    expect(request).toMatchObject({ created: true, role: { role_description: null, grant_key: null } });
    expect(request.role.request_key).toMatch(/^[0-9a-f]{40}$/);
    expect(requestRole(state, 'cowork', 'joe1', null, now)).toEqual({ role: request.role, created: false });
    const granted = grantRole(state, 'cowork', 'joe1', findRoleDescription(state, 'cowork', 'contributor')!, now);
    expect(granted).toMatchObject({
      created: true,
      role: { role_description: 'contributor', request_key: null, grant_key: null },
    });
    expect(requestRole(state, 'cowork', 'donny', null, now).created).toBe(false);
  });

  it('role_status selects active, invited, requested; counts are of the whole list', () => {
    const state = djaoappFixtures();
    requestRole(state, 'cowork', 'joe1', null, now);
    const roles = state.roles.filter((r) => r.organization === 'cowork');
    expect(roleCounts(roles)).toEqual({ invited_count: 1, requested_count: 1 });
    expect(
      filterRoleStatus(roles, 'active')
        .map((r) => r.user)
        .sort(),
    ).toEqual(['alice', 'donny']);
    expect(filterRoleStatus(roles, 'invited').map((r) => r.user)).toEqual(['xia']);
    expect(
      filterRoleStatus(roles, 'requested,invited')
        .map((r) => r.user)
        .sort(),
    ).toEqual(['joe1', 'xia']);
    expect(filterRoleStatus(roles, 'bogus')).toHaveLength(4);
    expect(filterRoleStatus(roles, undefined)).toHaveLength(4);
  });

  it('deleting a description deletes its roles: everywhere for a global one, on its profile for a local one', () => {
    const state = djaoappFixtures();
    grantRole(state, 'cowork', 'joe1', findRoleDescription(state, 'cowork', 'contributor')!, now);
    deleteRoleDescription(state, findRoleDescription(state, 'cowork', 'contributor')!);
    expect(state.roles.some((r) => r.role_description === 'contributor')).toBe(false);
    expect(state.role_descriptions.map((r) => r.slug)).toEqual(['manager']);
    deleteRoleDescription(state, findRoleDescription(state, 'cowork', 'manager')!);
    expect(state.roles).toEqual([]);
  });
});
