/**
 * Subscriptions, scenario by scenario: reading them, the 30-day trial, subscribing, changing plan and seats,
 * cancelling now or at the period end, renewals and the downgrade after the end, all on the sandbox clock.
 * Each scenario starts from the fixtures with the clock frozen at 2026-11-15T12:00:00Z (on a Standin target).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { expectStatus, needsStandin } from '../support/target.ts';
import {
  advance,
  expectError,
  FREE_57,
  STARTER_56,
  togglSuite,
  workspacePurchaseOrder,
  expectPurchaseOrder,
} from './target.ts';

const { t, creds } = await togglSuite({ fresh: 'each' });

const germanContact = {
  company_name: 'Other Org GmbH',
  company_address: 'Hauptstraße 1',
  company_city: 'Munich',
  contact_email: 'billing@other.test',
  country_id: 82,
  zip_code: '80331',
};

/** The dates and flags of SubscriptionOutData must tell one story, whatever the state. */
function expectConsistent(sub: any) {
  if (sub.current_period_starts_at !== undefined) {
    expect(Date.parse(sub.current_period_starts_at)).toBeLessThanOrEqual(Date.parse(sub.current_period_ends_at));
    expect(sub.start_date).toBe(sub.current_period_starts_at);
    expect(sub.end_date).toBe(sub.current_period_ends_at);
    expect(sub.subscription_period.finished_on).toBe(sub.current_period_ends_at);
  }
  switch (sub.state) {
    case 'active':
      expect(sub.auto_renew).toBe(true);
      expect(sub.next_payment_date).toBe(sub.current_period_ends_at);
      expect(sub.renewal_at).toBe(sub.current_period_ends_at);
      expect(sub.renewal_date).toBe(sub.current_period_ends_at.slice(0, 10));
      expect(sub.cancel_date).toBeUndefined();
      break;
    case 'canceled':
      expect(sub.auto_renew).toBe(false);
      expect(sub.cancel_date).toBe(sub.current_period_ends_at);
      expect(sub.next_payment_date).toBeUndefined();
      break;
    case 'trialing':
      expect(sub).toMatchObject({
        auto_renew: false,
        new_signup_trial: true,
        trial_end_date: sub.current_period_ends_at,
        next_payment_date: sub.trial_end_date,
      });
      expect(Date.parse(sub.trial_end_date) - Date.parse(sub.trial_start_date)).toBe(30 * 86_400_000);
      break;
    default:
      expect(['free', 'suspended']).toContain(sub.state);
      expect(sub.auto_renew).toBe(false);
      expect(sub.current_period_starts_at).toBeUndefined();
      expect(sub.next_payment_date).toBeUndefined();
  }
}

/** POST /workspaces/{workspace_id}/subscription: subscribe, change plan, or cancel through the Free plan. */
const subscribeWorkspace = (workspace_id: number, headers: Record<string, string>, body: unknown) =>
  t.call('post_workspace_subscription', { params: { workspace_id }, headers, body });

/** DELETE /workspaces/{workspace_id}/subscription/{subscription_id}, with the cancellation feedback as its body. */
const cancelWorkspaceSubscription = (
  workspace_id: number,
  subscription_id: number,
  headers: Record<string, string>,
  feedback?: unknown,
) => t.call('delete_workspace_subscription', { params: { workspace_id, subscription_id }, headers, body: feedback });

/** POST /workspaces/{workspace_id}/subscription/calculate: a quote (of the suite's workspace, by its admin). */
const calculate = (body: unknown, workspace_id = creds.workspaceId, headers = creds.admin) =>
  t.call('post_workspace_subscription_calculate', { params: { workspace_id }, headers, body });

/** PUT /workspaces/{workspace_id}/profile/{profile_id} (deprecated). */
const switchProfile = (workspace_id: number, profile_id: number, headers: Record<string, string>, body?: unknown) =>
  t.call('put_workspace_profile', { params: { workspace_id, profile_id }, headers, body });

/** POST /organizations/{organization_id}/subscription/trial: the 30-day trial. */
const startTrial = (organization_id: number, headers: Record<string, string>) =>
  t.call('post_organization_subscription_0', { params: { organization_id }, headers });

/** DELETE /organizations/{organization_id}/subscription, with its immediateCancel query. */
const cancelOrganizationSubscription = (
  organization_id: number,
  headers: Record<string, string>,
  query?: Record<string, string | number>,
) => t.call('delete_organization_subscription', { params: { organization_id }, query, headers });

