/**
 * DjaoApp's billing side on any target, with the configured users only: the broker `cowork` (its managers donny and
 * alice) sells a plan made for this run; the member xia puts it in her cart, redeems cowork's coupon DIS100 (a seed
 * name a djaodjin-saas testsite has too) and checks out; the ledger, charges and metrics are read as each side sees
 * them. What a scenario makes is undone in afterAll where the API allows (a subscription ends, the plan is
 * deactivated; the ledger keeps its records, as a real one does).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConformanceTarget } from '../support/target.ts';
import { Cleanup } from './portable.ts';
import { type DjaoappCredentials, openSession, unique } from './target.ts';

let t: ConformanceTarget;
let creds: DjaoappCredentials;
let manager: Record<string, string>;
let member: Record<string, string>;
const cleanup = new Cleanup();
const run = unique();
const broker = 'cowork';
let plan: string;
let xia: { organization: string };

beforeAll(async () => {
  ({ t, creds, manager, member } = await openSession());
  xia = { organization: creds.member.username };
  const res = await t.call('plans_create', { params: { organization: broker }, headers: manager, body: { title: `Cart ${run}`, period_amount: 1500, period_type: 'monthly', is_active: true } });
  expect(res.status).toBe(201);
  plan = res.body.slug;
  cleanup.add(async () => {
    await t.send('PUT', `/api/profile/${broker}/plans/${plan}/`, { headers: manager, body: { is_active: false } });
    await t.send('DELETE', `/api/profile/${broker}/plans/${plan}/`, { headers: manager });
  });
  cleanup.add(() => t.send('DELETE', '/api/cart/', { headers: member, query: { plan } }));
});
afterAll(async () => {
  await cleanup.run();
  await t.close();
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

describe('a provider\'s coupons', () => {
  it('a manager lists, reads and updates a coupon; the change reads back and is undone', async () => {
    const coupon = { organization: broker, coupon: 'DIS100' };
    const list = await t.call('coupons_list', { params: { organization: broker }, query: { q: 'DIS' }, headers: manager });
    expect(list.status).toBe(200);
    expect(list.body.results.map((c: { code: string }) => c.code)).toContain('DIS100');
    const read = await t.call('coupons_retrieve', { params: coupon, headers: manager });
    expect([read.status, read.body.code]).toEqual([200, 'DIS100']);
    const { discount_type, discount_value, description } = read.body;
    cleanup.add(() => t.send('PUT', `/api/billing/${broker}/coupons/DIS100/`, { headers: manager, body: { discount_type, discount_value, description } }));
    const updated = await t.call('coupons_update', { params: coupon, headers: manager, body: { discount_type, discount_value, description: `run ${run}` } });
    expect([updated.status, updated.body.description]).toEqual([200, `run ${run}`]);
    expect((await t.call('coupons_retrieve', { params: coupon, headers: manager })).body.description).toBe(`run ${run}`);
    expect((await t.call('coupons_retrieve', { params: { organization: broker, coupon: `NOPE${run}` }, headers: manager })).status).toBe(404);
    expect((await t.call('coupons_list', { params: { organization: broker }, headers: member })).status).toBe(403);
  });
});

describe('a subscriber\'s billing', () => {
  it('reads the card on file (404 without one), the balance due and the billing history', async () => {
    expect([200, 404]).toContain((await t.call('card_retrieve', { params: xia, headers: member })).status);
    const balance = await t.call('billing_balance_retrieve', { params: xia, headers: member });
    expect(balance.status).toBe(200);
    const history = await t.call('billing_history_list', { params: xia, headers: member });
    expect(history.status).toBe(200);
    expect(history.body).toMatchObject({ balance_unit: expect.any(String), results: expect.any(Array) });
    expect((await t.call('billing_history_list', { params: { organization: broker }, headers: member })).status).toBe(403);
  });
});

describe('a provider\'s ledger', () => {
  it('the provider reads its bank, receivables and transfers; the broker the whole ledger', async () => {
    expect((await t.call('bank_retrieve', { params: { organization: broker }, headers: manager })).status).toBe(200);
    for (const operationId of ['billing_receivables_list', 'billing_transfers_list'] as const) {
      const res = await t.call(operationId, { params: { organization: broker }, headers: manager });
      expect(res.status, operationId).toBe(200);
      expect(res.body.results, operationId).toEqual(expect.any(Array));
    }
    const ledger = await t.call('transactions_list', { headers: manager, query: { page_size: 5 } });
    expect(ledger.status).toBe(200);
    expect(ledger.body.results.length).toBeLessThanOrEqual(5);
  });

  it('the broker lists the charges, and reads one of them with its receipt', async () => {
    const charges = await t.call('charges_list', { headers: manager });
    expect(charges.status).toBe(200);
    const charge = charges.body.results[0]?.processor_key;
    if (charge === undefined) return;
    const read = await t.call('charges_retrieve', { params: { organization: charge }, headers: manager });
    expect([read.status, read.body.processor_key]).toEqual([200, charge]);
  });
});

describe('a provider\'s metrics', () => {
  it('the 12-month tables of balances, funds, customers and plans', async () => {
    for (const operationId of ['metrics_balances', 'metrics_funds', 'metrics_customers', 'metrics_plans'] as const) {
      const res = await t.call(operationId, { params: { organization: broker }, headers: manager });
      expect(res.status, operationId).toBe(200);
      expect(res.body.table ?? res.body.results, operationId).toEqual(expect.any(Array));
    }
  });

  it('the active and churned subscriptions, a coupon\'s uses and the registered users', async () => {
    for (const [operationId, params] of [
      ['metrics_active_list', { organization: broker }],
      ['metrics_churned_list', { organization: broker }],
      ['metrics_coupon_uses_list', { organization: broker, coupon: 'DIS100' }],
      ['metrics_registered_list', {}],
    ] as const) {
      const res = await t.call(operationId, { params, headers: manager });
      expect(res.status, operationId).toBe(200);
      expect(res.body.results, operationId).toEqual(expect.any(Array));
    }
    expect((await t.call('metrics_active_list', { params: { organization: broker }, headers: member })).status).toBe(403);
  });
});
