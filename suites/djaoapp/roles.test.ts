/**
 * DjaoApp roles: a profile's role descriptions (describe/), grants by username or e-mail with a grant_key the user
 * accepts once, requests with a request_key a manager grants, the user's accessibles, re-sent e-mails and
 * revocations. Each scenario works on profiles it creates, so it runs against any target; the outbox (the e-mails
 * "sent") is read on the mock only.
 */
import { describe, expect } from 'vitest';
import { it, ownOrganizations } from './session.ts';
import { expectStatus, needsStandin } from '../support/target.ts';
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
    const first = await t.call('roles_describe_create', {
      params: { organization: team },
      headers: member,
      body: { title: 'Team Lead' },
    });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      slug: 'team-lead',
      title: 'Team Lead',
      is_global: false,
      skip_optin_on_grant: false,
      organization: { slug: team },
      roles: [],
    });
    const second = await t.call('roles_describe_create', {
      params: { organization: team },
      headers: member,
      body: { title: 'Team Lead', skip_optin_on_grant: true },
    });
    expect(second.status).toBe(201);
    expect(second.body).toMatchObject({ slug: 'team-lead-1', skip_optin_on_grant: true });
    const read = await t.call('roles_describe_retrieve', {
      params: { organization: team, role: 'team-lead-1' },
      headers: member,
    });
    expect(read.body).toMatchObject({ slug: 'team-lead-1', title: 'Team Lead' });
    const list = await t.call('roles_describe_list', { params: { organization: team }, headers: member });
    expect(list.body.results.map((d: any) => d.slug)).toEqual(
      expect.arrayContaining(['manager', 'team-lead', 'team-lead-1']),
    );
    // Another profile does not see them.
    await expectStatus(
      404,
      t.call('roles_describe_retrieve', { params: { organization: shop, role: 'team-lead' }, headers: manager }),
    );
  });

  it('updates the title (the slug stays); 400 without a title; 404 for an unknown description', async ({
    t,
    member,
  }) => {
    const res = await t.call('roles_describe_update', {
      params: { organization: team, role: 'team-lead-1' },
      headers: member,
      body: { title: 'Squad Lead', extra: '{"color": "red"}' },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ slug: 'team-lead-1', title: 'Squad Lead', extra: '{"color": "red"}' });
    const missing = await t.call('roles_describe_update', {
      params: { organization: team, role: 'team-lead-1' },
      headers: member,
      body: {},
    });
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({ title: ['This field is required.'] });
    expect(
      (await t.call('roles_describe_create', { params: { organization: team }, headers: member, body: { title: '' } }))
        .body,
    ).toEqual({ title: ['This field may not be blank.'] });
    await expectStatus(
      404,
      t.call('roles_describe_update', {
        params: { organization: team, role: 'nope' },
        headers: member,
        body: { title: 'x' },
      }),
    );
  });

  it("the global manager description is the broker's: a profile's own managers get 403 changing or deleting it", async ({
    t,
    member,
  }) => {
    const put = await t.call('roles_describe_update', {
      params: { organization: team, role: 'manager' },
      headers: member,
      body: { title: 'Bosses' },
    });
    expect(put.status).toBe(403);
    const del = await t.call('roles_describe_destroy', {
      params: { organization: team, role: 'manager' },
      headers: member,
    });
    expect(del.status).toBe(403);
    const read = await t.call('roles_describe_retrieve', {
      params: { organization: team, role: 'manager' },
      headers: member,
    });
    expect(read.body.roles).toHaveLength(1);
  });

  it('answers 403 to a user with no role on the profile, 401 anonymously', async ({ skip, t, stranger }) => {
    needsStranger({ skip }, stranger);
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
    skip,
    t,
    member,
    stranger,
  }) => {
    needsStranger({ skip }, stranger);
    const res = await t.call('roles_grant', {
      params: { organization: team, role: 'manager' },
      headers: member,
      body: { slug: stranger.username, message: 'Join us' },
    });
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
    const again = await t.call('roles_grant', {
      params: { organization: team, role: 'manager' },
      headers: member,
      body: { slug: stranger.username },
    });
    expect(again.status).toBe(200);
    expect(again.body.grant_key).toBe(grantKey);
    // Pending: the stranger may not act as a manager yet.
    expect((await t.call('roles_list', { params: { organization: team }, headers: stranger.headers })).status).toBe(
      403,
    );
  });

  it('lists the roles with invited and requested counts; role_status filters; q searches', async ({
    skip,
    t,
    creds,
    member,
    stranger,
  }) => {
    needsStranger({ skip }, stranger);
    const all = await t.call('roles_list', { params: { organization: team }, headers: member });
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ invited_count: 1, requested_count: 0, count: 2 });
    const invited = await t.call('roles_list', {
      params: { organization: team },
      query: { role_status: 'invited' },
      headers: member,
    });
    expect(invited.body.results.map((r: any) => r.user.slug)).toEqual([stranger.username]);
    expect(invited.body.invited_count).toBe(1);
    const active = await t.call('roles_list', {
      params: { organization: team },
      query: { role_status: 'active' },
      headers: member,
    });
    expect(active.body.results.map((r: any) => r.user.slug)).toEqual([creds.member.username]);
    const byDescription = await t.call('roles_by_description_list', {
      params: { organization: team, role: 'manager' },
      query: { q: stranger.username },
      headers: member,
    });
    expect(byDescription.body.results.map((r: any) => r.user.slug)).toEqual([stranger.username]);
    expect(
      (
        await t.call('roles_by_description_list', {
          params: { organization: team, role: 'team-lead' },
          headers: member,
        })
      ).body.count,
    ).toBe(0);
    const ordered = await t.call('roles_list', {
      params: { organization: team },
      query: { o: '-username' },
      headers: member,
    });
    const names = ordered.body.results.map((r: any) => r.user.slug);
    expect(names).toEqual([...names].sort().reverse());
  });

  it('e-mails the grant with its key to the user (outbox)', async ({ skip, t, stranger }) => {
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
    skip,
    t,
    member,
    stranger,
  }) => {
    needsStranger({ skip }, stranger);
    const pending = await t.call('accessibles_list', {
      params: { user: stranger.username },
      query: { role_status: 'invited' },
      headers: stranger.headers,
    });
    expect(pending.body.results).toEqual([
      expect.objectContaining({
        slug: team,
        grant_key: grantKey,
        accept_grant_api_url: expect.stringMatching(
          new RegExp(`/api/users/${stranger.username}/accessibles/accept/${grantKey}/$`),
        ),
      }),
    ]);
    const res = await t.call('accessibles_accept', {
      params: { user: stranger.username, verification_key: grantKey },
      headers: stranger.headers,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      slug: team,
      grant_key: null,
      request_key: null,
      role_description: { slug: 'manager' },
      accept_grant_api_url: null,
    });
    const again = await t.call('accessibles_accept', {
      params: { user: stranger.username, verification_key: grantKey },
      headers: stranger.headers,
    });
    expect(again.status).toBe(404);
    expect(again.body).toEqual({ detail: 'Not found.' });
    expect((await t.call('roles_list', { params: { organization: team }, headers: stranger.headers })).status).toBe(
      200,
    );
    // Another user cannot accept for them.
    await expectStatus(
      403,
      t.call('accessibles_accept', {
        params: { user: stranger.username, verification_key: grantKey },
        headers: member,
      }),
    );
  });

  it('a description with skip_optin_on_grant grants at once, without a key', async ({
    skip,
    t,
    creds,
    manager,
    member,
    stranger,
  }) => {
    needsStranger({ skip }, stranger);
    const res = await t.call('roles_grant', {
      params: { organization: shop, role: 'manager' },
      headers: manager,
      body: { slug: stranger.username },
    });
    expect(res.body.grant_key).not.toBeNull();
    await t.call('roles_revoke', {
      params: { organization: shop, role: 'manager', user: stranger.username },
      headers: manager,
    });
    const direct = await t.call('roles_grant', {
      params: { organization: team, role: 'team-lead-1' },
      headers: member,
      body: { slug: creds.manager.username },
    });
    expect(direct.status).toBe(201);
    expect(direct.body).toMatchObject({ grant_key: null, role_description: { slug: 'team-lead-1' } });
    const read = await t.call('roles_describe_retrieve', {
      params: { organization: team, role: 'team-lead-1' },
      headers: member,
    });
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
    const byEmail = await t.call('roles_grant', {
      params: { organization: team, role: 'team-lead' },
      headers: member,
      body: { slug: me.body.email },
    });
    expect(byEmail.status).toBe(201);
    expect(byEmail.body.user.slug).toBe(creds.otherManager.username);
    const unknown = await t.call('roles_grant', {
      params: { organization: team, role: 'team-lead' },
      headers: member,
      body: { slug: `nobody-${run}` },
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ detail: `User nobody-${run} does not exist.` });
    await expectStatus(
      400,
      t.call('roles_grant', {
        params: { organization: team, role: 'team-lead' },
        headers: member,
        body: { slug: 'has spaces' },
      }),
    );
    expect(
      (
        await t.call('roles_grant', {
          params: { organization: team, role: 'team-lead' },
          headers: member,
          body: { slug: 'x', email: 'nope' },
        })
      ).body,
    ).toEqual({ email: ['Enter a valid email address.'] });
    expect(
      (await t.call('roles_grant', { params: { organization: team, role: 'team-lead' }, headers: member, body: {} }))
        .body,
    ).toEqual({ slug: ['This field is required.'] });
    await expectStatus(
      404,
      t.call('roles_grant', {
        params: { organization: team, role: 'nope' },
        headers: member,
        body: { slug: creds.manager.username },
      }),
    );
  });

  it('with ?force=1 and an e-mail an unknown user is created and invited', async ({ skip, t, member }) => {
    needsStandin({ skip }, STANDIN_ONLY);
    const res = await t.call('roles_grant', {
      params: { organization: team, role: 'team-lead' },
      query: { force: '1' },
      headers: member,
      body: { slug: `newbie-${run}@example.com`, full_name: 'New Bie' },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      user: { slug: `newbie-${run}`, email: `newbie-${run}@example.com`, full_name: 'New Bie' },
      grant_key: expect.any(String),
    });
    const noEmail = await t.call('roles_grant', {
      params: { organization: team, role: 'team-lead' },
      query: { force: '1' },
      headers: member,
      body: { slug: `ghost-${run}` },
    });
    expect(noEmail.status).toBe(400);
    expect(noEmail.body).toEqual({ email: ['We cannot invite a user without an e-mail address.'] });
  });

  it("re-sends a role's invite (200 with the role); 404 for a user without that role", async ({
    skip,
    t,
    creds,
    member,
    stranger,
  }) => {
    needsStranger({ skip }, stranger);
    const res = await t.call('roles_resend', {
      params: { organization: team, role: 'team-lead', user: creds.otherManager.username },
      headers: member,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      user: { slug: creds.otherManager.username },
      role_description: { slug: 'team-lead' },
      grant_key: expect.any(String),
    });
    await expectStatus(
      404,
      t.call('roles_resend', {
        params: { organization: team, role: 'team-lead', user: stranger.username },
        headers: member,
      }),
    );
    await expectStatus(
      404,
      t.call('roles_resend', {
        params: { organization: team, role: 'team-lead', user: `nobody-${run}` },
        headers: member,
      }),
    );
  });

  it('revokes a role: 204, gone from the lists; again 204; an unknown user 404', async ({ t, creds, member }) => {
    await expectStatus(
      204,
      t.call('roles_revoke', {
        params: { organization: team, role: 'team-lead', user: creds.otherManager.username },
        headers: member,
      }),
    );
    const list = await t.call('roles_by_description_list', {
      params: { organization: team, role: 'team-lead' },
      headers: member,
    });
    expect(list.body.results.map((r: any) => r.user.slug)).not.toContain(creds.otherManager.username);
    await expectStatus(
      204,
      t.call('roles_revoke', {
        params: { organization: team, role: 'team-lead', user: creds.otherManager.username },
        headers: member,
      }),
    );
    await expectStatus(
      404,
      t.call('roles_revoke', {
        params: { organization: team, role: 'team-lead', user: `nobody-${run}` },
        headers: member,
      }),
    );
  });

  it('deleting a description deletes its roles: 204, then 404', async ({ t, creds, member }) => {
    await expectStatus(
      204,
      t.call('roles_describe_destroy', { params: { organization: team, role: 'team-lead-1' }, headers: member }),
    );
    await expectStatus(
      404,
      t.call('roles_describe_retrieve', { params: { organization: team, role: 'team-lead-1' }, headers: member }),
    );
    await expectStatus(
      404,
      t.call('roles_describe_destroy', { params: { organization: team, role: 'team-lead-1' }, headers: member }),
    );
    const roles = await t.call('roles_list', { params: { organization: team }, headers: member });
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
    expect((await t.call('roles_list', { params: { organization: team } })).status).toBe(401);
  });
});