/** GET /organizations/{organization_id}/subscription/invoice_summary, for another quantity or plan in the query. */
const invoiceSummary = (
  organization_id: number,
  headers: Record<string, string>,
  query?: Record<string, string | number>,
) => t.call('get_organization_invoice_summary', { params: { organization_id }, query, headers });

/** POST /organizations/{organization_id}/subscription (unified). */
const subscribeOrganization = (organization_id: number, headers: Record<string, string>, body: unknown) =>
  t.call('post_organization_subscription', { params: { organization_id }, headers, body });

/** PUT /organizations/{organization_id}/subscription (unified). */
const changeOrganizationSubscription = (organization_id: number, headers: Record<string, string>, body: unknown) =>
  t.call('put_organization_subscription', { params: { organization_id }, headers, body });

async function orgSubscription(orgId: number, headers: Record<string, string>) {
  const res = await t.call('get_organization_subscription', { params: { organization_id: orgId }, headers });
  expect(res.status).toBe(200);
  expectConsistent(res.body);
  return res.body;
}

/**
 * The organization's subscription as GET answers it, holding `fields` (what `state` implies, such as auto_renew,
 * expectConsistent checks); the subscription.
 */
async function expectSubscription(orgId: number, headers: Record<string, string>, fields: Record<string, unknown>) {
  const sub = await orgSubscription(orgId, headers);
  expect(sub).toMatchObject(fields);
  return sub;
}

describe('GET organization and workspace subscription', () => {
  it("shows organization 56's Starter subscription with its period, seats, customer and last invoice", async (ctx) => {
    needsStandin(ctx, STARTER_56);
    const sub = await expectSubscription(56, creds.admin, {
      state: 'active',
      plan_name: 'Starter',
      pricing_plan_id: 56,
      billing_period_in_months: 1,
      seats: 2,
      seat_cost_in_cents: 1000,
      currency: 'USD',
      customer_id: 56,
      company_id: 2,
      is_unified: false,
      trial_available: false,
      enterprise: false,
      current_period_starts_at: '2026-11-01T00:00:00Z',
      current_period_ends_at: '2026-12-01T00:00:00Z',
      next_payment_date: '2026-12-01T00:00:00Z',
      renewal_date: '2026-12-01',
      subscription_period: {
        subscription_id: 56,
        started_on: '2026-11-01T00:00:00Z',
        finished_on: '2026-12-01T00:00:00Z',
        user_count: 2,
        trial: false,
      },
      last_invoice: { id: 56, amount: 2000, total_amount: 2000, tax_percentage: 0 },
      card_details: { card_number: '************4242', holder_name: 'Toggl Admin', creator_name: 'Toggl Admin' },
      contact_details: { company_name: 'Toggl Test Org LLC', country_id: 235, country_subdivision_id: 3944 },
    });
    expect(sub.cancel_date).toBeUndefined();
  });

  it('the workspace view shows the same subscription to every member', async () => {
    const byMember = await t.call('get_workspace_subscription', {
      params: { workspace_id: creds.workspaceId },
      headers: creds.member,
    });
    expect(byMember.status).toBe(200);
    const byAdmin = await orgSubscription(creds.orgId, creds.admin);
    expect(byMember.body).toEqual(byAdmin);
  });

  it('answers 403 Admin permissions required. to plain members and outsiders of the organization', async () => {
    for (const headers of [creds.member, creds.other]) {
      const res = await t.call('get_organization_subscription', { params: { organization_id: creds.orgId }, headers });
      expectError(res, 403, 'Admin permissions required.');
    }
  });
});

