/**
 * DjaoApp subscriptions, from the provider's side (plans/{plan}/subscriptions/, subscribers/, subscribers/accept/)
 * and the subscriber's (subscriptions/): a grant with a grant_key the subscriber accepts, periods from the plan's
 * interval and period_length, updates, cancellation, active and churned by the sandbox clock, and the
 * grant → accept → renew → cancel → churned flow driven by the clock (mock only, through the admin API).
 */
import { beforeEach, describe, expect } from 'vitest';
import { it, ownOrganizations } from './session.ts';
import { type ConformanceTarget, expectStatus, needsStandin } from '../support/target.ts';
import { type DjaoappCredentials, login, outbox, unique } from './target.ts';
import { needsStranger, strangerIfRegistering } from './portable.ts';
import {
  cancelSubscription,
  grantSubscription,
  planSubscription,
  planSubscriptions,
  subscribersOf,
  subscription,
  subscriptionsOf,
  unsubscribe,
  updatePlanSubscription,
  updateSubscription,
} from './support/subscriptions.ts';

const STANDIN_ONLY = 'the outbox and the sandbox clock (admin API)';

const run = unique();
/** A provider the broker manager creates, and a subscriber the member manages. */
const provider = `gym-${run}`;
const subscriber = `fitco-${run}`;
const monthly = `monthly-${run}`;
const weekly = `weekly-${run}`;
const instant = `instant-${run}`;

const own = ownOrganizations(
  { slug: provider, full_name: 'Gym', by: 'manager' },
  { slug: subscriber, full_name: 'Fit Co', by: 'member' },
);
it.beforeAll(async ({ t, manager }) => {
  if (!own.made) return;
  for (const body of [
    { title: `Monthly ${run}`, period_amount: 4900, interval: 'monthly', is_active: true },
    { title: `Weekly ${run}`, period_amount: 1500, period_type: 'weekly', period_length: 2, is_active: true },
    { title: `Instant ${run}`, period_amount: 100, period_type: 'daily', is_active: true, skip_optin_on_grant: true },
  ])
    expect((await t.call('plans_create', { params: { organization: provider }, headers: manager, body })).status).toBe(
      201,
    );
});

const FORBIDDEN = { detail: 'You do not have permission to perform this action.' };
const planPath = (plan: string) => ({ organization: provider, plan });
const providerSide = (plan: string) => ({ organization: provider, plan, subscriber });
const subscriberSide = (plan: string) => ({ organization: subscriber, subscribed_plan: plan });
const addMonthUtc = (iso: string) => {
  const date = new Date(iso);
  date.setUTCMonth(date.getUTCMonth() + 1);
  return date;
};

