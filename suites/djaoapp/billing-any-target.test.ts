/**
 * DjaoApp's billing side on any target, with the configured users only: the broker `cowork` (its managers donny and
 * alice) sells a plan made for this run; the member xia puts it in her cart, redeems cowork's coupon DIS100 (a seed
 * name a djaodjin-saas testsite has too) and checks out; the ledger, charges and metrics are read as each side sees
 * them. What a scenario makes is undone in afterAll where the API allows (a subscription ends, the plan is
 * deactivated; the ledger keeps its records, as a real one does).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { broker, brokerPlan, cardToken, sessionWithCleanup } from './portable.ts';
import { unique } from './target.ts';
import { expectStatus } from '../support/target.ts';
import { peopleCsv } from './support/multipart.ts';

const { t, creds, manager, member, cleanup } = await sessionWithCleanup();
const run = unique();
const xia = { organization: creds.member.username };
let plan: string;

beforeAll(async () => {
  plan = await brokerPlan(t, manager, cleanup, { title: `Cart ${run}`, period_amount: 1500 });
  cleanup.add(() => t.send('DELETE', '/api/cart/', { headers: member, query: { plan } }));
});

const planSlugs = (checkout: any): string[] => checkout.results.map((r: any) => r.subscription.plan.slug);

describe('the cart', () => {
  it('POST /api/cart/ puts a plan in: 201, then 200 when it is there; the checkout preview bills it; DELETE takes it out', async () => {
    const added = await t.call('cart_add', { headers: member, body: { plan } });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ plan });
    expect((await t.call('cart_add', { headers: member, body: { plan } })).status).toBe(200);
    const preview = await t.call('checkout_retrieve', { params: xia, headers: member });
    expect(preview.status).toBe(200);
    expect(planSlugs(preview.body)).toContain(plan);
    expect((await t.call('cart_remove', { headers: member, query: { plan } })).status).toBe(204);
    expect(planSlugs((await t.call('checkout_retrieve', { params: xia, headers: member })).body)).not.toContain(plan);
  });

  it('an unknown plan is 400 naming it', async () => {
    const res = await t.call('cart_add', { headers: member, body: { plan: `nope-${run}` } });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ plan: [`Plan 'nope-${run}' does not exist or is inactive.`] });
  });

  it('a coupon of the provider is redeemed on the cart; an unknown code is 400', async () => {
    expect((await t.call('cart_add', { headers: member, body: { plan } })).status).toBe(201);
    const redeemed = await t.call('cart_redeem', { headers: member, body: { code: 'DIS100' } });
    expect([redeemed.status, redeemed.body]).toEqual([200, { detail: "Coupon 'DIS100' was successfully applied." }]);
    const unknown = await t.call('cart_redeem', { headers: member, body: { code: `NOPE${run}` } });
    expect(unknown.status).toBe(400);
    expect((await t.call('cart_remove', { headers: member, query: { plan } })).status).toBe(204);
  });
});

/** A plan of the broker made for one scenario (see brokerPlan); xia's subscription to it ends first. */
async function scenarioPlan(title: string, fields: Record<string, unknown>): Promise<string> {
  const slug = await brokerPlan(t, manager, cleanup, { title: `${title} ${run}`, ...fields });
  cleanup.add(() =>
    t.send('DELETE', `/api/profile/${broker}/plans/${slug}/subscriptions/${xia.organization}/`, { headers: manager }),
  );
  return slug;
}

describe('a plan the provider opts subscribers in to', () => {
  it('the member checks it out with nothing to pay: 200; the provider accepts the request: 200, then 404 for the same key', async () => {
    const optIn = await scenarioPlan('Opt In', { period_amount: 0, optin_on_request: true });
    expect((await t.call('cart_add', { headers: member, body: { plan: optIn } })).status).toBe(201);
    const checkout = await t.call('checkout_create', {
      params: xia,
      headers: member,
      body: { processor_token: cardToken, remember_card: false },
    });
    expect(checkout.status).toBe(200);
    const provided = await t.call('plan_subscriptions_list', {
      params: { organization: broker, plan: optIn },
      headers: manager,
    });
    const requestKey = provided.body.results.find((s: any) => s.organization.slug === xia.organization)?.request_key;
    expect(requestKey).toEqual(expect.any(String));
    const accept = { organization: broker, request_key: requestKey };
    const accepted = await t.call('subscribers_accept', { params: accept, headers: manager });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({
      organization: { slug: xia.organization },
      plan: { slug: optIn },
      request_key: null,
    });
    expect((await t.call('subscribers_accept', { params: accept, headers: manager })).status).toBe(404);
  });
});