describe('the lifecycle on the sandbox clock', () => {
  beforeEach((ctx) => needsStandin(ctx, "the sandbox clock, and the fixtures' organizations 56 and 57"));

  it('trial → day 31 → subscribe → more seats priced with calculate → cancel at period end → past the end: Free', async () => {
    // Organization 57: 3 users, never had a trial.
    let sub = await expectSubscription(57, creds.other, {
      state: 'free',
      plan_name: 'Free',
      trial_available: true,
      seats: 3,
    });

    // 1. Start the 30-day trial.
    expect((await startTrial(57, creds.other)).status).toBe(200);
    sub = await expectSubscription(57, creds.other, {
      state: 'trialing',
      plan_name: 'Premium',
      new_signup_trial: true,
      is_unified: true,
      trial_available: false,
      trial_start_date: '2026-11-15T12:00:00Z',
      trial_end_date: '2026-12-15T12:00:00Z',
      current_period_ends_at: '2026-12-15T12:00:00Z',
      seats: 3,
      subscription_period: { trial: true, user_count: 3 },
    });
    const again = await startTrial(57, creds.other);
    expectError(again, 403, 'Forbidden');

    // 2. Day 31: the trial is over; 3 users fit the Free plan.
    await advance(t, 'P31D');
    sub = await expectSubscription(57, creds.other, {
      state: 'free',
      plan_name: 'Free',
      pricing_plan_id: 1,
      trial_available: false,
      cancel_date: '2026-12-15T12:00:00Z',
      last_pricing_plan_id: 57,
    });
    expect(sub.trial_end_date).toBeUndefined();

    // 3. Subscribe to Premium Monthly from the workspace, with German contact details (EUR, 19% VAT).
    const created = await subscribeWorkspace(57, creds.other, { pricing_plan_id: 57, contact_details: germanContact });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      workspace_id: 57,
      organization_id: 57,
      pricing_plan_id: 57,
      currency: 'EUR',
      auto_renew: true,
      created_at: '2026-12-16T12:00:00Z',
      renewal_at: '2027-01-16T12:00:00Z',
      contact_detail: { company_name: 'Other Org GmbH', country_id: 82, is_eu_resident: true },
    });
    sub = await expectSubscription(57, creds.other, {
      state: 'active',
      plan_name: 'Premium',
      seats: 3,
      currency: 'EUR',
      current_period_starts_at: '2026-12-16T12:00:00Z',
      current_period_ends_at: '2027-01-16T12:00:00Z',
      last_invoice: { amount: 5400, tax_percentage: 19, total_amount: 6426 },
    });

    // 4. Price 10 seats, then order them: the 7 extra seats cost their share of the rest of the period.
    const calc = await calculate({ period: 1, pricing_plan_id: 57, user_count: 10 }, 57, creds.other);
    expect(calc.status).toBe(200);
    expect(calc.body).toEqual({
      currency: 'EUR',
      period: 1,
      tax_percentage: 19,
      total_amount: 21420,
      calculation: '10 seats × 18.00 EUR × 1 month = 180.00 EUR + 19% tax 34.20 EUR = 214.20 EUR',
    });
    await advance(t, 'P10D');
    const po = await workspacePurchaseOrder(t, 57, creds.other, { user_count: 10 });
    expectPurchaseOrder(po, '2026-12-26T12:00:00Z', '2027-01-25T12:00:00Z');
    sub = await orgSubscription(57, creds.other);
    expect(sub.seats).toBe(10);
    const summary = await invoiceSummary(57, creds.other);
    expect(JSON.parse(summary.body)).toMatchObject({
      quantity: 10,
      subtotal: 18000,
      tax_amount: 3420,
      total: 21420,
      period_starts_at: '2027-01-16T12:00:00Z',
    });

    // 5. Cancel at the end of the period: still Premium until then, no renewal.
    const cancelled = await cancelOrganizationSubscription(57, creds.other, { immediateCancel: 'false' });
    expect(cancelled.status).toBe(200);
    sub = await expectSubscription(57, creds.other, {
      state: 'canceled',
      plan_name: 'Premium',
      cancel_date: '2027-01-16T12:00:00Z',
    });
    expect(sub.next_payment_date).toBeUndefined();

    // 6. Past the period end: 3 users → Free.
    await advance(t, 'P30D');
    sub = await expectSubscription(57, creds.other, {
      state: 'free',
      plan_name: 'Free',
      cancel_date: '2027-01-16T12:00:00Z',
      last_pricing_plan_id: 57,
    });
    const features = await t.call('get_workspace_features_selected', {
      params: { workspace_id: 57 },
      headers: creds.other,
    });
    expect(features.body).toEqual({ id: 1, name: 'Free', enabled: true });
  });

  it('an organization of more than 5 users is suspended when its cancelled subscription ends', async () => {
    const res = await cancelOrganizationSubscription(58, creds.other, { immediateCancel: 'false' });
    expect(res.status).toBe(200);
    await advance(t, 'P30D');
    await expectSubscription(58, creds.other, {
      state: 'suspended',
      plan_name: 'Premium',
      seats: 7,
      cancel_date: '2026-12-10T00:00:00Z',
    });
    expect(
      (await t.call('get_workspace_features', { params: { workspace_id: 58 }, headers: creds.other })).body,
    ).toEqual({ id: 3, name: 'Premium', enabled: false });
    expect(
      (await t.call('get_workspace_features_selected', { params: { workspace_id: 58 }, headers: creds.other })).body,
    ).toEqual({ id: 1, name: 'Free', enabled: false });
    // Paying again lifts the suspension.
    const again = await subscribeWorkspace(58, creds.other, { pricing_plan_id: 57 });
    expect(again.status).toBe(200);
    expect((await orgSubscription(58, creds.other)).state).toBe('active');
  });

  it('renews an active subscription at its period end with a new invoice and payment', async () => {
    await advance(t, 'P17D'); // 2026-12-02
    const sub = await expectSubscription(56, creds.admin, {
      state: 'active',
      current_period_starts_at: '2026-12-01T00:00:00Z',
      current_period_ends_at: '2027-01-01T00:00:00Z',
      last_invoice: { total_amount: 2000, created_at: '2026-12-01T00:00:00Z' },
    });
    const records = await t.call('get_workspace_payment_records', {
      params: { workspace_id: 56 },
      headers: creds.admin,
    });
    expect(records.body.slice(0, 2)).toEqual([
      expect.objectContaining({
        record_type: 'payment',
        total_amount: 2000,
        creation_date: '2026-12-01T00:00:00Z',
        initial_id: sub.last_invoice.id,
      }),
      expect.objectContaining({ record_type: 'invoice', id: sub.last_invoice.id, total_amount: 2000 }),
    ]);
  });

  it('only the first organization of a user gets a trial', async () => {
    // Organization 58 is other@'s second organization.
    const res = await startTrial(58, creds.other);
    expectError(res, 403, 'Forbidden');
  });

  it('cancelling a trial ends it at once, at no cost', async () => {
    await startTrial(57, creds.other);
    const res = await cancelOrganizationSubscription(57, creds.other, { immediateCancel: 'false' });
    expect(res.status).toBe(200);
    const sub = await expectSubscription(57, creds.other, { state: 'free', trial_available: false });
    expect(sub.last_invoice).toBeUndefined();
  });
});