describe('the provider grants a subscription', () => {
  let grantKey: string;

  it('POST answers 201: one period from now, pending on a grant_key; the same grant again is 200', async ({
    t,
    manager,
  }) => {
    const res = await grantSubscription(t, planPath(monthly), manager, {
      organization: { slug: subscriber },
      message: 'Welcome aboard',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      organization: { slug: subscriber },
      plan: { slug: monthly, period_amount: 4900 },
      auto_renew: true,
      editable: true,
      request_key: null,
      description: null,
      extra: null,
    });
    grantKey = res.body.grant_key;
    expect(grantKey).toMatch(/^[0-9a-f]{40}$/);
    expect(Date.parse(res.body.ends_at)).toBe(addMonthUtc(res.body.created_at).getTime());
    const again = await grantSubscription(t, planPath(monthly), manager, { organization: { slug: subscriber } });
    expect(again.status).toBe(200);
    expect(again.body.grant_key).toBe(grantKey);
  });

  it('while pending, the subscriber is listed as pending, not active', async ({ t, manager, member }) => {
    const pending = await subscribersOf(t, provider, manager, { state: 'pending' });
    expect(pending.body.results.map((s: any) => s.slug)).toEqual([subscriber]);
    expect((await subscribersOf(t, provider, manager, { state: 'active' })).body.count).toBe(0);
    const subs = await subscriptionsOf(t, subscriber, member, { state: 'pending' });
    expect(subs.body.results.map((s: any) => [s.plan.slug, s.grant_key])).toEqual([[monthly, grantKey]]);
  });

  it("e-mails the grant with its key to the subscriber's managers (outbox)", async ({ skip, t }) => {
    needsStandin({ skip }, STANDIN_ONLY);
    const sent = (await outbox(t)).filter(
      (e) => e.template === 'subscription_grant_created' && e.context.grant_key === grantKey,
    );
    expect(sent).toHaveLength(1);
    expect(sent[0]!.context).toMatchObject({ organization: subscriber, plan: monthly, message: 'Welcome aboard' });
  });

  it('a manager of the subscriber accepts with the key (PUT .../accessibles/accept/{key}/): 200, then 404', async ({
    t,
    creds,
    member,
    stranger,
  }) => {
    await expectStatus(
      404,
      t.call('accessibles_accept', {
        params: { user: stranger.username, verification_key: grantKey },
        headers: stranger.headers,
      }),
    );
    const res = await t.call('accessibles_accept', {
      params: { user: creds.member.username, verification_key: grantKey },
      headers: member,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      organization: { slug: subscriber },
      plan: { slug: monthly },
      grant_key: null,
      editable: false,
    });
    await expectStatus(
      404,
      t.call('accessibles_accept', {
        params: { user: creds.member.username, verification_key: grantKey },
        headers: member,
      }),
    );
  });

  it('once accepted it is active: both sides read it back, and the lists say so', async ({ t, manager, member }) => {
    const byProvider = await planSubscription(t, providerSide(monthly), manager);
    expect(byProvider.status).toBe(200);
    expect(byProvider.body).toMatchObject({ grant_key: null, editable: true });
    const bySubscriber = await subscription(t, subscriberSide(monthly), member);
    expect(bySubscriber.body).toMatchObject({ ends_at: byProvider.body.ends_at, editable: false });
    const active = await subscribersOf(t, provider, manager, { state: 'active' });
    expect(active.body.results).toEqual([
      expect.objectContaining({ slug: subscriber, ends_at: byProvider.body.ends_at }),
    ]);
    const planSubs = await planSubscriptions(t, planPath(monthly), manager, { state: 'active' });
    expect(planSubs.body.results).toEqual([
      expect.objectContaining({
        slug: subscriber,
        full_name: 'Fit Co',
        organization: expect.objectContaining({ slug: subscriber }),
      }),
    ]);
    const profile = await t.call('profiles_retrieve', { params: { organization: subscriber }, headers: member });
    expect(profile.body.subscriptions).toEqual([
      { created_at: byProvider.body.created_at, ends_at: byProvider.body.ends_at, plan: monthly, auto_renew: true },
    ]);
  });

  it('a plan with skip_optin_on_grant is active at once (no key), for one day on a daily plan', async ({
    t,
    manager,
  }) => {
    const res = await grantSubscription(t, planPath(instant), manager, { organization: { slug: subscriber } });
    expect(res.status).toBe(201);
    expect(res.body.grant_key).toBeNull();
    expect(Date.parse(res.body.ends_at) - Date.parse(res.body.created_at)).toBe(86_400_000);
  });

  it('a two-weekly plan runs for two weeks; the grant names the profile by e-mail', async ({ t, manager }) => {
    const res = await grantSubscription(t, planPath(weekly), manager, {
      organization: { email: `${subscriber}@example.com`, full_name: 'Fit Co' },
    });
    expect(res.status).toBe(201);
    expect(res.body.organization.slug).toBe(subscriber);
    expect(Date.parse(res.body.ends_at) - Date.parse(res.body.created_at)).toBe(14 * 86_400_000);
  });

  it('answers 404 for an unknown profile, 400 naming neither slug nor (full_name and email), 404 for an unknown plan', async ({
    t,
    manager,
  }) => {
    const unknown = await grantSubscription(t, planPath(monthly), manager, { organization: { slug: `ghost-${run}` } });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ detail: `Profile ghost-${run} does not exist.` });
    const neither = await grantSubscription(t, planPath(monthly), manager, { organization: { full_name: 'Nameless' } });
    expect(neither.status).toBe(400);
    expect(neither.body).toEqual({
      organization: { non_field_errors: ['One of slug or (full_name, email, type) should be present'] },
    });
    const missing = await grantSubscription(t, planPath(monthly), manager, {});
    expect(missing.body).toEqual({ organization: ['This field is required.'] });
    const badEmail = await grantSubscription(t, planPath(monthly), manager, {
      organization: { email: 'nope', full_name: 'X' },
    });
    expect(badEmail.body).toEqual({ organization: { email: ['Enter a valid email address.'] } });
    await expectStatus(
      404,
      grantSubscription(t, planPath(`nope-${run}`), manager, { organization: { slug: subscriber } }),
    );
  });

  it('with ?force=1 an unknown profile is created, managed by the user with that e-mail, and invited', async ({
    skip,
    t,
    manager,
  }) => {
    needsStandin({ skip }, STANDIN_ONLY);
    const res = await t.call('plan_subscriptions_create', {
      params: planPath(monthly),
      query: { force: '1' },
      headers: manager,
      body: { organization: { full_name: `Newco ${run}`, email: `boss-${run}@newco.example` } },
    });
    expect(res.status).toBe(201);
    expect(res.body.organization).toMatchObject({
      slug: `newco-${run}`,
      email: `boss-${run}@newco.example`,
      type: 'organization',
    });
    const users = await t.call('users_list', { query: { q: `boss-${run}` }, headers: manager });
    expect(users.body.results.map((u: any) => [u.slug, u.credentials])).toEqual([[`boss-${run}`, false]]);
  });
});

