/**
 * Consumer: a provider's plans and subscriptions page records what it needs from DjaoApp
 * (contracts/pacts/plans-frontend-djaoapp.json). Provider: that pact is verified against the mock or
 * PACT_PROVIDER_BASE_URL: a served Standin's admin API resets the state, another backend gets it through its
 * public API (djaoapp/plans-state.ts). The tokens in the pact are examples: during verification the request
 * filter signs in as the provider's manager and sends its own.
 */
import { MatchersV3, type V3Request } from '@pact-foundation/pact';
import { expect } from 'vitest';
import { DjaoappPlansClient } from './djaoapp/plans-client.ts';
import { answers, describePact, sends, type Interaction, type PactParties } from './consumer.ts';
import { freshTokenFilter } from './djaoapp/fresh-token.ts';
import { plansStateThroughPublicApi } from './djaoapp/plans-state.ts';
import { instant, managerBearer as bearer, managerExampleToken as exampleToken, pageOf } from './djaoapp/shared.ts';

const { integer, boolean, regex, string } = MatchersV3;
const parties: PactParties = {
  consumer: 'plans-frontend',
  provider: 'djaoapp',
  state: 'donny manages cowork, which sells open-space and premium; xia subscribes to open-space',
};
const json = 'application/json';
const manager = {
  username: process.env.DJAOAPP_MANAGER ?? 'donny',
  password: process.env.DJAOAPP_MANAGER_PASSWORD ?? 'yoyo',
};
const plan = {
  slug: string('open-space'),
  title: string('Open Space'),
  period_amount: integer(17999),
  interval: regex(/^(hourly|daily|weekly|monthly|yearly)$/, 'monthly'),
  is_active: boolean(true),
};

/** The manager's creation of an active monthly plan of cowork. */
const createPlan = (title: string, period_amount: number): V3Request => ({
  method: 'POST',
  path: '/api/profile/cowork/plans/',
  headers: { 'Content-Type': json, Authorization: bearer },
  body: { title, period_amount, interval: 'monthly', is_active: true },
});

/** xia's subscription to a plan of cowork: to open-space, paid to 2026-12-01 and renewed, unless `fields` say otherwise. */
const xiasSubscription = (plan: string, fields: Record<string, unknown> = {}) => ({
  organization: { slug: 'xia' },
  plan: { slug: plan },
  ends_at: instant('2026-12-01T00:00:00Z'),
  auto_renew: true,
  grant_key: null,
  description: null,
  ...fields,
});