describe('DELETE /organizations/{organization_id}/subscription', () => {
  it('immediateCancel=true ends the subscription now: 2 users → Free', async (ctx) => {
    needsStandin(ctx, STARTER_56);
    const res = await cancelOrganizationSubscription(56, creds.admin, { immediateCancel: 'true' });
    expect(res.status).toBe(200);
    expect(typeof res.body).toBe('string');
    await expectSubscription(56, creds.admin, {
      state: 'free',
      plan_name: 'Free',
      cancel_date: '2026-11-15T12:00:00Z',
    });
  });

  it("the seed's example value (immediate_cancel_example) cancels at the period end", async (ctx) => {
    needsStandin(ctx, STARTER_56);
    await cancelOrganizationSubscription(56, creds.admin, { immediateCancel: 'immediate_cancel_example' });
    await expectSubscription(56, creds.admin, {
      state: 'canceled',
      cancel_date: '2026-12-01T00:00:00Z',
    });
  });

  it('answers 404 subscription not found when nothing runs', async (ctx) => {
    needsStandin(ctx, FREE_57);
    const res = await cancelOrganizationSubscription(57, creds.other, { immediateCancel: 'true' });
    expectError(res, 404, 'subscription not found');
  });

  it('answers 400 without the required immediateCancel and 403 to a plain member', async () => {
    const missing = await cancelOrganizationSubscription(creds.orgId, creds.admin);
    expectError(missing, 400, 'immediateCancel is a required field');
    const member = await cancelOrganizationSubscription(creds.orgId, creds.member, { immediateCancel: 'false' });
    expectError(member, 403, 'Admin permissions required.');
  });
});

