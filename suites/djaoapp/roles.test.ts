/**
 * DjaoApp roles: a profile's role descriptions (describe/), grants by username or e-mail with a grant_key the user
 * accepts once, requests with a request_key a manager grants, the user's accessibles, re-sent e-mails and
 * revocations. Each scenario works on profiles it creates, so it runs against any target; the outbox (the e-mails
 * "sent") is read on the mock only.
 */
import { describe, expect } from 'vitest';
import { it, ownOrganizations } from './session.ts';
import { type ConformanceTarget, expectStatus, needsStandin } from '../support/target.ts';
import { outbox, unique } from './target.ts';
import { needsStranger, strangerIfRegistering } from './portable.ts';

const STANDIN_ONLY = "the outbox and the fixtures' users";

const run = unique();
/** An organization the member manages, and one the broker manager manages. */
const team = `team-${run}`;
const shop = `shop-${run}`;

ownOrganizations(
  { slug: team, full_name: team.toUpperCase(), by: 'member' },
  { slug: shop, full_name: shop.toUpperCase(), by: 'manager' },
);

const FORBIDDEN = { detail: 'You do not have permission to perform this action.' };

type Headers = Record<string, string>;
type Query = Record<string, string>;

// A profile's side: its role descriptions, and the roles it grants (/api/profile/{organization}/roles/...).
const describeRole = (t: ConformanceTarget, organization: string, headers: Headers, body: unknown) =>
  t.call('roles_describe_create', { params: { organization }, headers, body });
const description = (t: ConformanceTarget, organization: string, role: string, headers: Headers) =>
  t.call('roles_describe_retrieve', { params: { organization, role }, headers });
const updateDescription = (t: ConformanceTarget, organization: string, role: string, headers: Headers, body: unknown) =>
  t.call('roles_describe_update', { params: { organization, role }, headers, body });
const deleteDescription = (t: ConformanceTarget, organization: string, role: string, headers: Headers) =>
  t.call('roles_describe_destroy', { params: { organization, role }, headers });
const rolesOn = (t: ConformanceTarget, organization: string, headers?: Headers, query?: Query) =>
  t.call('roles_list', { params: { organization }, headers, query });
const rolesOf = (t: ConformanceTarget, organization: string, role: string, headers: Headers, query?: Query) =>
  t.call('roles_by_description_list', { params: { organization, role }, headers, query });
const grant = (
  t: ConformanceTarget,
  organization: string,
  role: string,
  headers: Headers,
  body: unknown,
  query?: Query,
) => t.call('roles_grant', { params: { organization, role }, headers, body, query });
const resendGrant = (t: ConformanceTarget, organization: string, role: string, user: string, headers: Headers) =>
  t.call('roles_resend', { params: { organization, role, user }, headers });
const revoke = (t: ConformanceTarget, organization: string, role: string, user: string, headers: Headers) =>
  t.call('roles_revoke', { params: { organization, role, user }, headers });

// A user's side: the profiles they have a role on, or ask one of (/api/users/{user}/accessibles/...).
const accessibles = (t: ConformanceTarget, user: string, headers?: Headers, query?: Query) =>
  t.call('accessibles_list', { params: { user }, headers, query });
const accept = (t: ConformanceTarget, user: string, verification_key: string, headers: Headers) =>
  t.call('accessibles_accept', { params: { user, verification_key }, headers });
const requestRole = (t: ConformanceTarget, user: string, headers: Headers, body: unknown) =>
  t.call('accessibles_request', { params: { user }, headers, body });
const requestRoleOf = (t: ConformanceTarget, user: string, role: string, headers: Headers, body: unknown) =>
  t.call('accessibles_by_role_request', { params: { user, role }, headers, body });
const resendRequest = (t: ConformanceTarget, user: string, role: string, organization: string, headers: Headers) =>
  t.call('accessibles_resend', { params: { user, role, organization }, headers });
const leave = (t: ConformanceTarget, user: string, role: string, organization: string, headers: Headers) =>
  t.call('accessibles_revoke', { params: { user, role, organization }, headers });