describe('updates and cancellation', () => {
  it('the provider moves the end anywhere after the start, and sets description, extra and auto_renew', async ({
    t,
    manager,
    member,
  }) => {
    const current = (await planSubscription(t, providerSide(monthly), manager)).body;
    const later = new Date(Date.parse(current.ends_at) + 30 * 86_400_000).toISOString().replace('.000Z', 'Z');
    const res = await updatePlanSubscription(t, providerSide(monthly), manager, {
      ends_at: later,
      description: 'extended after call with customer',
      extra: { seats: 3 },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      ends_at: later,
      description: 'extended after call with customer',
      extra: { seats: 3 },
      auto_renew: true,
    });
    expect((await subscription(t, subscriberSide(monthly), member)).body.ends_at).toBe(later);
  });

  it('the subscriber cannot push the end later (it stays); bringing it closer stops the renewal', async ({
    t,
    member,
  }) => {
    const current = (await subscription(t, subscriberSide(monthly), member)).body;
    const muchLater = new Date(Date.parse(current.ends_at) + 365 * 86_400_000).toISOString();
    const kept = await updateSubscription(t, subscriberSide(monthly), member, { ends_at: muchLater });
    expect(kept.status).toBe(200);
    expect(kept.body).toMatchObject({ ends_at: current.ends_at, auto_renew: true });
    const sooner = new Date(Date.parse(current.ends_at) - 7 * 86_400_000).toISOString().replace('.000Z', 'Z');
    const closer = await updateSubscription(t, subscriberSide(monthly), member, {
      ends_at: sooner,
      description: 'leaving',
    });
    expect(closer.body).toMatchObject({ ends_at: sooner, auto_renew: false, description: 'leaving' });
    const renewAgain = await updateSubscription(t, subscriberSide(monthly), member, {
      ends_at: sooner,
      auto_renew: true,
    });
    expect(renewAgain.body.auto_renew).toBe(true);
  });

  it('answers 400 for a missing or malformed ends_at, or one before the start; nothing changes', async ({
    t,
    manager,
    member,
  }) => {
    const before = (await subscription(t, subscriberSide(monthly), member)).body;
    const missing = await updatePlanSubscription(t, providerSide(monthly), manager, { description: 'x' });
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({ ends_at: ['This field is required.'] });
    const malformed = await updatePlanSubscription(t, providerSide(monthly), manager, { ends_at: 'next tuesday' });
    expect(malformed.body).toEqual({
      ends_at: [
        'Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].',
      ],
    });
    // A 60th second has the date-time format, but no date-time holds it.
    const leap = await updatePlanSubscription(t, providerSide(monthly), manager, { ends_at: '2040-12-31T23:59:60Z' });
    expect(leap.status).toBe(400);
    expect(leap.body).toEqual(malformed.body);
    const early = await updatePlanSubscription(t, providerSide(monthly), manager, {
      ends_at: '2001-01-01T00:00:00Z',
      description: 'x',
    });
    expect(early.status).toBe(400);
    expect(early.body).toEqual({ ends_at: ['The subscription cannot end before it starts.'] });
    expect((await subscription(t, subscriberSide(monthly), member)).body).toEqual(before);
  });

  it('the subscriber unsubscribes: 204, the subscription has ended (404), the lists show it churned; again 204', async ({
    t,
    manager,
    member,
  }) => {
    expect((await cancelSubscription(t, subscriberSide(weekly), member)).status).toBe(204);
    expect((await subscription(t, subscriberSide(weekly), member)).status).toBe(404);
    await expectStatus(404, planSubscription(t, providerSide(weekly), manager));
    const churned = await planSubscriptions(t, planPath(weekly), manager, { state: 'churned' });
    expect(churned.body.results).toEqual([expect.objectContaining({ slug: subscriber, auto_renew: false })]);
    expect((await planSubscriptions(t, planPath(weekly), manager, { state: 'active' })).body.count).toBe(0);
    expect((await cancelSubscription(t, subscriberSide(weekly), member)).status).toBe(204);
  });

  it('the provider unsubscribes too: 204; the subscriber, with no active subscription left, is churned', async ({
    t,
    manager,
    member,
  }) => {
    await expectStatus(204, unsubscribe(t, providerSide(instant), manager));
    await expectStatus(204, unsubscribe(t, providerSide(monthly), manager));
    const churned = await subscribersOf(t, provider, manager, { state: 'churned' });
    expect(churned.body.results.map((s: any) => s.slug)).toContain(subscriber);
    expect(
      (await subscribersOf(t, provider, manager, { state: 'active' })).body.results.map((s: any) => s.slug),
    ).not.toContain(subscriber);
    const history = await subscriptionsOf(t, subscriber, member, { o: 'plan' });
    expect(history.body.results.map((s: any) => s.plan.title)).toEqual([
      `Instant ${run}`,
      `Monthly ${run}`,
      `Weekly ${run}`,
    ]);
    expect(history.body.results.every((s: any) => s.auto_renew === false)).toBe(true);
  });

  it('lists filter with q, start_at/ends_at and order with o/ot', async ({ t, manager, member }) => {
    const found = await planSubscriptions(t, planPath(monthly), manager, { q: 'Fit Co' });
    expect(found.body.results.map((s: any) => s.slug)).toEqual([subscriber]);
    expect((await planSubscriptions(t, planPath(monthly), manager, { q: 'zzz-nothing' })).body.count).toBe(0);
    const all = await subscriptionsOf(t, subscriber, member, { o: 'created_at', ot: 'desc' });
    const created = all.body.results.map((s: any) => s.created_at);
    expect(created).toEqual([...created].sort().reverse());
    const after = await subscriptionsOf(t, subscriber, member, { start_at: created[0] });
    expect(after.body.results.map((s: any) => s.created_at)).toEqual([created[0]]);
    expect((await subscriptionsOf(t, subscriber, member, { ends_at: '2000-01-01T00:00:00Z' })).body.count).toBe(0);
    const subscribers = await subscribersOf(t, provider, manager, { q: subscriber, page_size: 1 });
    expect(subscribers.body).toMatchObject({
      count: 1,
      next: null,
      results: [expect.objectContaining({ slug: subscriber })],
    });
  });
});