describe('a paid checkout and its charge', () => {
  it('the member pays her cart with a card: 200 with the charge, which she reads and has e-mailed; the provider refunds it', async () => {
    expect((await t.call('cart_add', { headers: member, body: { plan } })).status).toBe(201);
    const paid = await t.call('checkout_create', {
      params: xia,
      headers: member,
      body: { processor_token: cardToken, remember_card: false },
    });
    expect(paid.status).toBe(200);
    expect(paid.body).toMatchObject({ amount: 1500, unit: 'usd' });
    const charge = { organization: paid.body.processor_key as string };
    const read = await t.call('charges_retrieve', { params: charge, headers: member });
    expect([read.status, read.body.processor_key, read.body.state]).toEqual([200, charge.organization, 'done']);
    expect((await t.call('charges_email', { params: charge, headers: member })).status).toBe(200);
    const refunded = await t.call('charges_refund', {
      params: charge,
      headers: manager,
      body: { lines: [{ num: 0, refunded_amount: 1500 }] },
    });
    expect(refunded.status).toBe(200);
    expect(refunded.body.processor_key).toBe(charge.organization);
    await expectStatus(
      204,
      t.call('plan_subscription_destroy', {
        params: { organization: broker, plan, subscriber: xia.organization },
        headers: manager,
      }),
    );
  });
});

describe('an offline payment', () => {
  it('a provider records a payment by check for a subscription it granted: 200 with what was recorded', async () => {
    const offline = await scenarioPlan('Offline', { period_amount: 1000 });
    const profile = await t.call('profiles_retrieve', { params: xia, headers: member });
    const subscriber = { organization: { slug: xia.organization, full_name: profile.body.full_name } };
    await expectStatus(
      201,
      t.call('plan_subscriptions_create', {
        params: { organization: broker, plan: offline },
        headers: manager,
        body: subscriber,
      }),
    );
    const created_at = new Date().toISOString();
    const imported = await t.call('billing_transfers_import', {
      params: { organization: broker },
      headers: manager,
      body: {
        subscription: `${xia.organization}-${offline}`,
        amount: '10.00',
        descr: `Paid by check ${run}`,
        created_at,
      },
    });
    expect(imported.status).toBe(200);
    expect(imported.body).toMatchObject({
      subscription: `${xia.organization}-${offline}`,
      amount: '10.00',
      descr: `Paid by check ${run}`,
    });
  });
});

describe('a GroupBuy upload', () => {
  it('puts the plan in the cart for each person of a CSV, reports what it cannot read; the items are taken out again', async () => {
    const res = await t.call('cart_upload', {
      params: { plan },
      ...peopleCsv(member, `Joe,Smith,joe-${run}@example.com\nBad,Mail,not-an-address\n`),
    });
    expect(res.status).toBe(200);
    expect(res.body.created).toEqual([{ first_name: 'Joe', last_name: 'Smith', email: `joe-${run}@example.com` }]);
    expect(res.body.failed.length).toBe(1);
    expect((await t.call('cart_remove', { headers: member, query: { plan } })).status).toBe(204);
  });
});

describe("a provider's coupons", () => {
  it('a manager lists, reads and updates a coupon; the change reads back and is undone', async () => {
    const coupon = { organization: broker, coupon: 'DIS100' };
    const list = await t.call('coupons_list', {
      params: { organization: broker },
      query: { q: 'DIS' },
      headers: manager,
    });
    expect(list.status).toBe(200);
    expect(list.body.results.map((c: { code: string }) => c.code)).toContain('DIS100');
    const read = await t.call('coupons_retrieve', { params: coupon, headers: manager });
    expect([read.status, read.body.code]).toEqual([200, 'DIS100']);
    const { discount_type, discount_value, description } = read.body;
    cleanup.add(() =>
      t.send('PUT', `/api/billing/${broker}/coupons/DIS100/`, {
        headers: manager,
        body: { discount_type, discount_value, description },
      }),
    );
    const updated = await t.call('coupons_update', {
      params: coupon,
      headers: manager,
      body: { discount_type, discount_value, description: `run ${run}` },
    });
    expect([updated.status, updated.body.description]).toEqual([200, `run ${run}`]);
    expect((await t.call('coupons_retrieve', { params: coupon, headers: manager })).body.description).toBe(
      `run ${run}`,
    );
    await expectStatus(
      404,
      t.call('coupons_retrieve', { params: { organization: broker, coupon: `NOPE${run}` }, headers: manager }),
    );
  });

  // The API makes no coupon (the seed documents no create), so a portable scenario deletes only one that is not there.
  it('deleting a coupon the provider does not have is 404, and its coupons are unchanged', async () => {
    const before = await t.call('coupons_list', { params: { organization: broker }, headers: manager });
    await expectStatus(
      404,
      t.call('coupons_destroy', { params: { organization: broker, coupon: `NOPE${run}` }, headers: manager }),
    );
    expect((await t.call('coupons_list', { params: { organization: broker }, headers: manager })).body.count).toBe(
      before.body.count,
    );
  });
});