describe('role descriptions (/api/profile/{organization}/roles/describe/)', () => {
  it('a profile sees the global manager description, with its roles there', async ({ t, creds, member }) => {
    const res = await t.call('roles_describe_list', { params: { organization: team }, headers: member });
    expect(res.status).toBe(200);
    const managers = res.body.results.find((d: any) => d.slug === 'manager');
    expect(managers).toMatchObject({ is_global: true, organization: null });
    expect(managers.roles.map((r: any) => r.user.slug)).toEqual([creds.member.username]);
  });

  it('creates a description with a slug from its title (suffixed when taken); it reads back and is listed', async ({
    t,
    manager,
    member,
  }) => {
    const first = await describeRole(t, team, member, { title: 'Team Lead' });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      slug: 'team-lead',
      title: 'Team Lead',
      is_global: false,
      skip_optin_on_grant: false,
      organization: { slug: team },
      roles: [],
    });
    const second = await describeRole(t, team, member, { title: 'Team Lead', skip_optin_on_grant: true });
    expect(second.status).toBe(201);
    expect(second.body).toMatchObject({ slug: 'team-lead-1', skip_optin_on_grant: true });
    const read = await description(t, team, 'team-lead-1', member);
    expect(read.body).toMatchObject({ slug: 'team-lead-1', title: 'Team Lead' });
    const list = await t.call('roles_describe_list', { params: { organization: team }, headers: member });
    expect(list.body.results.map((d: any) => d.slug)).toEqual(
      expect.arrayContaining(['manager', 'team-lead', 'team-lead-1']),
    );
    // Another profile does not see them.
    await expectStatus(404, description(t, shop, 'team-lead', manager));
  });

  it('updates the title (the slug stays); 400 without a title; 404 for an unknown description', async ({
    t,
    member,
  }) => {
    const res = await updateDescription(t, team, 'team-lead-1', member, {
      title: 'Squad Lead',
      extra: '{"color": "red"}',
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ slug: 'team-lead-1', title: 'Squad Lead', extra: '{"color": "red"}' });
    const missing = await updateDescription(t, team, 'team-lead-1', member, {});
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({ title: ['This field is required.'] });
    expect((await describeRole(t, team, member, { title: '' })).body).toEqual({
      title: ['This field may not be blank.'],
    });
    await expectStatus(404, updateDescription(t, team, 'nope', member, { title: 'x' }));
  });

  it("the global manager description is the broker's: a profile's own managers get 403 changing or deleting it", async ({
    t,
    member,
  }) => {
    const put = await updateDescription(t, team, 'manager', member, { title: 'Bosses' });
    expect(put.status).toBe(403);
    const del = await deleteDescription(t, team, 'manager', member);
    expect(del.status).toBe(403);
    const read = await description(t, team, 'manager', member);
    expect(read.body.roles).toHaveLength(1);
  });

  it('answers 403 to a user with no role on the profile, 401 anonymously', async ({ t, stranger }) => {
    for (const [operationId, params, body] of [
      ['roles_describe_list', { organization: team }, undefined],
      ['roles_describe_create', { organization: team }, { title: 'Intruder' }],
      ['roles_describe_retrieve', { organization: team, role: 'team-lead' }, undefined],
      ['roles_describe_update', { organization: team, role: 'team-lead' }, { title: 'Intruder' }],
      ['roles_describe_destroy', { organization: team, role: 'team-lead' }, undefined],
    ] as const) {
      const res = await t.call(operationId, { params, headers: stranger.headers, ...(body ? { body } : {}) });
      expect(res.status, operationId).toBe(403);
      expect(res.body).toEqual(FORBIDDEN);
    }
    expect((await t.call('roles_describe_list', { params: { organization: team } })).status).toBe(401);
  });
});