describe('requests (/api/users/{user}/accessibles/)', () => {
  let requestKey: string;

  it('a user requests a role on a profile by slug: 201 with a request_key and no description; again 200', async ({
    t,
    creds,
    member,
  }) => {
    const res = await t.call('accessibles_request', {
      params: { user: creds.member.username },
      headers: member,
      body: { slug: shop, message: 'Let me in' },
    });
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
    const again = await t.call('accessibles_request', {
      params: { user: creds.member.username },
      headers: member,
      body: { slug: shop },
    });
    expect(again.status).toBe(200);
    expect(again.body.request_key).toBe(requestKey);
  });

  it("the profile's managers see the request among its roles, with the URL that grants it", async ({
    t,
    creds,
    manager,
  }) => {
    const roles = await t.call('roles_list', {
      params: { organization: shop },
      query: { role_status: 'requested' },
      headers: manager,
    });
    expect(roles.body.requested_count).toBe(1);
    expect(roles.body.results).toEqual([
      expect.objectContaining({
        user: expect.objectContaining({ slug: creds.member.username }),
        request_key: requestKey,
        accept_request_api_url: expect.stringMatching(new RegExp(`/api/profile/${shop}/roles/manager/$`)),
      }),
    ]);
    const byDescription = await t.call('roles_by_description_list', {
      params: { organization: shop, role: 'manager' },
      headers: manager,
    });
    expect(byDescription.body.results.map((r: any) => r.user.slug)).toContain(creds.member.username);
  });

  it("e-mails the request to the profile's managers (outbox), and again when re-sent", async ({
    skip,
    t,
    creds,
    member,
  }) => {
    needsStandin({ skip }, STANDIN_ONLY);
    const res = await t.call('accessibles_resend', {
      params: { user: creds.member.username, role: 'manager', organization: shop },
      headers: member,
    });
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
    const res = await t.call('roles_grant', {
      params: { organization: shop, role: 'manager' },
      headers: manager,
      body: { slug: creds.member.username },
    });
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
    await expectStatus(
      204,
      t.call('accessibles_revoke', {
        params: { user: creds.member.username, role: 'manager', organization: shop },
        headers: member,
      }),
    );
    expect((await t.call('profiles_retrieve', { params: { organization: shop }, headers: member })).status).toBe(403);
    await expectStatus(
      204,
      t.call('accessibles_revoke', {
        params: { user: creds.member.username, role: 'manager', organization: shop },
        headers: member,
      }),
    );
    await expectStatus(
      404,
      t.call('accessibles_resend', {
        params: { user: creds.member.username, role: 'manager', organization: shop },
        headers: member,
      }),
    );
  });

  it('requests a role of a description by {"slug"} or {"organization"}; an unknown profile or description is 404', async ({
    t,
    creds,
    member,
  }) => {
    const res = await t.call('accessibles_by_role_request', {
      params: { user: creds.member.username, role: 'manager' },
      headers: member,
      body: { organization: shop },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      slug: shop,
      role_description: { slug: 'manager' },
      request_key: expect.any(String),
    });
    const again = await t.call('accessibles_by_role_request', {
      params: { user: creds.member.username, role: 'manager' },
      headers: member,
      body: { slug: shop },
    });
    expect(again.status).toBe(200);
    const unknownProfile = await t.call('accessibles_by_role_request', {
      params: { user: creds.member.username, role: 'manager' },
      headers: member,
      body: { slug: `nowhere-${run}` },
    });
    expect(unknownProfile.status).toBe(404);
    expect(unknownProfile.body).toEqual({ detail: `Profile nowhere-${run} does not exist.` });
    await expectStatus(
      404,
      t.call('accessibles_by_role_request', {
        params: { user: creds.member.username, role: 'nope' },
        headers: member,
        body: { slug: team },
      }),
    );
    await expectStatus(
      400,
      t.call('accessibles_by_role_request', {
        params: { user: creds.member.username, role: 'manager' },
        headers: member,
        body: {},
      }),
    );
    await t.call('accessibles_revoke', {
      params: { user: creds.member.username, role: 'manager', organization: shop },
      headers: member,
    });
  });

  it('answers 404 for an unknown profile, 400 naming neither slug nor e-mail, and finds a profile by e-mail', async ({
    t,
    creds,
    member,
  }) => {
    const unknown = await t.call('accessibles_request', {
      params: { user: creds.member.username },
      headers: member,
      body: { slug: `nowhere-${run}` },
    });
    expect(unknown.status).toBe(404);
    const neither = await t.call('accessibles_request', {
      params: { user: creds.member.username },
      headers: member,
      body: { message: 'hi' },
    });
    expect(neither.status).toBe(400);
    expect(neither.body).toEqual({ slug: ['This field is required.'] });
    const byEmail = await t.call('accessibles_request', {
      params: { user: creds.member.username },
      headers: member,
      body: { email: `${shop}@example.com` },
    });
    expect(byEmail.status).toBe(201);
    expect(byEmail.body.slug).toBe(shop);
    await t.call('accessibles_revoke', {
      params: { user: creds.member.username, role: 'manager', organization: shop },
      headers: member,
    });
  });

  it("lists a user's accessibles: searchable, orderable, with the invited and requested counts", async ({
    t,
    creds,
    member,
  }) => {
    const res = await t.call('accessibles_list', { params: { user: creds.member.username }, headers: member });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ invited_count: expect.any(Number), requested_count: expect.any(Number) });
    expect(res.body.results.map((r: any) => r.slug)).toContain(team);
    const found = await t.call('accessibles_list', {
      params: { user: creds.member.username },
      query: { q: team },
      headers: member,
    });
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
    skip,
    t,
    creds,
    manager,
    stranger,
  }) => {
    needsStranger({ skip }, stranger);
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
    expect((await t.call('accessibles_list', { params: { user: `nobody-${run}` }, headers: manager })).status).toBe(
      404,
    );
    expect((await t.call('accessibles_list', { params: { user: other } })).status).toBe(401);
  });
});
