/**
 * DjaoApp's organizations side on any target, with the configured users only: the broker `cowork` (its managers
 * donny and alice) and the member xia with her personal profile. Each scenario makes what it acts on under a name of
 * its own run (plans, role descriptions, roles, subscriptions) and undoes it, so a real backend is left as found and
 * a second run passes.
 */
import { describe, expect, it } from 'vitest';
import { broker, brokerPlan, cardToken, sessionWithCleanup, slugsOnEveryPage } from './portable.ts';
import { unique } from './target.ts';
import { expectStatus } from '../support/target.ts';

const { t, creds, manager, member, cleanup } = await sessionWithCleanup();
const run = unique();

/** A plan of the broker made for this run (see brokerPlan). */
const runPlan = (name: string, fields: Record<string, unknown> = {}) =>
  brokerPlan(t, manager, cleanup, { title: `${name} ${run}`, period_amount: 1500, ...fields });

/** A grant's body: the subscriber as the seed's example names it, slug and full name (0.11.0 requires the name). */
async function subscriberOf(slug: string): Promise<{ organization: { slug: string; full_name: string } }> {
  const profile = await t.call('profiles_retrieve', { params: { organization: slug }, headers: manager });
  return { organization: { slug, full_name: profile.body.full_name } };
}

describe("a provider's plans", () => {
  it('a manager creates a plan (slug from the title), reads, lists, updates and deletes it; then it is 404', async () => {
    const title = `Hot Desk ${run}`;
    const created = await t.call('plans_create', {
      params: { organization: broker },
      headers: manager,
      body: { title, period_amount: 2500, period_type: 'monthly' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      title,
      period_amount: 2500,
      period_type: 'monthly',
      organization: { slug: broker },
    });
    const plan = created.body.slug as string;
    expect(plan).toBe(`hot-desk-${run}`);
    const read = await t.call('plans_retrieve', { params: { organization: broker, plan }, headers: manager });
    expect([read.status, read.body.title]).toEqual([200, title]);
    expect(
      await slugsOnEveryPage(t, 'plans_list', {
        params: { organization: broker },
        query: { q: run },
        headers: manager,
      }),
    ).toContain(plan);
    const updated = await t.call('plans_update', {
      params: { organization: broker, plan },
      headers: manager,
      body: { description: 'By the window', is_active: true },
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ description: 'By the window', is_active: true });
    const pricing = await t.call('pricing_list', { headers: member });
    expect(pricing.status).toBe(200);
    expect(pricing.body.results.map((p: { slug: string }) => p.slug)).toContain(plan);
    expect((await t.call('plans_destroy', { params: { organization: broker, plan }, headers: manager })).status).toBe(
      204,
    );
    expect((await t.call('plans_retrieve', { params: { organization: broker, plan }, headers: manager })).status).toBe(
      404,
    );
  });

  it('a title already taken is 400; a member with no role on the provider gets 403', async () => {
    const plan = await runPlan('Taken');
    const again = await t.call('plans_create', {
      params: { organization: broker },
      headers: manager,
      body: { title: `Taken ${run}`, period_amount: 100 },
    });
    expect(again.status).toBe(400);
    await expectStatus(
      403,
      t.call('plans_update', { params: { organization: broker, plan }, headers: member, body: { title: 'Mine' } }),
    );
    expect((await t.call('plans_destroy', { params: { organization: broker, plan }, headers: member })).status).toBe(
      403,
    );
  });
});

describe('profiles', () => {
  it('a user reads and updates their personal profile; the change reads back, and is undone', async () => {
    const profile = { organization: creds.member.username };
    const read = await t.call('profiles_retrieve', { params: profile, headers: member });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ slug: creds.member.username, type: 'personal' });
    const { full_name, email, phone } = read.body;
    cleanup.add(() =>
      t.send('PUT', `/api/profile/${creds.member.username}/`, { headers: member, body: { full_name, email, phone } }),
    );
    const updated = await t.call('profiles_update', {
      params: profile,
      headers: member,
      body: { full_name, email, phone: '555-0199' },
    });
    expect(updated.status).toBe(200);
    expect((await t.call('profiles_retrieve', { params: profile, headers: member })).body.phone).toBe('555-0199');
  });

  it("a broker manager lists every profile and reads any; a member may not read the broker's", async () => {
    const all = await t.call('profiles_list', { headers: manager, query: { q: creds.member.username } });
    expect(all.status).toBe(200);
    expect(all.body.results.map((p: { slug: string }) => p.slug)).toContain(creds.member.username);
    await expectStatus(
      200,
      t.call('profiles_retrieve', { params: { organization: creds.member.username }, headers: manager }),
    );
    expect((await t.call('profiles_retrieve', { params: { organization: broker }, headers: member })).status).toBe(403);
  });

  it('a user lists the profiles they have a role on', async () => {
    const res = await t.call('users_profiles_list', { params: { user: creds.manager.username }, headers: manager });
    expect(res.status).toBe(200);
    expect(res.body.results.map((p: { slug: string }) => p.slug)).toContain(broker);
  });
});

