/**
 * DjaoApp plans: a provider's managers create, read, update and delete plans (slug from the title, a duplicate title
 * is 400, the slug follows a new title only while nobody subscribed, a plan with subscribers cannot be deleted);
 * /api/pricing/ lists the broker's active plans to anyone. The scenarios work on a provider they create.
 */
import { describe, expect } from 'vitest';
import { it, ownOrganizations } from './session.ts';
import { expectStatus, needsStandin } from '../support/target.ts';
import { unique } from './target.ts';

const STANDIN_ONLY = "the fixtures' plans of cowork";

const run = unique();
const provider = `studio-${run}`;
const customer = `client-${run}`;

ownOrganizations(
  { slug: provider, full_name: 'Studio', by: 'manager' },
  { slug: customer, full_name: 'Client', by: 'member' },
);

const params = (plan?: string): Record<string, string> =>
  plan ? { organization: provider, plan } : { organization: provider };

describe('POST /api/profile/{organization}/plans/', () => {
  it("creates a plan, slug from the title, with djaodjin's defaults; it reads back and is listed", async ({
    t,
    manager,
  }) => {
    const res = await t.call('plans_create', {
      params: params(),
      headers: manager,
      body: { title: `Desk ${run}`, period_amount: 12000, interval: 'monthly' },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      slug: `desk-${run}`,
      title: `Desk ${run}`,
      description: '',
      is_active: false,
      setup_amount: 0,
      period_amount: 12000,
      period_type: 'monthly',
      interval: 'monthly',
      period_length: 1,
      unit: 'usd',
      organization: {
        slug: provider,
        printable_name: expect.any(String),
        picture: null,
        type: 'organization',
        credentials: false,
      },
      renewal_type: 'auto-renew',
      is_not_priced: false,
      skip_optin_on_grant: false,
      optin_on_request: false,
      advance_discounts: [],
      extra: null,
    });
    expect(res.body.app_url).toMatch(new RegExp(`/${provider}/app/$`));
    const read = await t.call('plans_retrieve', { params: params(`desk-${run}`), headers: manager });
    expect(read.body).toEqual(res.body);
    const list = await t.call('plans_list', { params: params(), headers: manager });
    expect(list.body.results.map((p: any) => p.slug)).toEqual([`desk-${run}`]);
  });

  it('takes every field: period_type and period_length, amounts, unit, flags, advance discounts', async ({
    t,
    manager,
  }) => {
    const body = {
      title: `Office ${run}`,
      description: 'A private office',
      is_active: true,
      setup_amount: 5000,
      period_amount: 90000,
      period_type: 'yearly',
      period_length: 2,
      unit: 'eur',
      renewal_type: 'one-time',
      is_not_priced: false,
      skip_optin_on_grant: true,
      optin_on_request: true,
      advance_discounts: [{ discount_type: 'percentage', discount_value: 1000, length: 3 }],
      extra: '{"seats": 4}',
    };
    const res = await t.call('plans_create', { params: params(), headers: manager, body });
    expect(res.status).toBe(201);
    const { title: _, ...rest } = body;
    expect(res.body).toMatchObject({
      ...rest,
      slug: `office-${run}`,
      interval: 'yearly',
      discounted_period_amount: 90000,
    });
  });

  it('answers 400 for a title the provider already uses (a plain string), and for bad fields; nothing is created', async ({
    t,
    manager,
  }) => {
    const taken = await t.call('plans_create', { params: params(), headers: manager, body: { title: `Desk ${run}` } });
    expect(taken.status).toBe(400);
    expect(taken.body).toEqual({ title: 'A plan with this title already exists.' });
    expect(
      (await t.call('plans_create', { params: params(), headers: manager, body: { period_amount: 100 } })).body,
    ).toEqual({ title: ['This field is required.'] });
    const badInterval = await t.call('plans_create', {
      params: params(),
      headers: manager,
      body: { title: 'X', interval: 'fortnightly' },
    });
    expect(badInterval.status).toBe(400);
    expect(badInterval.body).toHaveProperty('interval');
    const negative = await t.call('plans_create', {
      params: params(),
      headers: manager,
      body: { title: 'X', period_amount: -1 },
    });
    expect(negative.status).toBe(400);
    expect(negative.body).toHaveProperty('period_amount');
    const notInteger = await t.call('plans_create', {
      params: params(),
      headers: manager,
      body: { title: 'X', setup_amount: 'ten' },
    });
    expect(notInteger.body).toEqual({ setup_amount: ['A valid integer is required.'] });
    const contradiction = await t.call('plans_create', {
      params: params(),
      headers: manager,
      body: { title: 'X', interval: 'monthly', period_type: 'yearly' },
    });
    expect(contradiction.status).toBe(400);
    expect((await t.call('plans_list', { params: params(), headers: manager })).body.count).toBe(2);
  });
});