describe('grants (/api/profile/{organization}/roles/{role}/)', () => {
  let grantKey: string;

  it('grants the manager role to a user by username: 201 with a grant_key, pending until accepted; again is 200', async ({
    t,
    member,
    stranger,
  }) => {
    const res = await grant(t, team, 'manager', member, { slug: stranger.username, message: 'Join us' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      slug: stranger.username,
      user: { slug: stranger.username },
      organization: { slug: team },
      role_description: { slug: 'manager' },
      request_key: null,
    });
    grantKey = res.body.grant_key;
    expect(grantKey).toMatch(/^[0-9a-f]{40}$/);
    const again = await grant(t, team, 'manager', member, { slug: stranger.username });
    expect(again.status).toBe(200);
    expect(again.body.grant_key).toBe(grantKey);
    // Pending: the stranger may not act as a manager yet.
    expect((await rolesOn(t, team, stranger.headers)).status).toBe(403);
  });

  it('lists the roles with invited and requested counts; role_status filters; q searches', async ({
    t,
    creds,
    member,
    stranger,
  }) => {
    const all = await rolesOn(t, team, member);
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ invited_count: 1, requested_count: 0, count: 2 });
    const invited = await rolesOn(t, team, member, { role_status: 'invited' });
    expect(invited.body.results.map((r: any) => r.user.slug)).toEqual([stranger.username]);
    expect(invited.body.invited_count).toBe(1);
    const active = await rolesOn(t, team, member, { role_status: 'active' });
    expect(active.body.results.map((r: any) => r.user.slug)).toEqual([creds.member.username]);
    const byDescription = await rolesOf(t, team, 'manager', member, { q: stranger.username });
    expect(byDescription.body.results.map((r: any) => r.user.slug)).toEqual([stranger.username]);
    expect((await rolesOf(t, team, 'team-lead', member)).body.count).toBe(0);
    const ordered = await rolesOn(t, team, member, { o: '-username' });
    const names = ordered.body.results.map((r: any) => r.user.slug);
    expect(names).toEqual([...names].sort().reverse());
  });

  it('e-mails the grant with its key to the user (outbox)', async ({ skip, t, strangerIfAny: stranger }) => {
    needsStandin({ skip }, STANDIN_ONLY);
    needsStranger({ skip }, stranger);
    const sent = (await outbox(t)).filter(
      (e) => e.template === 'role_grant_created' && e.context.grant_key === grantKey,
    );
    expect(sent).toHaveLength(1);
    expect(sent[0]!.to).toEqual([`${stranger.username}@example.com`]);
    expect(sent[0]!.body).toContain(`/api/users/${stranger.username}/accessibles/accept/${grantKey}/`);
  });

  it('the user accepts with the key: 200 then 404; the role is active and the user manages the profile', async ({
    t,
    member,
    stranger,
  }) => {
    const pending = await accessibles(t, stranger.username, stranger.headers, { role_status: 'invited' });
    expect(pending.body.results).toEqual([
      expect.objectContaining({
        slug: team,
        grant_key: grantKey,
        accept_grant_api_url: expect.stringMatching(
          new RegExp(`/api/users/${stranger.username}/accessibles/accept/${grantKey}/$`),
        ),
      }),
    ]);
    const res = await accept(t, stranger.username, grantKey, stranger.headers);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      slug: team,
      grant_key: null,
      request_key: null,
      role_description: { slug: 'manager' },
      accept_grant_api_url: null,
    });
    const again = await accept(t, stranger.username, grantKey, stranger.headers);
    expect(again.status).toBe(404);
    expect(again.body).toEqual({ detail: 'Not found.' });
    expect((await rolesOn(t, team, stranger.headers)).status).toBe(200);
    // Another user cannot accept for them.
    await expectStatus(403, accept(t, stranger.username, grantKey, member));
  });

  it('a description with skip_optin_on_grant grants at once, without a key', async ({
    t,
    creds,
    manager,
    member,
    stranger,
  }) => {
    const res = await grant(t, shop, 'manager', manager, { slug: stranger.username });
    expect(res.body.grant_key).not.toBeNull();
    await revoke(t, shop, 'manager', stranger.username, manager);
    const direct = await grant(t, team, 'team-lead-1', member, { slug: creds.manager.username });
    expect(direct.status).toBe(201);
    expect(direct.body).toMatchObject({ grant_key: null, role_description: { slug: 'team-lead-1' } });
    const read = await description(t, team, 'team-lead-1', member);
    expect(read.body.roles).toEqual([
      expect.objectContaining({ user: expect.objectContaining({ slug: creds.manager.username }), grant_key: null }),
    ]);
  });

  it('grants by e-mail address; an unknown user is 404; a bad slug or e-mail is 400', async ({
    t,
    creds,
    manager,
    member,
  }) => {
    const me = await t.call('users_retrieve', { params: { user: creds.otherManager.username }, headers: manager });
    const byEmail = await grant(t, team, 'team-lead', member, { slug: me.body.email });
    expect(byEmail.status).toBe(201);
    expect(byEmail.body.user.slug).toBe(creds.otherManager.username);
    const unknown = await grant(t, team, 'team-lead', member, { slug: `nobody-${run}` });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ detail: `User nobody-${run} does not exist.` });
    await expectStatus(400, grant(t, team, 'team-lead', member, { slug: 'has spaces' }));
    expect((await grant(t, team, 'team-lead', member, { slug: 'x', email: 'nope' })).body).toEqual({
      email: ['Enter a valid email address.'],
    });
    expect((await grant(t, team, 'team-lead', member, {})).body).toEqual({ slug: ['This field is required.'] });
    await expectStatus(404, grant(t, team, 'nope', member, { slug: creds.manager.username }));
  });

  it('with ?force=1 and an e-mail an unknown user is created and invited', async ({ skip, t, member }) => {
    needsStandin({ skip }, STANDIN_ONLY);
    const res = await grant(
      t,
      team,
      'team-lead',
      member,
      { slug: `newbie-${run}@example.com`, full_name: 'New Bie' },
      { force: '1' },
    );
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      user: { slug: `newbie-${run}`, email: `newbie-${run}@example.com`, full_name: 'New Bie' },
      grant_key: expect.any(String),
    });
    const noEmail = await grant(t, team, 'team-lead', member, { slug: `ghost-${run}` }, { force: '1' });
    expect(noEmail.status).toBe(400);
    expect(noEmail.body).toEqual({ email: ['We cannot invite a user without an e-mail address.'] });
  });

  it("re-sends a role's invite (200 with the role); 404 for a user without that role", async ({
    t,
    creds,
    member,
    stranger,
  }) => {
    const res = await resendGrant(t, team, 'team-lead', creds.otherManager.username, member);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      user: { slug: creds.otherManager.username },
      role_description: { slug: 'team-lead' },
      grant_key: expect.any(String),
    });
    await expectStatus(404, resendGrant(t, team, 'team-lead', stranger.username, member));
    await expectStatus(404, resendGrant(t, team, 'team-lead', `nobody-${run}`, member));
  });

  it('revokes a role: 204, gone from the lists; again 204; an unknown user 404', async ({ t, creds, member }) => {
    await expectStatus(204, revoke(t, team, 'team-lead', creds.otherManager.username, member));
    const list = await rolesOf(t, team, 'team-lead', member);
    expect(list.body.results.map((r: any) => r.user.slug)).not.toContain(creds.otherManager.username);
    await expectStatus(204, revoke(t, team, 'team-lead', creds.otherManager.username, member));
    await expectStatus(404, revoke(t, team, 'team-lead', `nobody-${run}`, member));
  });

  it('deleting a description deletes its roles: 204, then 404', async ({ t, creds, member }) => {
    await expectStatus(204, deleteDescription(t, team, 'team-lead-1', member));
    await expectStatus(404, description(t, team, 'team-lead-1', member));
    await expectStatus(404, deleteDescription(t, team, 'team-lead-1', member));
    const roles = await rolesOn(t, team, member);
    expect(roles.body.results.map((r: any) => r.user.slug)).not.toContain(creds.manager.username);
  });

  it('answers 403 to a user with no role on the profile (grants, re-sends, revocations, lists), 401 anonymously', async ({
    skip,
    t,
    creds,
  }) => {
    const outsider = await strangerIfRegistering(t, 'outsider');
    needsStranger({ skip }, outsider);
    for (const [operationId, params, body] of [
      ['roles_list', { organization: team }, undefined],
      ['roles_by_description_list', { organization: team, role: 'manager' }, undefined],
      ['roles_grant', { organization: team, role: 'manager' }, { slug: outsider.username }],
      ['roles_resend', { organization: team, role: 'manager', user: creds.member.username }, undefined],
      ['roles_revoke', { organization: team, role: 'manager', user: creds.member.username }, undefined],
    ] as const) {
      const res = await t.call(operationId, { params, headers: outsider.headers, ...(body ? { body } : {}) });
      expect(res.status, operationId).toBe(403);
      expect(res.body).toEqual(FORBIDDEN);
    }
    expect((await rolesOn(t, team)).status).toBe(401);
  });
});