/** An organization the member makes for this run (she manages it), deleted afterwards. */
/** The member sends her request for `role` on the broker again (200), then withdraws it (204). */
async function resendThenWithdraw(role: string): Promise<void> {
  const params = { user: creds.member.username, role, organization: broker };
  expect((await t.call('accessibles_resend', { params, headers: member })).status).toBe(200);
  expect((await t.call('accessibles_revoke', { params, headers: member })).status).toBe(204);
}

async function ownOrganization(name: string): Promise<{ organization: string }> {
  const res = await t.call('users_profiles_create', {
    params: { user: creds.member.username },
    headers: member,
    body: { full_name: `${name} ${run}` },
  });
  expect(res.status).toBe(201);
  const organization = res.body.slug as string;
  cleanup.add(() => t.send('DELETE', `/api/profile/${organization}/`, { headers: member }));
  return { organization };
}

describe("an organization of one's own", () => {
  it('its manager removes the card on file (200 with a detail), then deletes it: 204, and it is no longer among her profiles', async () => {
    const own = await ownOrganization('Own');
    const removed = await t.call('card_destroy', { params: own, headers: member });
    expect([removed.status, removed.body]).toEqual([200, { detail: 'Your credit card is no longer on file with us.' }]);
    expect((await t.call('profiles_destroy', { params: own, headers: member })).status).toBe(204);
    const mine = await t.call('users_profiles_list', { params: { user: creds.member.username }, headers: member });
    expect(mine.body.results.map((p: { slug: string }) => p.slug)).not.toContain(own.organization);
  });

  it('its manager puts a card on file, reads it back, and removes it', async () => {
    const own = await ownOrganization('Carded');
    const updated = await t.call('card_update', { params: own, headers: member, body: { token: cardToken } });
    expect(updated.status).toBe(200);
    expect(updated.body.last4).toEqual(expect.any(String));
    const read = await t.call('card_retrieve', { params: own, headers: member });
    expect([read.status, read.body.last4]).toEqual([200, updated.body.last4]);
    expect((await t.call('card_destroy', { params: own, headers: member })).status).toBe(200);
  });
});