describe('GET, PUT, DELETE /api/profile/{organization}/plans/{plan}/', () => {
  it('a new title renames the slug while nobody subscribed; the old slug is then 404', async ({ t, manager }) => {
    const res = await t.call('plans_update', {
      params: params(`desk-${run}`),
      headers: manager,
      body: { title: `Hot Desk ${run}`, is_active: true, period_amount: 15000 },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      slug: `hot-desk-${run}`,
      title: `Hot Desk ${run}`,
      is_active: true,
      period_amount: 15000,
    });
    expect((await t.call('plans_retrieve', { params: params(`desk-${run}`), headers: manager })).status).toBe(404);
    expect(
      (await t.call('plans_retrieve', { params: params(`hot-desk-${run}`), headers: manager })).body.period_amount,
    ).toBe(15000);
  });

  it('once a profile subscribed, a new title keeps the slug, and the plan cannot be deleted (403)', async ({
    t,
    manager,
  }) => {
    const grant = await t.call('plan_subscriptions_create', {
      params: params(`hot-desk-${run}`),
      headers: manager,
      body: { organization: { slug: customer } },
    });
    expect(grant.status).toBe(201);
    const res = await t.call('plans_update', {
      params: params(`hot-desk-${run}`),
      headers: manager,
      body: { title: `Shared Desk ${run}` },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ slug: `hot-desk-${run}`, title: `Shared Desk ${run}` });
    const del = await t.call('plans_destroy', { params: params(`hot-desk-${run}`), headers: manager });
    expect(del.status).toBe(403);
    expect(del.body).toEqual({ detail: 'Cannot delete a plan with subscribers' });
    // Even once the subscription has ended.
    await expectStatus(
      204,
      t.call('plan_subscription_destroy', {
        params: { ...params(`hot-desk-${run}`), subscriber: customer },
        headers: manager,
      }),
    );
    expect((await t.call('plans_destroy', { params: params(`hot-desk-${run}`), headers: manager })).status).toBe(403);
    // Deactivated instead.
    expect(
      (
        await t.call('plans_update', {
          params: params(`hot-desk-${run}`),
          headers: manager,
          body: { is_active: false },
        })
      ).body.is_active,
    ).toBe(false);
  });

  it("answers 400 for a title another of the provider's plans has; leaves the plan as it was", async ({
    t,
    manager,
  }) => {
    const res = await t.call('plans_update', {
      params: params(`office-${run}`),
      headers: manager,
      body: { title: `Shared Desk ${run}`, period_amount: 1 },
    });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ title: 'A plan with this title already exists.' });
    expect((await t.call('plans_retrieve', { params: params(`office-${run}`), headers: manager })).body).toMatchObject({
      title: `Office ${run}`,
      period_amount: 90000,
    });
    await expectStatus(
      400,
      t.call('plans_update', { params: params(`office-${run}`), headers: manager, body: { period_length: 0 } }),
    );
  });

  it('deletes a plan nobody subscribed to: 204, then 404', async ({ t, manager }) => {
    expect((await t.call('plans_destroy', { params: params(`office-${run}`), headers: manager })).status).toBe(204);
    expect((await t.call('plans_retrieve', { params: params(`office-${run}`), headers: manager })).status).toBe(404);
    expect((await t.call('plans_destroy', { params: params(`office-${run}`), headers: manager })).status).toBe(404);
    await expectStatus(
      404,
      t.call('plans_update', { params: params(`office-${run}`), headers: manager, body: { title: 'x' } }),
    );
  });

  it('lists with q, o/ot, active and page_size', async ({ t, manager }) => {
    for (const title of [`Alpha ${run}`, `Beta ${run}`])
      await t.call('plans_create', {
        params: params(),
        headers: manager,
        body: { title, period_amount: title.startsWith('A') ? 100 : 50, is_active: true },
      });
    const search = await t.call('plans_list', { params: params(), query: { q: `alpha-${run}` }, headers: manager });
    expect(search.body.results.map((p: any) => p.slug)).toEqual([`alpha-${run}`]);
    const cheapest = await t.call('plans_list', {
      params: params(),
      query: { o: 'period_amount', active: 'true' },
      headers: manager,
    });
    expect(cheapest.body.results.map((p: any) => p.slug)).toEqual([`beta-${run}`, `alpha-${run}`]);
    const inactive = await t.call('plans_list', { params: params(), query: { active: 'false' }, headers: manager });
    expect(inactive.body.results.map((p: any) => p.slug)).toEqual([`hot-desk-${run}`]);
    const desc = await t.call('plans_list', {
      params: params(),
      query: { o: 'title', ot: 'desc', page_size: 2 },
      headers: manager,
    });
    expect(desc.body.results.map((p: any) => p.title)).toEqual([`Shared Desk ${run}`, `Beta ${run}`]);
    expect(desc.body.next).toMatch(/page=2/);
  });

  it('anyone with a role on the provider reads its plans; only its managers change them; 403 to others (the member has none there), 404 for unknown plans', async ({
    t,
    creds,
    manager,
    member,
  }) => {
    for (const [operationId, p, body] of [
      ['plans_list', params(), undefined],
      ['plans_create', params(), { title: 'Intrusion' }],
      ['plans_retrieve', params(`alpha-${run}`), undefined],
      ['plans_update', params(`alpha-${run}`), { title: 'Intrusion' }],
      ['plans_destroy', params(`alpha-${run}`), undefined],
    ] as const) {
      const res = await t.call(operationId, { params: p, headers: member, ...(body ? { body } : {}) });
      expect(res.status, operationId).toBe(403);
      expect(res.body).toEqual({ detail: 'You do not have permission to perform this action.' });
    }
    expect((await t.call('plans_retrieve', { params: params(`nope-${run}`), headers: manager })).status).toBe(404);
    expect((await t.call('plans_list', { params: { organization: `nothing-${run}` }, headers: manager })).status).toBe(
      404,
    );
    expect((await t.call('plans_list', { params: params() })).status).toBe(401);
    // A contributor of the provider reads, but does not write.
    const contributor = await t.call('roles_describe_create', {
      params: params(),
      headers: manager,
      body: { title: 'Viewer', skip_optin_on_grant: true },
    });
    await t.call('roles_grant', {
      params: { organization: provider, role: contributor.body.slug },
      headers: manager,
      body: { slug: creds.member.username },
    });
    expect((await t.call('plans_list', { params: params(), headers: member })).status).toBe(200);
    expect((await t.call('plans_create', { params: params(), headers: member, body: { title: 'Mine' } })).status).toBe(
      403,
    );
  });
});