describe('POST and PUT /organizations/{organization_id}/subscription (unified)', () => {
  it('creates a unified subscription from a pricing plan tag', async (ctx) => {
    needsStandin(ctx, FREE_57);
    const res = await subscribeOrganization(57, creds.other, { pricing_plan_tag: 'starter-annual' });
    expect(res.status).toBe(200);
    expect(res.raw.length).toBe(0);
    await expectSubscription(57, creds.other, {
      state: 'active',
      is_unified: true,
      plan_name: 'Starter',
      pricing_plan_id: 156,
      billing_period_in_months: 12,
      seats: 3,
      currency: 'USD',
      current_period_ends_at: '2027-11-15T12:00:00Z',
      last_invoice: { total_amount: 32400 },
    });
  });

  it('answers 400 pricing_plan_tag is a required field', async () => {
    for (const op of ['post_organization_subscription', 'put_organization_subscription']) {
      const res = await t.call(op, { params: { organization_id: creds.orgId }, headers: creds.admin, body: {} });
      expectError(res, 400, 'pricing_plan_tag is a required field');
    }
  });

  it('answers 400 for an unknown tag and when a subscription already runs', async (ctx) => {
    needsStandin(ctx, "the fixtures' organizations 56 (subscribed) and 57 (not)");
    const unknown = await subscribeOrganization(57, creds.other, { pricing_plan_tag: 'pricing_plan_tag_example' });
    expectError(unknown, 400, 'pricing_plan_tag is not valid');
    const exists = await subscribeOrganization(56, creds.admin, { pricing_plan_tag: 'premium-monthly' });
    expectError(exists, 400, 'Subscription already exists');
    expect((await orgSubscription(56, creds.admin)).plan_name).toBe('Starter');
  });

  it('PUT changes the plan at once; an upgrade costs the difference pro rata', async (ctx) => {
    needsStandin(ctx, STARTER_56);
    const res = await changeOrganizationSubscription(56, creds.admin, { pricing_plan_tag: 'premium-monthly' });
    expect(res.status).toBe(200);
    // 2 seats × (20.00 − 10.00) USD for 15.5 of the period's 30 days.
    await expectSubscription(56, creds.admin, {
      plan_name: 'Premium',
      pricing_plan_id: 57,
      last_pricing_plan_id: 56,
      current_period_ends_at: '2026-12-01T00:00:00Z',
      last_invoice: { amount: 1033, total_amount: 1033 },
    });
  });

  it('PUT answers 400 subscription not found when nothing runs', async (ctx) => {
    needsStandin(ctx, FREE_57);
    const res = await changeOrganizationSubscription(57, creds.other, { pricing_plan_tag: 'premium-monthly' });
    expectError(res, 400, 'subscription not found');
  });

  it('answers 403 Admin permissions required. to plain members', async () => {
    for (const op of ['post_organization_subscription', 'put_organization_subscription']) {
      const res = await t.call(op, {
        params: { organization_id: creds.orgId },
        headers: creds.member,
        body: { pricing_plan_tag: 'premium-monthly' },
      });
      expectError(res, 403, 'Admin permissions required.');
    }
    const trial = await startTrial(creds.orgId, creds.member);
    expect(trial.status).toBe(403);
  });
});

describe('GET /organizations/{organization_id}/subscription/invoice_summary', () => {
  it('summarises the next invoice, for the current seats or another quantity and plan', async (ctx) => {
    needsStandin(ctx, STARTER_56);
    const current = await invoiceSummary(56, creds.admin);
    expect(current.status).toBe(200);
    expect(JSON.parse(current.body)).toEqual({
      pricing_plan_id: 56,
      pricing_plan_tag: 'starter-monthly',
      plan_name: 'Starter',
      quantity: 2,
      period: 1,
      currency: 'USD',
      subtotal: 2000,
      tax_percentage: 0,
      tax_amount: 0,
      total: 2000,
      period_starts_at: '2026-12-01T00:00:00Z',
      period_ends_at: '2027-01-01T00:00:00Z',
    });
    const seed = await invoiceSummary(56, creds.admin, { quantity: 56 });
    expect(JSON.parse(seed.body)).toMatchObject({ quantity: 56, subtotal: 56000, total: 56000 });
    const annual = await invoiceSummary(56, creds.admin, { quantity: 3, pricing_plan_tag: 'premium-annual' });
    expect(JSON.parse(annual.body)).toMatchObject({
      pricing_plan_id: 157,
      period: 12,
      subtotal: 64800,
      period_ends_at: '2027-12-01T00:00:00Z',
    });
  });

  it('answers 400 Bad Request for an unknown tag, a quantity below 1 or without a subscription', async (ctx) => {
    needsStandin(ctx, "the fixtures' organizations 56 (subscribed) and 57 (not)");
    const cases: {
      organization_id: number;
      query: Record<string, string | number>;
      headers: Record<string, string>;
    }[] = [
      {
        organization_id: 56,
        query: { quantity: 56, pricing_plan_tag: 'pricing_plan_tag_example' },
        headers: creds.admin,
      },
      { organization_id: 56, query: { quantity: 0 }, headers: creds.admin },
      { organization_id: 56, query: { quantity: 'many' }, headers: creds.admin },
      { organization_id: 57, query: {}, headers: creds.other },
    ];
    for (const c of cases) {
      const res = await invoiceSummary(c.organization_id, c.headers, c.query);
      expectError(res, 400, 'Bad Request');
    }
  });

  it('answers 403 to a plain member', async () => {
    const res = await invoiceSummary(creds.orgId, creds.member);
    expect(res.status).toBe(403);
  });
});