describe('roles on the broker', () => {
  it('a manager describes a role, grants it to the member, who accepts it; then revokes it and deletes the description', async () => {
    const described = await t.call('roles_describe_create', {
      params: { organization: broker },
      headers: manager,
      body: { title: `Rv ${run}` },
    });
    expect(described.status).toBe(201);
    const role = described.body.slug as string;
    cleanup.add(() => t.send('DELETE', `/api/profile/${broker}/roles/describe/${role}/`, { headers: manager }));
    expect(
      (await t.call('roles_describe_retrieve', { params: { organization: broker, role }, headers: manager })).body
        .title,
    ).toBe(`Rv ${run}`);
    const renamed = await t.call('roles_describe_update', {
      params: { organization: broker, role },
      headers: manager,
      body: { title: `Rv ${run} B` },
    });
    expect([renamed.status, renamed.body.slug]).toEqual([200, role]);
    const descriptions = await t.call('roles_describe_list', { params: { organization: broker }, headers: manager });
    expect(descriptions.body.results.map((d: { slug: string }) => d.slug)).toContain(role);

    const granted = await t.call('roles_grant', {
      params: { organization: broker, role },
      headers: manager,
      body: { slug: creds.member.username },
    });
    expect(granted.status).toBe(201);
    cleanup.add(() =>
      t.send('DELETE', `/api/profile/${broker}/roles/${role}/${creds.member.username}/`, { headers: manager }),
    );
    const byRole = await t.call('roles_by_description_list', {
      params: { organization: broker, role },
      headers: manager,
    });
    // The profile's pending requests (no description yet) are listed too.
    expect(byRole.body.results.map((r: { user: { slug: string } }) => r.user.slug)).toContain(creds.member.username);
    await expectStatus(
      200,
      t.call('roles_resend', { params: { organization: broker, role, user: creds.member.username }, headers: manager }),
    );
    const invited = await t.call('accessibles_by_role_list', {
      params: { user: creds.member.username, role },
      headers: member,
    });
    expect(invited.body.results.map((r: { organization: { slug: string } }) => r.organization.slug)).toEqual([broker]);
    // The key goes to the user by e-mail; the profile's managers see it among the roles.
    const grantKey = byRole.body.results.find(
      (r: { user: { slug: string } }) => r.user.slug === creds.member.username,
    )?.grant_key;
    expect(grantKey).toMatch(/^[0-9a-f]{40}$/);
    const accepted = await t.call('accessibles_accept', {
      params: { user: creds.member.username, verification_key: grantKey },
      headers: member,
    });
    expect(accepted.status).toBe(200);
    await expectStatus(
      404,
      t.call('accessibles_accept', {
        params: { user: creds.member.username, verification_key: grantKey },
        headers: member,
      }),
    );
    const roles = await t.call('roles_list', {
      params: { organization: broker },
      query: { q: creds.member.username },
      headers: manager,
    });
    expect(
      roles.body.results.some(
        (r: any) => r.user.slug === creds.member.username && r.role_description?.slug === role && r.grant_key === null,
      ),
    ).toBe(true);

    await expectStatus(
      204,
      t.call('roles_revoke', { params: { organization: broker, role, user: creds.member.username }, headers: manager }),
    );
    expect(
      (await t.call('accessibles_by_role_list', { params: { user: creds.member.username, role }, headers: member }))
        .body.results,
    ).toEqual([]);
    await expectStatus(
      204,
      t.call('roles_describe_destroy', { params: { organization: broker, role }, headers: manager }),
    );
    await expectStatus(
      404,
      t.call('roles_describe_retrieve', { params: { organization: broker, role }, headers: manager }),
    );
  });

  it("a description's title is 20 characters at most: 400 beyond, and nothing is made", async () => {
    const long = await t.call('roles_describe_create', {
      params: { organization: broker },
      headers: manager,
      body: { title: `L${run}`.padEnd(21, 'x') },
    });
    expect([long.status, long.body]).toEqual([400, { title: ['Ensure this field has no more than 20 characters.'] }]);
  });

  it('the member requests a role on the broker, sees the request, and withdraws it', async () => {
    const described = await t.call('roles_describe_create', {
      params: { organization: broker },
      headers: manager,
      body: { title: `Vi ${run}` },
    });
    const role = described.body.slug as string;
    cleanup.add(() => t.send('DELETE', `/api/profile/${broker}/roles/describe/${role}/`, { headers: manager }));
    const requested = await t.call('accessibles_by_role_request', {
      params: { user: creds.member.username, role },
      headers: member,
      body: { slug: broker },
    });
    expect(requested.status).toBe(201);
    cleanup.add(() =>
      t.send('DELETE', `/api/users/${creds.member.username}/accessibles/${role}/${broker}/`, { headers: member }),
    );
    const mine = await t.call('accessibles_list', {
      params: { user: creds.member.username },
      query: { q: broker },
      headers: member,
    });
    expect(mine.status).toBe(200);
    expect(
      mine.body.results.some(
        (r: { organization: { slug: string }; request_key: string | null }) =>
          r.organization.slug === broker && r.request_key !== null,
      ),
    ).toBe(true);
    await resendThenWithdraw(role);
    expect(
      (await t.call('accessibles_by_role_list', { params: { user: creds.member.username, role }, headers: member }))
        .body.results,
    ).toEqual([]);
  });

  it("a role without a description: the member asks to join, the broker's managers see the request", async () => {
    const requested = await t.call('accessibles_request', {
      params: { user: creds.member.username },
      headers: member,
      body: { slug: broker },
    });
    expect(requested.status).toBe(201);
    cleanup.add(() =>
      t.send('DELETE', `/api/users/${creds.member.username}/accessibles/manager/${broker}/`, { headers: member }),
    );
    const requests = await t.call('roles_list', {
      params: { organization: broker },
      query: { role_status: 'requested' },
      headers: manager,
    });
    expect(requests.status).toBe(200);
    expect(requests.body.results.map((r: { user: { slug: string } }) => r.user.slug)).toContain(creds.member.username);
    const mine = await t.call('accessibles_list', {
      params: { user: creds.member.username },
      query: { role_status: 'requested' },
      headers: member,
    });
    expect(mine.status).toBe(200);
    const role = requested.body.role_description?.slug ?? 'manager';
    await resendThenWithdraw(role);
  });
});