const interactions: Interaction[] = [
  {
    uponReceiving: 'a request for the public pricing page',
    withRequest: sends('GET', '/api/pricing/'),
    willRespondWith: answers(200, pageOf(3, plan)),
  },
  {
    uponReceiving: "a request for cowork's plans",
    withRequest: sends('GET', '/api/profile/cowork/plans/', { headers: { Authorization: bearer } }),
    willRespondWith: answers(200, pageOf(3, plan)),
  },
  {
    uponReceiving: "a request for cowork's plans without a token",
    withRequest: sends('GET', '/api/profile/cowork/plans/'),
    willRespondWith: answers(401, { detail: string('Authentication credentials were not provided.') }),
  },
  {
    uponReceiving: 'the creation of a plan',
    withRequest: createPlan('Hot Desk', 9900),
    willRespondWith: answers(201, {
      slug: 'hot-desk',
      title: 'Hot Desk',
      period_amount: 9900,
      interval: 'monthly',
      is_active: true,
    }),
  },
  {
    uponReceiving: 'the creation of a plan with a title cowork already uses',
    withRequest: createPlan('Premium', 100),
    willRespondWith: answers(400, { title: 'A plan with this title already exists.' }),
  },
  {
    uponReceiving: "a request for cowork's active subscribers",
    withRequest: sends('GET', '/api/profile/cowork/subscribers/', {
      headers: { Authorization: bearer },
      query: { state: 'active' },
    }),
    willRespondWith: answers(
      200,
      pageOf(1, { slug: 'xia', printable_name: string('Xia Lee'), ends_at: instant('2026-12-01T00:00:00Z') }),
    ),
  },
  {
    uponReceiving: 'a grant of premium to xia',
    withRequest: sends('POST', '/api/profile/cowork/plans/premium/subscriptions/', {
      headers: { Authorization: bearer },
      body: { organization: { slug: 'xia' } },
    }),
    willRespondWith: answers(
      201,
      xiasSubscription('premium', {
        ends_at: instant('2026-12-22T10:00:00Z'),
        grant_key: regex(/^[0-9a-f]{40}$/, '0123456789abcdef0123456789abcdef01234567'),
      }),
    ),
  },
  {
    uponReceiving: "a request for xia's subscription to open-space",
    withRequest: sends('GET', '/api/profile/cowork/plans/open-space/subscriptions/xia/', {
      headers: { Authorization: bearer },
    }),
    willRespondWith: answers(200, xiasSubscription('open-space')),
  },
  {
    uponReceiving: "an extension of xia's subscription to open-space",
    withRequest: sends('PUT', '/api/profile/cowork/plans/open-space/subscriptions/xia/', {
      headers: { Authorization: bearer },
      body: { ends_at: '2040-01-01T00:00:00Z', description: 'extended after call with customer' },
    }),
    willRespondWith: answers(
      200,
      xiasSubscription('open-space', {
        ends_at: '2040-01-01T00:00:00Z',
        description: 'extended after call with customer',
      }),
    ),
  },
  {
    uponReceiving: "the cancellation of xia's subscription to open-space",
    withRequest: sends('DELETE', '/api/profile/cowork/plans/open-space/subscriptions/xia/', {
      headers: { Authorization: bearer },
    }),
    willRespondWith: { status: 204 },
  },
  {
    uponReceiving: "a request for a subscription of xia's that does not exist",
    withRequest: sends('GET', '/api/profile/cowork/plans/managed/subscriptions/xia/', {
      headers: { Authorization: bearer },
    }),
    willRespondWith: answers(404, { detail: 'Not found.' }),
  },
];

describePact(parties, {
  client: 'the plans and subscriptions page',
  interactions,
  exercise: async (mock) => {
    const anonymous = new DjaoappPlansClient(mock.url);
    expect((await anonymous.pricing())[0]).toEqual({
      slug: 'open-space',
      title: 'Open Space',
      amount: 17999,
      interval: 'monthly',
      active: true,
    });
    await expect(anonymous.plans('cowork')).rejects.toMatchObject({ status: 401 });
    const page = new DjaoappPlansClient(mock.url, exampleToken);
    expect((await page.plans('cowork')).map((p) => p.slug)).toEqual(['open-space']);
    expect(await page.createPlan('cowork', 'Hot Desk', 9900, 'monthly')).toEqual({
      slug: 'hot-desk',
      title: 'Hot Desk',
      amount: 9900,
      interval: 'monthly',
      active: true,
    });
    await expect(page.createPlan('cowork', 'Premium', 100, 'monthly')).rejects.toMatchObject({
      status: 400,
      body: { title: 'A plan with this title already exists.' },
    });
    expect(await page.activeSubscribers('cowork')).toEqual(['xia']);
    const granted = await page.grant('cowork', 'premium', 'xia');
    expect(granted).toMatchObject({ subscriber: 'xia', plan: 'premium', autoRenew: true, note: null });
    expect(granted.grantKey).toMatch(/^[0-9a-f]{40}$/);
    expect(await page.subscription('cowork', 'open-space', 'xia')).toMatchObject({
      plan: 'open-space',
      autoRenew: true,
      grantKey: null,
    });
    expect(
      await page.extend('cowork', 'open-space', 'xia', '2040-01-01T00:00:00Z', 'extended after call with customer'),
    ).toMatchObject({
      endsAt: '2040-01-01T00:00:00Z',
      note: 'extended after call with customer',
    });
    await page.cancel('cowork', 'open-space', 'xia');
    await expect(page.subscription('cowork', 'managed', 'xia')).rejects.toMatchObject({ status: 404 });
  },
  throughPublicApi: (baseUrl) => plansStateThroughPublicApi(baseUrl, manager),
  withoutPublicApi: 'unused: the public API sets the state up',
  requestFilter: (target) => freshTokenFilter(target, manager.username, manager.password),
  // Eleven interactions, each after its state is set up through the public API: 2-4 s apiece on a real site.
  providerTimeout: 120_000,
});