describe('POST /workspaces/{workspace_id}/subscription', () => {
  it('changes the plan: monthly → annual starts a new period, invoiced in full', async (ctx) => {
    needsStandin(ctx, STARTER_56);
    const res = await subscribeWorkspace(56, creds.admin, { pricing_plan_id: 157 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      subscription_id: 56,
      pricing_plan_id: 157,
      last_pricing_plan_id: 56,
      renewal_at: '2027-11-15T12:00:00Z',
      auto_renew: true,
    });
    await expectSubscription(56, creds.admin, {
      plan_name: 'Premium',
      billing_period_in_months: 12,
      seat_cost_in_cents: 21600,
      last_invoice: { total_amount: 43200 },
    });
  });

  it("the Free plan's pricing plan cancels at the period end; a paid one lifts the cancellation", async (ctx) => {
    needsStandin(ctx, STARTER_56);
    const cancel = await subscribeWorkspace(56, creds.admin, { pricing_plan_id: 1 });
    expect(cancel.status).toBe(200);
    expect(cancel.body).toMatchObject({ subscription_id: 56, auto_renew: false });
    await expectSubscription(56, creds.admin, {
      state: 'canceled',
      cancel_date: '2026-12-01T00:00:00Z',
    });
    await subscribeWorkspace(56, creds.admin, { pricing_plan_id: 56 });
    const sub = await expectSubscription(56, creds.admin, { state: 'active' });
    expect(sub.cancel_date).toBeUndefined();
  });

  it('answers 400 pricing_plan_id required', async () => {
    for (const body of [{}, { pricing_plan_id: 0 }]) {
      const res = await t.call('post_workspace_subscription', {
        params: { workspace_id: creds.workspaceId },
        headers: creds.admin,
        body,
      });
      expectError(res, 400, 'pricing_plan_id required');
    }
  });

  it('answers Pricing Plan Id must be valid: 404 for an unknown id, 400 for a plan not on sale', async (ctx) => {
    needsStandin(ctx, FREE_57);
    const unknown = await subscribeWorkspace(57, creds.other, { pricing_plan_id: 999 });
    expectError(unknown, 404, 'Pricing Plan Id must be valid');
    const enterprise = await subscribeWorkspace(57, creds.other, {
      pricing_plan_id: 58,
      contact_details: germanContact,
    });
    expectError(enterprise, 400, 'Pricing Plan Id must be valid');
  });

  it('needs contact details for a first subscription and checks them', async (ctx) => {
    needsStandin(ctx, FREE_57);
    const none = await subscribeWorkspace(57, creds.other, { pricing_plan_id: 57 });
    expectError(none, 400, 'the company_name field is required');
    const us = await t.call('post_workspace_subscription', {
      params: { workspace_id: 57 },
      headers: creds.other,
      body: {
        pricing_plan_id: 57,
        contact_details: { ...germanContact, country_id: 235, country_subdivision_id: 3961, zip_code: '' },
      },
    });
    expectError(us, 400, 'the zip_code field is required for US customers');
    expect((await orgSubscription(57, creds.other)).state).toBe('free');
    await expectStatus(404, t.call('get_workspace_customer', { params: { workspace_id: 57 }, headers: creds.other }));
  });

  it('answers 400 No subscription to cancel and Workspace with subscription already present in organization', async (ctx) => {
    needsStandin(ctx, "the fixtures' workspaces 57 (no subscription) and 59 (a second workspace of organization 56)");
    const nothing = await subscribeWorkspace(57, creds.other, { pricing_plan_id: 1 });
    expectError(nothing, 400, 'No subscription to cancel');
    const second = await subscribeWorkspace(59, creds.admin, { pricing_plan_id: 57 });
    expectError(second, 400, 'Workspace with subscription already present in organization');
  });

  it('answers 403 Admin permissions required. to a plain member, 404 to an unknown workspace, 400 to bad JSON', async () => {
    const member = await subscribeWorkspace(creds.workspaceId, creds.member, { pricing_plan_id: 56 });
    expectError(member, 403, 'Admin permissions required.');
    const unknown = await subscribeWorkspace(999999, creds.admin, { pricing_plan_id: 56 });
    expectError(unknown, 404, 'Workspace not found/accessible');
    const bad = await t.call('post_workspace_subscription', {
      params: { workspace_id: creds.workspaceId },
      headers: { ...creds.admin, 'Content-Type': 'application/json' },
      rawBody: '{"pricing_plan_id":',
    });
    expectError(bad, 400, 'JSON is not valid');
    const wrongType = await subscribeWorkspace(creds.workspaceId, creds.admin, { pricing_plan_id: 'fifty-six' });
    expectError(wrongType, 400, 'pricing_plan_id required');
  });
});