describe("subscriptions to the broker's plans", () => {
  it('a manager grants the member a subscription; both sides read and update it; the member cancels it', async () => {
    const plan = await runPlan('Grant');
    const subscriber = creds.member.username;
    const granted = await t.call('plan_subscriptions_create', {
      params: { organization: broker, plan },
      headers: manager,
      body: await subscriberOf(subscriber),
    });
    expect(granted.status).toBe(201);
    expect(granted.body).toMatchObject({ organization: { slug: subscriber }, plan: { slug: plan } });
    cleanup.add(() =>
      t.send('DELETE', `/api/profile/${broker}/plans/${plan}/subscriptions/${subscriber}/`, { headers: manager }),
    );
    const provided = await t.call('plan_subscriptions_list', {
      params: { organization: broker, plan },
      headers: manager,
    });
    expect(provided.body.results.map((s: any) => s.organization.slug)).toEqual([subscriber]);
    const read = await t.call('plan_subscription_retrieve', {
      params: { organization: broker, plan, subscriber },
      headers: manager,
    });
    expect(read.status).toBe(200);
    const noted = await t.call('plan_subscription_update', {
      params: { organization: broker, plan, subscriber },
      headers: manager,
      body: { ends_at: read.body.ends_at, description: `granted ${run}` },
    });
    expect([noted.status, noted.body.description]).toEqual([200, `granted ${run}`]);
    const subscribers = await t.call('subscribers_list', {
      params: { organization: broker },
      query: { q: subscriber },
      headers: manager,
    });
    expect(subscribers.status).toBe(200);

    const mine = await t.call('subscriptions_list', { params: { organization: subscriber }, headers: member });
    expect(mine.body.results.map((s: any) => s.plan.slug)).toContain(plan);
    const own = await t.call('subscription_retrieve', {
      params: { organization: subscriber, subscribed_plan: plan },
      headers: member,
    });
    expect([own.status, own.body.plan.slug]).toEqual([200, plan]);
    const renewOff = await t.call('subscription_update', {
      params: { organization: subscriber, subscribed_plan: plan },
      headers: member,
      body: { ends_at: own.body.ends_at, auto_renew: false },
    });
    expect([renewOff.status, renewOff.body.auto_renew]).toEqual([200, false]);
    await expectStatus(
      204,
      t.call('subscription_destroy', { params: { organization: subscriber, subscribed_plan: plan }, headers: member }),
    );
  });

  it('the provider ends a subscription it granted', async () => {
    const plan = await runPlan('Ended');
    const subscriber = creds.member.username;
    await expectStatus(
      201,
      t.call('plan_subscriptions_create', {
        params: { organization: broker, plan },
        headers: manager,
        body: await subscriberOf(subscriber),
      }),
    );
    await expectStatus(
      204,
      t.call('plan_subscription_destroy', { params: { organization: broker, plan, subscriber }, headers: manager }),
    );
  });
});

describe("the broker's typeaheads", () => {
  it('lists accounts, profiles and users to a broker manager', async () => {
    for (const operationId of ['accounts_list', 'accounts_profiles_list', 'accounts_users_list'] as const) {
      const res = await t.call(operationId, { headers: manager });
      expect(res.status, operationId).toBe(200);
      expect(res.body.results, operationId).toEqual(expect.any(Array));
    }
  });
});