describe('what each side reads', () => {
  type Reader = 'manager' | 'member';
  const reads: Array<[string, Reader, () => Record<string, string>, number[]]> = [
    // A profile without a card on file answers 404.
    ['card_retrieve', 'member', () => xia, [200, 404]],
    ['billing_balance_retrieve', 'member', () => xia, [200]],
    ['billing_history_list', 'member', () => xia, [200]],
    ['bank_retrieve', 'manager', () => ({ organization: broker }), [200]],
    ['billing_receivables_list', 'manager', () => ({ organization: broker }), [200]],
    ['billing_transfers_list', 'manager', () => ({ organization: broker }), [200]],
    ['transactions_list', 'manager', () => ({}), [200]],
    ['charges_list', 'manager', () => ({}), [200]],
    ['metrics_balances', 'manager', () => ({ organization: broker }), [200]],
    ['metrics_funds', 'manager', () => ({ organization: broker }), [200]],
    ['metrics_customers', 'manager', () => ({ organization: broker }), [200]],
    ['metrics_plans', 'manager', () => ({ organization: broker }), [200]],
    ['metrics_active_list', 'manager', () => ({ organization: broker }), [200]],
    ['metrics_churned_list', 'manager', () => ({ organization: broker }), [200]],
    ['metrics_coupon_uses_list', 'manager', () => ({ organization: broker, coupon: 'DIS100' }), [200]],
    ['metrics_registered_list', 'manager', () => ({}), [200]],
  ];
  it.each(reads)('%s answers the %s', async (operationId, reader, params, statuses) => {
    const res = await t.call(operationId, { params: params(), headers: reader === 'manager' ? manager : member });
    expect(statuses).toContain(res.status);
  });

  it.each([
    ['billing_history_list', { organization: broker }],
    ['coupons_list', { organization: broker }],
    ['metrics_active_list', { organization: broker }],
  ] as const)('%s of the broker is 403 to a member', async (operationId, params) => {
    expect((await t.call(operationId, { params, headers: member })).status).toBe(403);
  });

  it("the subscriber's balance due is written off: 204, and it reads 0", async () => {
    expect((await t.call('billing_balance_destroy', { params: xia, headers: manager })).status).toBe(204);
    const balance = await t.call('billing_balance_retrieve', { params: xia, headers: member });
    expect(balance.status).toBe(200);
  });
});

describe("the broker's balance sheets", () => {
  it('a report is read; a line is added, read, renamed and removed', async () => {
    const report = { report: 'taxes' };
    expect((await t.call('metrics_balance_sheet_retrieve', { params: report, headers: manager })).status).toBe(200);
    const before = await t.call('metrics_balance_lines_list', { params: report, headers: manager });
    expect(before.status).toBe(200);
    const rank = before.body.count + 1;
    const added = await t.call('metrics_balance_lines_create', {
      params: report,
      headers: manager,
      body: { title: `Line ${run}`, selector: `Funds:${run}`, rank },
    });
    expect(added.status).toBe(201);
    cleanup.add(() => t.send('DELETE', `/api/metrics/balances/taxes/lines/${rank}/`, { headers: manager }));
    const line = { report: 'taxes', rank: String(rank) };
    const read = await t.call('metrics_balance_line_retrieve', { params: line, headers: manager });
    expect([read.status, read.body.title]).toEqual([200, `Line ${run}`]);
    const renamed = await t.call('metrics_balance_line_update', {
      params: line,
      headers: manager,
      body: { title: `Line ${run} B`, selector: `Funds:${run}`, rank },
    });
    expect([renamed.status, renamed.body.title]).toEqual([200, `Line ${run} B`]);
    expect((await t.call('metrics_balance_line_destroy', { params: line, headers: manager })).status).toBe(204);
    expect((await t.call('metrics_balance_lines_list', { params: report, headers: manager })).body.count).toBe(
      before.body.count,
    );
  });
});