describe('DELETE /workspaces/{workspace_id}/subscription/{subscription_id}', () => {
  it('cancels subscription 56 at the period end and keeps the feedback', async (ctx) => {
    needsStandin(ctx, `${STARTER_56}, and the admin API's feedback view`);
    const res = await cancelWorkspaceSubscription(56, 56, creds.admin, {
      comment: 'Too expensive for us',
      selections: [{ reason: 'price' }],
    });
    expect(res.status).toBe(200);
    await expectSubscription(56, creds.admin, {
      state: 'canceled',
      cancel_date: '2026-12-01T00:00:00Z',
    });
    const feedback = await t.admin<any[]>('GET', '/apis/toggl/feedback');
    expect(feedback).toEqual([
      expect.objectContaining({
        organization_id: 56,
        workspace_id: 56,
        pricing_plan_id: 56,
        comment: 'Too expensive for us',
        selections: [{ reason: 'price' }],
      }),
    ]);
  });

  it('answers 400 workspace has no subscription and workspace has no customer', async (ctx) => {
    needsStandin(ctx, "the fixtures' organizations 56 (subscribed) and 57 (no customer)");
    const wrongId = await cancelWorkspaceSubscription(56, 58, creds.admin, {});
    expectError(wrongId, 400, 'workspace has no subscription');
    await startTrial(57, creds.other);
    const trialId = (await orgSubscription(57, creds.other)).subscription_period.subscription_id;
    const noCustomer = await cancelWorkspaceSubscription(57, trialId, creds.other, {});
    expectError(noCustomer, 400, 'workspace has no customer');
    expect((await orgSubscription(57, creds.other)).state).toBe('trialing');
  });

  it('answers 400 without the feedback body and 403 to a plain member', async () => {
    const noBody = await cancelWorkspaceSubscription(creds.workspaceId, 56, creds.admin);
    expectError(noBody, 400, 'JSON is not valid');
    const member = await cancelWorkspaceSubscription(creds.workspaceId, 56, creds.member, {});
    expectError(member, 403, 'Admin permissions required.');
  });
});