describe('who may', () => {
  it('answers 403 to a user who manages nothing, on every subscription operation (unknown profiles included)', async ({
    t,
    stranger,
  }) => {
    const cases = [
      ['plan_subscriptions_list', planPath(monthly), undefined],
      ['plan_subscriptions_create', planPath(monthly), { organization: { slug: subscriber } }],
      ['plan_subscription_retrieve', providerSide(monthly), undefined],
      ['plan_subscription_update', providerSide(monthly), { ends_at: '2030-01-01T00:00:00Z' }],
      ['plan_subscription_destroy', providerSide(monthly), undefined],
      ['subscribers_list', { organization: provider }, undefined],
      ['subscribers_accept', { organization: provider, request_key: 'whatever' }, undefined],
      ['subscriptions_list', { organization: subscriber }, undefined],
      ['subscription_retrieve', subscriberSide(monthly), undefined],
      ['subscription_update', subscriberSide(monthly), { ends_at: '2030-01-01T00:00:00Z' }],
      ['subscription_destroy', subscriberSide(monthly), undefined],
      ['subscriptions_list', { organization: `nothing-${run}` }, undefined],
    ] as const;
    for (const [operationId, params, body] of cases) {
      const res = await t.call(operationId, { params, headers: stranger.headers, ...(body ? { body } : {}) });
      expect(res.status, operationId).toBe(403);
      expect(res.body).toEqual(FORBIDDEN);
    }
  });

  it("the subscriber's manager may not act as the provider, nor the provider's as the subscriber", async ({
    skip,
    t,
    manager,
    member,
  }) => {
    await expectStatus(403, grantSubscription(t, planPath(monthly), member, { organization: { slug: subscriber } }));
    expect((await subscribersOf(t, provider, member)).status).toBe(403);
    const other = await strangerIfRegistering(t, 'gymowner');
    needsStranger({ skip }, other);
    await expectStatus(
      201,
      t.call('roles_grant', {
        params: { organization: provider, role: 'manager' },
        headers: manager,
        body: { slug: other.username },
      }),
    );
    await expectStatus(403, subscriptionsOf(t, subscriber, other.headers));
  });

  it('answers 404 to a broker manager for unknown profiles, plans and request keys; 401 anonymously', async ({
    t,
    manager,
  }) => {
    await expectStatus(404, subscribersOf(t, `nothing-${run}`, manager));
    await expectStatus(404, planSubscriptions(t, planPath(`nope-${run}`), manager));
    await expectStatus(
      404,
      t.call('subscribers_accept', {
        params: { organization: provider, request_key: `nokey${run}` },
        headers: manager,
      }),
    );
    await expectStatus(404, subscription(t, { organization: subscriber, subscribed_plan: `nope-${run}` }, manager));
    expect((await subscribersOf(t, provider)).status).toBe(401);
  });
});

