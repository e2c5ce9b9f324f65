/**
 * DjaoApp billing profiles (/api/profile/): a user creates organizations and manages them; a personal profile is a
 * user's own; the broker's managers see and manage every profile; anyone else gets 403. State is read back through
 * the API after every change.
 */
import { beforeEach, describe, expect } from 'vitest';
import { it } from './session.ts';
import { expectStatus, needsStandin } from '../support/target.ts';
import { unique } from './target.ts';
import { needsStranger, NO_PROFILE_CREATION, profileCreated } from './portable.ts';
import { expectOrderedByCreation } from './support/lists.ts';
import { createProfile, deleteProfile, profile, profiles, updateProfile } from './support/profiles.ts';

const STANDIN_ONLY = "the fixtures' profiles and subscriptions, and the sandbox clock";

it.beforeAll(async ({ t, member, cleanup }) => {
  // A probe of its own name, so the scenarios' lists (searched by run) do not see it.
  const probe = `probe-${unique()}`;
  ownProfiles = await profileCreated(
    t,
    member,
    { slug: probe, full_name: 'Probe', email: `${probe}@example.com`, type: 'organization' },
    cleanup,
  );
  await cleanup.run();
});
beforeEach(({ skip }) => skip(!ownProfiles, NO_PROFILE_CREATION));

const FORBIDDEN = { detail: 'You do not have permission to perform this action.' };
const run = unique();
let ownProfiles = false;

describe('POST /api/profile/', () => {
  it('creates an organization managed by the caller, slug from the full name, timezone and country from the broker', async ({
    t,
    creds,
    member,
  }) => {
    const res = await createProfile(t, member, {
      full_name: `Acme ${run}`,
      email: `billing-${run}@example.com`,
      type: 'organization',
      phone: '555-0100',
      locality: 'Paris',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      slug: `acme-${run}`,
      full_name: `Acme ${run}`,
      printable_name: `Acme ${run}`,
      type: 'organization',
      email: `billing-${run}@example.com`,
      phone: '555-0100',
      locality: 'Paris',
      street_address: '',
      is_provider: false,
      is_bulk_buyer: false,
      extra: null,
    });
    const read = await profile(t, `acme-${run}`, member);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ slug: `acme-${run}`, locality: 'Paris', subscriptions: [] });
    const roles = await t.call('roles_list', { params: { organization: `acme-${run}` }, headers: member });
    expect(roles.body.results.map((r: any) => [r.user.slug, r.role_description?.slug, r.grant_key])).toEqual([
      [creds.member.username, 'manager', null],
    ]);
  });

  it('takes the slug given, and answers 400 when a profile or a user already has it', async ({ t, creds, member }) => {
    const res = await createProfile(t, member, { slug: `given-${run}`, full_name: 'Given Slug' });
    expect(res.status).toBe(201);
    expect(res.body.slug).toBe(`given-${run}`);
    for (const slug of [`given-${run}`, creds.manager.username]) {
      const taken = await createProfile(t, member, { slug, full_name: 'Again', type: 'organization' });
      expect(taken.status).toBe(400);
      expect(taken.body).toEqual({ slug: ['A profile with this identifier already exists.'] });
    }
  });

  it('answers 400 without a slug nor all of full_name, email and type, and for bad fields; nothing is created', async ({
    t,
    member,
  }) => {
    const before = (await profiles(t, member)).body.count;
    const partial = await createProfile(t, member, { full_name: 'No Email Co' });
    expect(partial.status).toBe(400);
    expect(partial.body).toEqual({ non_field_errors: ['One of slug or (full_name, email, type) should be present'] });
    const badEmail = await createProfile(t, member, { full_name: 'X', email: 'not-an-address', type: 'organization' });
    expect(badEmail.body).toEqual({ email: ['Enter a valid email address.'] });
    const badType = await createProfile(t, member, { full_name: 'X', email: 'x@example.com', type: 'user' });
    expect(badType.status).toBe(400);
    expect(badType.body).toHaveProperty('type');
    const badSlug = await createProfile(t, member, { slug: 'has spaces' });
    expect(badSlug.body).toEqual({ slug: ['Enter a valid value.'] });
    expect((await profiles(t, member)).body.count).toBe(before);
  });

  it("answers 403 to a user creating another user's personal profile, 401 anonymously", async ({
    t,
    creds,
    stranger,
  }) => {
    const res = await createProfile(t, stranger.headers, {
      slug: creds.member.username,
      full_name: 'Not Me',
      email: 'x@example.com',
      type: 'personal',
    });
    expect(res.status).toBe(403);
    expect(res.body).toEqual(FORBIDDEN);
    expect((await createProfile(t, undefined, { slug: 'anon' })).status).toBe(401);
  });

  it("creates the caller's personal profile, with their username and credentials", async ({ t, stranger }) => {
    const res = await createProfile(t, stranger.headers, {
      full_name: 'Stranger Danger',
      email: `${stranger.username}@example.com`,
      type: 'personal',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ slug: stranger.username, type: 'personal', credentials: true });
    const again = await createProfile(t, stranger.headers, {
      full_name: 'Again',
      email: `${stranger.username}@example.com`,
      type: 'personal',
    });
    expect(again.status).toBe(400);
    // The personal profile is the stranger's own: it is theirs to read, and nothing else is.
    const list = await profiles(t, stranger.headers);
    expect(list.body.results.map((p: any) => p.slug)).toEqual([stranger.username]);
  });
});

