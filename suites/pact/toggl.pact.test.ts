/**
 * Consumer: a billing page's client records what it needs from Toggl (contracts/pacts/billing-page-toggl.json).
 * Provider: that pact is verified against the mock (or PACT_PROVIDER_BASE_URL).
 */
import { MatchersV3 } from '@pact-foundation/pact';
import { expect } from 'vitest';
import { answers, describePact, sends, type Interaction, type PactParties } from './consumer.ts';
import { TogglError, TogglSubscriptionClient } from './toggl/subscription-client.ts';

const { like, eachLike, integer, string, regex } = MatchersV3;
const parties: PactParties = {
  consumer: 'billing-page',
  provider: 'toggl',
  state: 'organization 56 pays for Starter in workspace 56',
};
const auth = { Authorization: `Basic ${Buffer.from('admin@toggl.test:yoyo').toString('base64')}` };
const json = 'application/json; charset=utf-8';
const pricingPlan = { pricing_plan_id: integer(56), period: integer(1), prices_month: like({ actual: integer(1000) }) };

const interactions: Interaction[] = [
  {
    uponReceiving: 'a request for the public plans',
    withRequest: sends('GET', '/api/v9/workspaces/plans', { headers: { Accept: 'application/json' } }),
    willRespondWith: answers(
      200,
      eachLike({ plan_id: integer(56), name: string('Starter'), pricing_plans: eachLike(pricingPlan) }),
      json,
    ),
  },
  {
    uponReceiving: "a request for workspace 56's subscription",
    withRequest: sends('GET', '/api/v9/workspaces/56/subscription', { headers: auth }),
    willRespondWith: answers(
      200,
      like({
        state: 'active',
        plan_name: 'Starter',
        pricing_plan_id: 56,
        seats: integer(2),
        auto_renew: true,
        current_period_ends_at: regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/, '2026-12-01T00:00:00Z'),
      }),
      json,
    ),
  },
  {
    uponReceiving: 'a quote for 5 seats of Premium for a year',
    withRequest: sends('POST', '/api/v9/workspaces/56/subscription/calculate', {
      headers: auth,
      body: { pricing_plan_id: 157, user_count: 5, period: 12 },
    }),
    willRespondWith: answers(
      200,
      like({
        total_amount: 108000,
        currency: 'USD',
        period: 12,
        tax_percentage: 0,
        calculation: string('5 seats × 18.00 USD × 12 months'),
      }),
      json,
    ),
  },
  {
    uponReceiving: 'a quote for a 6-month period',
    withRequest: sends('POST', '/api/v9/workspaces/56/subscription/calculate', {
      headers: auth,
      body: { pricing_plan_id: 57, user_count: 5, period: 6 },
    }),
    willRespondWith: answers(400, JSON.stringify('period can be 1 or 12'), json),
  },
  {
    uponReceiving: 'a change to Premium Monthly',
    withRequest: sends('POST', '/api/v9/workspaces/56/subscription', { headers: auth, body: { pricing_plan_id: 57 } }),
    willRespondWith: answers(200, like({ subscription_id: integer(56), pricing_plan_id: 57, workspace_id: 56 }), json),
  },
  {
    uponReceiving: 'a cancellation at the end of the period',
    withRequest: sends('DELETE', '/api/v9/organizations/56/subscription', {
      headers: auth,
      query: { immediateCancel: 'false' },
    }),
    willRespondWith: answers(200, string('OK'), json),
  },
  {
    uponReceiving: 'a download of invoice 56',
    withRequest: sends('GET', '/api/v9/workspaces/56/invoices/56.pdf', { headers: auth }),
    willRespondWith: { status: 200, headers: { 'Content-Type': 'application/pdf' } },
  },
  {
    uponReceiving: 'a request without credentials',
    withRequest: sends('GET', '/api/v9/workspaces/56/subscription'),
    willRespondWith: { status: 401, headers: { 'X-Authorization-Missing': 'true' } },
  },
];

describePact(parties, {
  client: 'the billing page client',
  interactions,
  exercise: async (mock) => {
    const client = new TogglSubscriptionClient(mock.url, 'admin@toggl.test', 'yoyo');
    const plans = await new TogglSubscriptionClient(mock.url).plans();
    expect(plans[0]).toEqual({
      planId: 56,
      name: 'Starter',
      pricingPlans: [{ id: 56, period: 1, seatMonthCents: 1000 }],
    });
    expect(await client.subscription(56)).toEqual({
      state: 'active',
      planName: 'Starter',
      pricingPlanId: 56,
      seats: 2,
      renews: true,
      periodEndsAt: '2026-12-01T00:00:00Z',
    });
    expect(await client.quote(56, 157, 5, 12)).toEqual({ totalCents: 108000, currency: 'USD' });
    await expect(client.quote(56, 57, 5, 6 as 12)).rejects.toMatchObject({
      status: 400,
      body: 'period can be 1 or 12',
    });
    expect(await client.changePlan(56, 57)).toBe(57);
    await client.cancelAtPeriodEnd(56);
    await client.invoicePdf(56, 56);
    const anonymous = new TogglSubscriptionClient(mock.url);
    await expect(anonymous.subscription(56)).rejects.toBeInstanceOf(TogglError);
  },
  withoutPublicApi:
    "the states need organization 56's fixture subscription and invoice 56; Toggl's public API cannot create them with chosen ids",
});
