/** Profiles in the sandbox state: renaming, archiving, filling an empty address. */
import { describe, expect, it } from 'vitest';
import { djaoappFixtures } from '../../../../fixtures/djaoapp/index.ts';
import { archiveProfile, fillEmptyAddress, renameProfile } from './profiles-store.ts';

describe('fillEmptyAddress', () => {
  const profileWith = (address: Record<string, string>) => ({
    ...djaoappFixtures().profiles.find((p) => p.slug === 'xia')!,
    street_address: '',
    locality: '',
    region: '',
    postal_code: '',
    country: '',
    ...address,
  });
  const given = {
    street_address: '1 Rue de la Paix',
    locality: 'Paris',
    region: 'IDF',
    postal_code: '75002',
    country: 'FR',
  };

  it('fills every empty field of the profile', () => {
    const profile = profileWith({});
    fillEmptyAddress(profile, given);
    expect(profile).toMatchObject(given);
  });

  it('replaces no field the profile has', () => {
    const profile = profileWith({
      street_address: '185 Berry St',
      locality: 'San Francisco',
      region: 'CA',
      country: 'US',
    });
    fillEmptyAddress(profile, given);
    expect(profile).toMatchObject({
      street_address: '185 Berry St',
      locality: 'San Francisco',
      region: 'CA',
      postal_code: '75002',
      country: 'US',
    });
  });

  it('takes country and region together: not when the profile has either, nor when one is missing from the order', () => {
    const withRegion = profileWith({ region: 'CA' });
    fillEmptyAddress(withRegion, given);
    expect(withRegion).toMatchObject({ region: 'CA', country: '' });
    const noRegion = profileWith({});
    fillEmptyAddress(noRegion, { country: 'FR' });
    expect(noRegion).toMatchObject({ region: '', country: '' });
  });
});

describe('profiles', () => {
  it('a rename follows every reference; a personal profile takes its user along', () => {
    const state = djaoappFixtures();
    renameProfile(state, 'xia', 'xia-lee');
    expect(state.users.map((u) => u.slug)).toContain('xia-lee');
    expect(
      state.roles
        .filter((r) => r.user === 'xia-lee')
        .map((r) => r.organization)
        .sort(),
    ).toEqual(['cowork', 'xia-lee']);
    expect(state.subscriptions.every((s) => s.organization === 'xia-lee')).toBe(true);
    renameProfile(state, 'cowork', 'coworking');
    expect(state.broker).toBe('coworking');
    expect(state.plans.every((p) => p.organization === 'coworking')).toBe(true);
    expect(state.role_descriptions.find((r) => r.slug === 'contributor')!.organization).toBe('coworking');
  });

  it('deleting archives the profile: its subscriptions keep their history, its roles go, its user stays', () => {
    const state = djaoappFixtures();
    const slug = archiveProfile(state, state.profiles.find((p) => p.slug === 'xia')!);
    expect(slug).toBe('_archive_1');
    expect(state.profiles.map((p) => p.slug)).toEqual(['cowork']);
    expect(state.archived_profiles).toEqual([
      expect.objectContaining({ slug: '_archive_1', email: 'xia+1@localhost.localdomain' }),
    ]);
    expect(state.subscriptions.every((s) => s.organization === '_archive_1')).toBe(true);
    expect(state.roles.some((r) => r.organization === 'xia')).toBe(false);
    expect(state.users.some((u) => u.slug === 'xia')).toBe(true);
    const cowork = archiveProfile(state, state.profiles[0]!);
    expect(state.plans.every((p) => p.organization === cowork && !p.is_active)).toBe(true);
    expect(state.role_descriptions.map((r) => r.slug)).toEqual(['manager']);
  });
});