describe('requests (/api/users/{user}/accessibles/)', () => {
  let requestKey: string;

  it('a user requests a role on a profile by slug: 201 with a request_key and no description; again 200', async ({
    t,
    creds,
    member,
  }) => {
    const res = await requestRole(t, creds.member.username, member, { slug: shop, message: 'Let me in' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      slug: shop,
      organization: { slug: shop, type: 'organization' },
      role_description: null,
      grant_key: null,
      user: { slug: creds.member.username },
    });
    requestKey = res.body.request_key;
    expect(requestKey).toMatch(/^[0-9a-f]{40}$/);
    const again = await requestRole(t, creds.member.username, member, { slug: shop });
    expect(again.status).toBe(200);
    expect(again.body.request_key).toBe(requestKey);
  });

  it("the profile's managers see the request among its roles, with the URL that grants it", async ({
    t,
    creds,
    manager,
  }) => {
    const roles = await rolesOn(t, shop, manager, { role_status: 'requested' });
    expect(roles.body.requested_count).toBe(1);
    expect(roles.body.results).toEqual([
      expect.objectContaining({
        user: expect.objectContaining({ slug: creds.member.username }),
        request_key: requestKey,
        accept_request_api_url: expect.stringMatching(new RegExp(`/api/profile/${shop}/roles/manager/$`)),
      }),
    ]);
    const byDescription = await rolesOf(t, shop, 'manager', manager);
    expect(byDescription.body.results.map((r: any) => r.user.slug)).toContain(creds.member.username);
  });

  it("e-mails the request to the profile's managers (outbox), and again when re-sent", async ({
    skip,
    t,
    creds,
    member,
  }) => {
    needsStandin({ skip }, STANDIN_ONLY);
    const res = await resendRequest(t, creds.member.username, 'manager', shop, member);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ request_key: requestKey, role_description: null });
    const sent = (await outbox(t)).filter(
      (e) => e.template === 'role_request_created' && e.context.request_key === requestKey,
    );
    expect(sent).toHaveLength(2);
    expect(sent[0]!.context.message).toBe('Let me in');
  });

  it('a manager grants the requested role: accepted at once, no key; the user now manages the profile', async ({
    t,
    creds,
    manager,
    member,
  }) => {
    const res = await grant(t, shop, 'manager', manager, { slug: creds.member.username });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ request_key: null, grant_key: null, role_description: { slug: 'manager' } });
    const mine = await t.call('accessibles_by_role_list', {
      params: { user: creds.member.username, role: 'manager' },
      headers: member,
    });
    expect(mine.body.results.map((r: any) => r.slug)).toContain(shop);
    expect((await t.call('profiles_retrieve', { params: { organization: shop }, headers: member })).status).toBe(200);
  });

  it('a user leaves a profile: 204, every role of theirs there goes; again 204', async ({ t, creds, member }) => {
    await expectStatus(204, leave(t, creds.member.username, 'manager', shop, member));
    expect((await t.call('profiles_retrieve', { params: { organization: shop }, headers: member })).status).toBe(403);
    await expectStatus(204, leave(t, creds.member.username, 'manager', shop, member));
    await expectStatus(404, resendRequest(t, creds.member.username, 'manager', shop, member));
  });

  it('requests a role of a description by {"slug"} or {"organization"}; an unknown profile or description is 404', async ({
    t,
    creds,
    member,
  }) => {
    const res = await requestRoleOf(t, creds.member.username, 'manager', member, { organization: shop });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      slug: shop,
      role_description: { slug: 'manager' },
      request_key: expect.any(String),
    });
    const again = await requestRoleOf(t, creds.member.username, 'manager', member, { slug: shop });
    expect(again.status).toBe(200);
    const unknownProfile = await requestRoleOf(t, creds.member.username, 'manager', member, { slug: `nowhere-${run}` });
    expect(unknownProfile.status).toBe(404);
    expect(unknownProfile.body).toEqual({ detail: `Profile nowhere-${run} does not exist.` });
    await expectStatus(404, requestRoleOf(t, creds.member.username, 'nope', member, { slug: team }));
    await expectStatus(400, requestRoleOf(t, creds.member.username, 'manager', member, {}));
    await leave(t, creds.member.username, 'manager', shop, member);
  });

  it('answers 404 for an unknown profile, 400 naming neither slug nor e-mail, and finds a profile by e-mail', async ({
    t,
    creds,
    member,
  }) => {
    const unknown = await requestRole(t, creds.member.username, member, { slug: `nowhere-${run}` });
    expect(unknown.status).toBe(404);
    const neither = await requestRole(t, creds.member.username, member, { message: 'hi' });
    expect(neither.status).toBe(400);
    expect(neither.body).toEqual({ slug: ['This field is required.'] });
    const byEmail = await requestRole(t, creds.member.username, member, { email: `${shop}@example.com` });
    expect(byEmail.status).toBe(201);
    expect(byEmail.body.slug).toBe(shop);
    await leave(t, creds.member.username, 'manager', shop, member);
  });

  it("lists a user's accessibles: searchable, orderable, with the invited and requested counts", async ({
    t,
    creds,
    member,
  }) => {
    const res = await accessibles(t, creds.member.username, member);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ invited_count: expect.any(Number), requested_count: expect.any(Number) });
    expect(res.body.results.map((r: any) => r.slug)).toContain(team);
    const found = await accessibles(t, creds.member.username, member, { q: team });
    expect(found.body.results.map((r: any) => r.slug)).toEqual([team]);
    expect(found.body.results[0]).toMatchObject({
      printable_name: team.toUpperCase(),
      email: `${team}@example.com`,
      remove_api_url: expect.stringMatching(
        new RegExp(`/api/users/${creds.member.username}/accessibles/manager/${team}/$`),
      ),
    });
  });

  it('answers 403 when acting for another user, 404 for an unknown user (to a broker manager), 401 anonymously', async ({
    t,
    creds,
    manager,
    stranger,
  }) => {
    const other = creds.member.username;
    for (const [operationId, params, body] of [
      ['accessibles_list', { user: other }, undefined],
      ['accessibles_request', { user: other }, { slug: team }],
      ['accessibles_accept', { user: other, verification_key: 'whatever' }, undefined],
      ['accessibles_by_role_list', { user: other, role: 'manager' }, undefined],
      ['accessibles_by_role_request', { user: other, role: 'manager' }, { slug: team }],
      ['accessibles_resend', { user: other, role: 'manager', organization: team }, undefined],
      ['accessibles_revoke', { user: other, role: 'manager', organization: team }, undefined],
    ] as const) {
      const res = await t.call(operationId, { params, headers: stranger.headers, ...(body ? { body } : {}) });
      expect(res.status, operationId).toBe(403);
      expect(res.body).toEqual(FORBIDDEN);
    }
    expect((await accessibles(t, `nobody-${run}`, manager)).status).toBe(404);
    expect((await accessibles(t, other)).status).toBe(401);
  });
});