describe('POST /workspaces/{workspace_id}/subscription/calculate', () => {
  it('prices seats × seat price × period, with tax, in the customer currency', async (ctx) => {
    needsStandin(ctx, "the fixtures' plan prices and the customer of workspace 56");
    const res = await calculate({ period: 12, pricing_plan_id: 156, user_count: 3 });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      currency: 'USD',
      period: 12,
      tax_percentage: 0,
      total_amount: 32400,
      calculation: '3 seats × 9.00 USD × 12 months = 324.00 USD + 0% tax 0.00 USD = 324.00 USD',
    });
    // Nothing changes: calculate is a quote.
    expect((await orgSubscription(56, creds.admin)).seats).toBe(2);
  });

  it('answers 400 for a period other than 1 or 12, a seat count below 1 or an unknown pricing plan', async () => {
    const cases: [unknown, string][] = [
      [{ period: 6, pricing_plan_id: 56, user_count: 3 }, 'period can be 1 or 12'],
      [{ period: 1, pricing_plan_id: 56, user_count: 0 }, 'user_count must be greater than 0'],
      [{ period: 1, pricing_plan_id: 56 }, 'user_count must be greater than 0'],
      [{ period: 1, user_count: 2 }, 'pricing_plan_id is not valid'],
      [{ period: 1, pricing_plan_id: 999, user_count: 2 }, 'pricing_plan_id is not valid'],
      [{ period: 1, pricing_plan_id: 56, user_count: 2.5 }, 'JSON is not valid: user_count must be integer'],
      [{ period: 1, pricing_plan_id: 56, user_count: 1e308 }, 'JSON is not valid: user_count must be <= 1000000'],
    ];
    for (const [body, message] of cases) {
      const res = await calculate(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body).toBe(message);
    }
  });

  it('answers 400 workspace has no subscription / Invalid subscription, 404 workspace has no customer', async (ctx) => {
    needsStandin(ctx, "the fixtures' organizations 56 (subscribed) and 57 (no customer)");
    const none = await calculate({ period: 1, pricing_plan_id: 57, user_count: 3 }, 57, creds.other);
    expectError(none, 400, 'workspace has no subscription');
    await startTrial(57, creds.other);
    const noCustomer = await calculate({ period: 1, pricing_plan_id: 57, user_count: 3 }, 57, creds.other);
    expectError(noCustomer, 404, 'workspace has no customer');
    await cancelOrganizationSubscription(56, creds.admin, { immediateCancel: 'false' });
    const cancelled = await calculate({ period: 1, pricing_plan_id: 57, user_count: 3 });
    expectError(cancelled, 400, 'Invalid subscription');
  });

  it('answers 404 unknown currency when the plan is not sold in the customer currency', async (ctx) => {
    needsStandin(ctx, 'the admin API, to take the USD price off plan 57');
    const snapshot = await t.admin<any>('GET', '/state');
    const plans = snapshot.apis.toggl.plans;
    delete plans.find((p: any) => p.plan_id === 57).pricing_plans[0].seat_month_cents.USD;
    await t.admin('PUT', '/state', snapshot);
    const res = await calculate({ period: 1, pricing_plan_id: 57, user_count: 3 });
    expectError(res, 404, 'unknown currency');
  });

  it('answers 404 workspace_id is not valid and 403 to a plain member', async () => {
    const unknown = await calculate({ period: 1, pricing_plan_id: 56, user_count: 1 }, 999999);
    expectError(unknown, 404, 'workspace_id is not valid');
    const member = await calculate({ period: 1, pricing_plan_id: 56, user_count: 1 }, creds.workspaceId, creds.member);
    expect(member.status).toBe(403);
  });
});

describe('PUT /workspaces/{workspace_id}/profile/{profile_id} (deprecated)', () => {
  it("switches to the profile's pricing plan: 204, then read back", async (ctx) => {
    needsStandin(ctx, STARTER_56);
    const seed = await switchProfile(56, 56, creds.admin);
    expect(seed.status).toBe(204);
    const res = await switchProfile(56, 57, creds.admin, { comment: 'need more' });
    expect(res.status).toBe(204);
    expect(res.raw.length).toBe(0);
    await expectSubscription(56, creds.admin, {
      plan_name: 'Premium',
      pricing_plan_id: 57,
      last_pricing_plan_id: 56,
    });
  });

  it('answers 400 Not acceptable profile for Free, an unknown plan or without a subscription', async (ctx) => {
    needsStandin(ctx, "the fixtures' organizations 56 (subscribed) and 57 (not)");
    for (const [workspace_id, profile_id, headers] of [
      [56, 1, creds.admin],
      [56, 999, creds.admin],
      [57, 57, creds.other],
    ] as const) {
      const res = await t.call('put_workspace_profile', { params: { workspace_id, profile_id }, headers });
      expectError(res, 400, 'Not acceptable profile');
    }
    expect((await orgSubscription(56, creds.admin)).pricing_plan_id).toBe(56);
  });

  it('answers 403 to a plain member', async () => {
    const res = await switchProfile(creds.workspaceId, 57, creds.member);
    expect(res.status).toBe(403);
  });
});