describe('GET /api/profile/', () => {
  it("lists the profiles a user holds a role on; the broker's managers see them all", async ({
    t,
    manager,
    member,
    stranger,
  }) => {
    const mine = await profiles(t, member);
    expect(mine.status).toBe(200);
    const slugs = mine.body.results.map((p: any) => p.slug);
    expect(slugs).toEqual(expect.arrayContaining([`acme-${run}`, `given-${run}`]));
    for (const slug of slugs) expect((await profile(t, slug, member)).status).toBe(200);
    const all = await profiles(t, manager, { page_size: 100 });
    expect(all.body.count).toBeGreaterThanOrEqual(mine.body.count);
    expect(all.body.results.map((p: any) => p.slug)).toEqual(
      expect.arrayContaining([`acme-${run}`, stranger.username]),
    );
  });

  it('searches with q, orders with o/ot, pages with page_size, filters with start_at', async ({ t, member }) => {
    const found = await profiles(t, member, { q: `acme-${run}` });
    expect(found.body.results.map((p: any) => p.slug)).toEqual([`acme-${run}`]);
    const { asc } = await expectOrderedByCreation(t, 'profiles_list', member);
    const page = await profiles(t, member, { page_size: 1 });
    expect(page.body.results).toHaveLength(1);
    expect(page.body.next).toMatch(/page=2/);
    const recent = await profiles(t, member, { start_at: asc[asc.length - 1] });
    expect(recent.body.results.every((p: any) => p.created_at >= asc[asc.length - 1])).toBe(true);
    expect((await profiles(t, member, { page: 99 })).status).toBe(404);
    expect((await profiles(t)).status).toBe(401);
  });
});

