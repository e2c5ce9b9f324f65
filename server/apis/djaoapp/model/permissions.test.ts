/** Who may act on a user (the user, a broker manager) and on a profile (its roles, the broker's managers). */
import { describe, expect, it } from 'vitest';
import { djaoappFixtures } from '../../../../fixtures/djaoapp/index.ts';
import { canActOnUser, canManageProfile, canReadProfile, hasRole, isBrokerManager } from './permissions.ts';
import { findRoleDescription, grantRole } from './roles-store.ts';
import type { DjaoappState } from '../state.ts';

const d = (iso: string) => new Date(iso);
const user = (state: DjaoappState, slug: string) => state.users.find((u) => u.slug === slug)!;

describe('permissions', () => {
  it('broker managers are donny and alice; a user acts on themselves only', () => {
    const state = djaoappFixtures();
    expect(isBrokerManager(state, user(state, 'donny'))).toBe(true);
    expect(isBrokerManager(state, user(state, 'alice'))).toBe(true);
    expect(isBrokerManager(state, user(state, 'xia'))).toBe(false);
    expect(isBrokerManager(state, null)).toBe(false);
    expect(canActOnUser(state, user(state, 'xia'), 'xia')).toBe(true);
    expect(canActOnUser(state, user(state, 'xia'), 'donny')).toBe(false);
    expect(canActOnUser(state, user(state, 'donny'), 'xia')).toBe(true);
  });

  it('a pending role grants nothing', () => {
    const state = djaoappFixtures();
    state.roles.find((r) => r.user === 'alice')!.grant_key = 'pending';
    expect(isBrokerManager(state, user(state, 'alice'))).toBe(false);
  });
});

describe('permissions on profiles', () => {
  it("managers manage, any accepted role reads, the broker's managers do both everywhere; pending roles give nothing", () => {
    const state = djaoappFixtures();
    const now = d('2020-01-01T00:00:00Z');
    grantRole(
      state,
      'xia',
      'joe1',
      { ...findRoleDescription(state, 'cowork', 'contributor')!, skip_optin_on_grant: true },
      now,
    );
    expect(hasRole(state, 'joe1', 'xia')).toBe(true);
    expect(canReadProfile(state, user(state, 'joe1'), 'xia')).toBe(true);
    expect(canManageProfile(state, user(state, 'joe1'), 'xia')).toBe(false);
    expect(canManageProfile(state, user(state, 'xia'), 'xia')).toBe(true);
    expect(canManageProfile(state, user(state, 'xia'), 'cowork')).toBe(false);
    expect(canReadProfile(state, user(state, 'xia'), 'cowork')).toBe(false);
    expect(canManageProfile(state, user(state, 'donny'), 'xia')).toBe(true);
    expect(canReadProfile(state, null, 'xia')).toBe(false);
  });
});