describe('GET /api/pricing/', () => {
  it('answers anyone, signed in or not, a page of active plans, cheapest first', async ({ t, member }) => {
    const res = await t.call('pricing_list');
    expect(res.status).toBe(200);
    expect(res.body.results.every((p: any) => p.is_active)).toBe(true);
    const amounts = res.body.results.map((p: any) => p.period_amount);
    expect(amounts).toEqual([...amounts].sort((a, b) => a - b));
    expect((await t.call('pricing_list', { headers: member })).body.count).toBe(res.body.count);
    // Other providers' plans are not the site's pricing.
    expect(res.body.results.map((p: any) => p.organization)).not.toContain(provider);
    expect((await t.call('pricing_list', { headers: { Authorization: 'Bearer not.a.token' } })).status).toBe(401);
  });

  it("lists cowork's basic, managed, open-space and premium; a deactivated plan leaves it", async ({
    skip,
    t,
    manager,
  }) => {
    needsStandin({ skip }, STANDIN_ONLY);
    const res = await t.call('pricing_list');
    expect(res.body.results.map((p: any) => [p.slug, p.period_amount])).toEqual([
      ['basic', 2000],
      ['managed', 2900],
      ['open-space', 17999],
      ['premium', 18000],
    ]);
    await t.call('plans_update', {
      params: { organization: 'cowork', plan: 'premium' },
      headers: manager,
      body: { is_active: false },
    });
    expect((await t.call('pricing_list')).body.results.map((p: any) => p.slug)).toEqual([
      'basic',
      'managed',
      'open-space',
    ]);
  });
});