describe('by the sandbox clock: grant → accept → renew → cancel → churned', () => {
  beforeEach(({ skip }) => needsStandin({ skip }, STANDIN_ONLY));
  const gym = `clockgym-${run}`;
  const member2 = `clockfit-${run}`;
  let donny: Record<string, string>;
  let xia: Record<string, string>;

  /** Moves the sandbox clock; tokens are signed again (they expire an hour after the clock's now). */
  async function clock(t: ConformanceTarget, creds: DjaoappCredentials, change: { set?: string; advance?: string }) {
    await t.admin('POST', '/clock', { freeze: true, ...change });
    donny = await login(t, creds.manager);
    xia = await login(t, creds.member);
  }

  it('walks a subscription through its life', async ({ t, creds }) => {
    await clock(t, creds, { set: '2031-01-31T09:00:00Z' });
    await expectStatus(
      201,
      t.call('profiles_create', {
        headers: donny,
        body: { slug: gym, full_name: 'Clock Gym', email: `${gym}@example.com`, type: 'organization' },
      }),
    );
    await expectStatus(
      201,
      t.call('profiles_create', {
        headers: xia,
        body: { slug: member2, full_name: 'Clock Fit', email: `${member2}@example.com`, type: 'organization' },
      }),
    );
    const plan = await t.call('plans_create', {
      params: { organization: gym },
      headers: donny,
      body: { title: `Monthly ${run}`, period_amount: 3000, interval: 'monthly', is_active: true },
    });
    const planSlug = plan.body.slug;
    const params = { organization: gym, plan: planSlug };
    const side = { organization: gym, plan: planSlug, subscriber: member2 };

    // grant, on the 31st: the period ends on the last day of February (clamped), pending on its key
    const grant = await grantSubscription(t, params, donny, { organization: { slug: member2 } });
    expect(grant.status).toBe(201);
    expect(grant.body).toMatchObject({ created_at: '2031-01-31T09:00:00.000Z', ends_at: '2031-02-28T09:00:00Z' });
    const key = grant.body.grant_key;

    // accept a week later
    await clock(t, creds, { advance: 'P7D' });
    const accepted = await t.call('accessibles_accept', {
      params: { user: creds.member.username, verification_key: key },
      headers: xia,
    });
    expect(accepted.status).toBe(200);

    // the clock passes the end: renewed by one period from the end (Feb 28 → Mar 28), still active
    await clock(t, creds, { set: '2031-03-01T00:00:00Z' });
    let read = await planSubscription(t, side, donny);
    expect(read.body).toMatchObject({ ends_at: '2031-03-28T09:00:00Z', auto_renew: true, grant_key: null });
    expect((await subscribersOf(t, gym, donny, { state: 'active' })).body.results.map((s: any) => s.slug)).toEqual([
      member2,
    ]);

    // three more months pass at once: three renewals
    await clock(t, creds, { set: '2031-06-30T00:00:00Z' });
    read = await subscription(t, { organization: member2, subscribed_plan: planSlug }, xia);
    expect(read.body.ends_at).toBe('2031-07-28T09:00:00Z');

    // cancel: it ends now and does not renew
    await expectStatus(204, cancelSubscription(t, { organization: member2, subscribed_plan: planSlug }, xia));
    const history = await subscriptionsOf(t, member2, xia);
    expect(history.body.results).toEqual([
      expect.objectContaining({ ends_at: '2031-06-30T00:00:00Z', auto_renew: false }),
    ]);
    await expectStatus(404, subscription(t, { organization: member2, subscribed_plan: planSlug }, xia));

    // a month later it is still ended, and churned
    await clock(t, creds, { advance: 'P1M' });
    expect((await planSubscription(t, side, donny)).status).toBe(404);
    const churned = await subscribersOf(t, gym, donny, { state: 'churned' });
    expect(churned.body.results).toEqual([expect.objectContaining({ slug: member2, ends_at: '2031-06-30T00:00:00Z' })]);
    expect((await subscribersOf(t, gym, donny, { state: 'active' })).body.count).toBe(0);
    const subs = await planSubscriptions(t, params, donny, { state: 'churned' });
    expect(subs.body.results.map((s: any) => s.ends_at)).toEqual(['2031-06-30T00:00:00Z']);

    // a new grant is a new subscription, not a renewal of the old one
    const again = await grantSubscription(t, params, donny, { organization: { slug: member2 } });
    expect(again.status).toBe(201);
    expect(again.body.created_at).toBe('2031-07-30T00:00:00.000Z');
  });

  it('a grant nobody accepts lapses at its end: it does not renew, and its key no longer works', async ({
    t,
    creds,
  }) => {
    await clock(t, creds, { set: '2032-01-01T00:00:00Z' });
    const plan = (await t.call('plans_list', { params: { organization: gym }, headers: donny })).body.results[0].slug;
    const grant = await grantSubscription(t, { organization: gym, plan }, donny, { organization: { slug: member2 } });
    // The grant of 2031-07-30 was never accepted and has lapsed: this is a new one.
    expect(grant.status).toBe(201);
    const key = grant.body.grant_key;
    expect(key).toMatch(/^[0-9a-f]{40}$/);
    await clock(t, creds, { advance: 'P3M' });
    await expectStatus(
      404,
      t.call('accessibles_accept', { params: { user: creds.member.username, verification_key: key }, headers: xia }),
    );
    await expectStatus(404, planSubscription(t, { organization: gym, plan, subscriber: member2 }, donny));
  });

  it("xia's fixture subscription to open-space renews monthly while the clock moves; the 2017 premium one stays churned", async ({
    t,
    creds,
  }) => {
    await clock(t, creds, { set: '2033-05-15T00:00:00Z' });
    const open = await planSubscription(t, { organization: 'cowork', plan: 'open-space', subscriber: 'xia' }, donny);
    expect(open.body).toMatchObject({ created_at: '2018-01-01T00:00:00Z', ends_at: '2033-06-01T00:00:00Z' });
    const premium = await planSubscriptions(t, { organization: 'cowork', plan: 'premium' }, donny, {
      state: 'churned',
    });
    expect(premium.body.results.map((s: any) => s.ends_at)).toContain('2017-01-14T23:16:55Z');
    const state = await t.admin<any>('GET', '/apis/djaoapp/subscriptions');
    expect(state.renewals_at).toBe('2033-05-15T00:00:00.000Z');
  });

  it("the provider accepts a subscriber's request (made at checkout): 200 with the subscription, then 404", async ({
    t,
    creds,
  }) => {
    await clock(t, creds, { set: '2034-01-01T00:00:00Z' });
    // Requests come from checkout (billing, part 3): the scenario puts one in the state through the admin API.
    const state = await t.admin<any>('GET', '/state');
    const djaoapp = state.apis.djaoapp;
    const plan = djaoapp.plans.find((p: any) => p.organization === gym).slug;
    djaoapp.subscriptions.push({
      id: djaoapp.next_ids.subscription++,
      organization: member2,
      plan,
      created_at: '2034-01-01T00:00:00Z',
      ends_at: '2034-02-01T00:00:00Z',
      auto_renew: true,
      description: null,
      extra: null,
      grant_key: null,
      request_key: `req${run}`,
    });
    await t.admin('PUT', '/state', state);
    await expectStatus(
      403,
      t.call('subscribers_accept', { params: { organization: gym, request_key: `req${run}` }, headers: xia }),
    );
    await expectStatus(
      404,
      t.call('subscribers_accept', { params: { organization: 'cowork', request_key: `req${run}` }, headers: donny }),
    );
    const res = await t.call('subscribers_accept', {
      params: { organization: gym, request_key: `req${run}` },
      headers: donny,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      organization: { slug: member2 },
      request_key: null,
      ends_at: '2034-02-01T00:00:00Z',
    });
    await expectStatus(
      404,
      t.call('subscribers_accept', { params: { organization: gym, request_key: `req${run}` }, headers: donny }),
    );
    const mail = (await outbox(t)).filter(
      (e) => e.template === 'subscription_request_accepted' && e.context.request_key === `req${run}`,
    );
    expect(mail).toHaveLength(1);
    await clock(t, creds, { set: '2034-02-15T00:00:00Z' });
    expect((await subscription(t, { organization: member2, subscribed_plan: plan }, xia)).body.ends_at).toBe(
      '2034-03-01T00:00:00Z',
    );
  });
});