describe('GET, PUT, DELETE /api/profile/{organization}/', () => {
  it('a manager updates the profile; the change reads back; is_provider is not theirs to set', async ({
    t,
    manager,
    member,
  }) => {
    const res = await updateProfile(t, `acme-${run}`, member, {
      full_name: 'Acme Inc.',
      email: `ap-${run}@example.com`,
      street_address: '1 Rue de Rivoli',
      postal_code: '75001',
      country: 'FR',
      is_provider: true,
      extra: { plan: 'gold' },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      slug: `acme-${run}`,
      full_name: 'Acme Inc.',
      printable_name: 'Acme Inc.',
      street_address: '1 Rue de Rivoli',
      country: 'FR',
      is_provider: false,
      extra: { plan: 'gold' },
      subscriptions: [],
    });
    const read = await profile(t, `acme-${run}`, manager);
    expect(read.body).toMatchObject({ full_name: 'Acme Inc.', email: `ap-${run}@example.com`, postal_code: '75001' });
  });

  it('a new slug renames the profile: the old one is 404, its roles follow; a slug in use is 400', async ({
    t,
    manager,
    member,
  }) => {
    const renamed = await updateProfile(t, `given-${run}`, member, {
      slug: `renamed-${run}`,
      full_name: 'Renamed',
      email: `r-${run}@example.com`,
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body.slug).toBe(`renamed-${run}`);
    await expectStatus(404, profile(t, `given-${run}`, manager));
    await expectStatus(200, profile(t, `renamed-${run}`, member));
    const taken = await updateProfile(t, `renamed-${run}`, member, {
      slug: `acme-${run}`,
      full_name: 'X',
      email: 'x@example.com',
    });
    expect(taken.status).toBe(400);
    expect(taken.body).toEqual({ slug: ['A profile with this identifier already exists.'] });
  });

  it('answers 400 without full_name or email, and leaves the profile as it was', async ({ t, member }) => {
    const res = await updateProfile(t, `acme-${run}`, member, { full_name: 'Only Name' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ email: ['This field is required.'] });
    expect((await profile(t, `acme-${run}`, member)).body.full_name).toBe('Acme Inc.');
  });

  it('answers 403 to a user who manages nothing there (also for a profile that does not exist), 404 to a broker manager', async ({
    t,
    manager,
    stranger,
  }) => {
    for (const organization of [`acme-${run}`, `nothing-${run}`]) {
      for (const [operationId, body] of [
        ['profiles_retrieve', undefined],
        ['profiles_update', { full_name: 'Mine now', email: 'me@example.com' }],
        ['profiles_destroy', undefined],
      ] as const) {
        const res = await t.call(operationId, {
          params: { organization },
          headers: stranger.headers,
          ...(body ? { body } : {}),
        });
        expect(res.status, `${operationId} ${organization}`).toBe(403);
        expect(res.body).toEqual(FORBIDDEN);
      }
    }
    await expectStatus(404, profile(t, `nothing-${run}`, manager));
    expect((await profile(t, `acme-${run}`)).status).toBe(401);
  });

  it('DELETE archives the profile: 204, then 404 to a broker manager, and it leaves every list', async ({
    t,
    manager,
    member,
  }) => {
    await expectStatus(204, deleteProfile(t, `renamed-${run}`, member));
    await expectStatus(404, profile(t, `renamed-${run}`, manager));
    await expectStatus(404, deleteProfile(t, `renamed-${run}`, manager));
    const list = await profiles(t, member, { page_size: 100 });
    expect(list.body.results.map((p: any) => p.slug)).not.toContain(`renamed-${run}`);
    // The slug is free again.
    await expectStatus(201, createProfile(t, member, { slug: `renamed-${run}`, full_name: 'Reborn' }));
  });

  it('the broker profile cannot be deleted (403); a personal profile keeps its user when deleted', async ({
    skip,
    t,
    manager,
    strangerIfAny: stranger,
  }) => {
    needsStandin({ skip }, STANDIN_ONLY);
    needsStranger({ skip }, stranger);
    const broker = await deleteProfile(t, 'cowork', manager);
    expect(broker.status).toBe(403);
    expect((await profile(t, 'cowork', manager)).status).toBe(200);
    await expectStatus(204, deleteProfile(t, stranger.username, stranger.headers));
    await expectStatus(
      200,
      t.call('users_retrieve', { params: { user: stranger.username }, headers: stranger.headers }),
    );
  });

  it("xia's profile shows her current subscription to open-space, renewed by the clock", async ({
    skip,
    t,
    member,
  }) => {
    needsStandin({ skip }, STANDIN_ONLY);
    const res = await profile(t, 'xia', member);
    expect(res.status).toBe(200);
    expect(res.body.subscriptions).toEqual([
      { created_at: '2018-01-01T00:00:00Z', ends_at: expect.any(String), plan: 'open-space', auto_renew: true },
    ]);
    const now = (await t.admin<{ now: string }>('GET', '/clock')).now;
    expect(Date.parse(res.body.subscriptions[0].ends_at)).toBeGreaterThan(Date.parse(now));
    expect(res.body.subscriptions[0].ends_at).toMatch(/-01T00:00:00Z$/);
  });
});
