/**
 * DjaoApp checkout (/api/billing/{organization}/checkout/): the preview of what the caller's cart would cost, then
 * the order — subscriptions created or extended, order lines in the ledger, one charge on a card — and what a
 * declined card, advance-payment options, coupons and plans needing the provider's approval do to it. Renewed
 * periods are billed the same way, by the sandbox clock. Mock only: the fixtures (xia has basic in her cart), the
 * ledger read back through the admin state, and the clock.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { needsStandin } from '../support/target.ts';
import { accountBalance, balanceDue } from '../../server/apis/djaoapp/model/ledger.ts';
import type { DjaoappState } from '../../server/apis/djaoapp/state.ts';
import { login } from './target.ts';
import { billingWorldOfFile, resetAt } from './billing-world.ts';

const STANDIN_ONLY = "the fixtures' carts, cards and coupons at a frozen clock (admin API)";

const NOW = '2020-03-01T12:00:00Z';
const w = await billingWorldOfFile();

const ledger = async (): Promise<DjaoappState> => (await w.t.admin<any>('GET', '/state')).apis.djaoapp;
const bankBalance = async () =>
  (await w.t.call('bank_retrieve', { params: { organization: 'cowork' }, headers: w.donny })).body.balance_amount;
const checkout = (body: object, organization = 'xia') =>
  w.t.call('checkout_create', { params: { organization }, headers: w.xia, body });
const preview = async () =>
  (await w.t.call('checkout_retrieve', { params: { organization: 'xia' }, headers: w.xia })).body;
/** A profile's subscriptions, read by a broker manager: [plan, created_at, ends_at, waiting for the provider]. */
const subscriptionsOf = async (organization: string) =>
  (await w.t.call('subscriptions_list', { params: { organization }, headers: w.donny })).body.results.map((s: any) => [
    s.plan.slug,
    s.created_at,
    s.ends_at,
    s.request_key !== null,
  ]);
/** The state once a request has run the renewal job up to the clock (what a refused request must leave as is). */
const settled = async (): Promise<DjaoappState> => {
  await preview();
  return ledger();
};

describe("GET checkout previews the order of the caller's cart", () => {
  beforeEach((ctx) => needsStandin(ctx, STANDIN_ONLY));
  beforeEach(() => resetAt(w.t, NOW));

  it('one line per item: a month of basic from now, at $20.00, billed by cowork to xia; nothing written yet', async () => {
    const before = (await settled()).transactions.length;
    const body = await preview();
    expect(body.processor_info).toEqual({ slug: 'stripe', card: null });
    expect(body.results).toHaveLength(1);
    expect(body.results[0].subscription).toMatchObject({
      created_at: NOW.replace('Z', '.000Z'),
      ends_at: '2020-04-01T12:00:00Z',
      organization: { slug: 'xia' },
      plan: { slug: 'basic' },
      auto_renew: true,
    });
    expect(body.results[0].lines).toEqual([
      {
        created_at: '2020-03-01T12:00:00.000Z',
        description: 'Subscription to basic until 2020/04/01 (1 month)',
        amount: '$20.00',
        is_debit: false,
        orig_account: 'Receivable',
        orig_organization: 'cowork',
        orig_amount: 2000,
        orig_unit: 'usd',
        dest_account: 'Payable',
        dest_organization: 'xia',
        dest_amount: 2000,
        dest_unit: 'usd',
      },
    ]);
    expect(body.results[0].options).toEqual([]);
    expect((await ledger()).transactions).toHaveLength(before);
  });

  it('a plan already subscribed to is extended from the end of its current period', async () => {
    await w.t.call('cart_add', { headers: w.xia, body: { plan: 'open-space' } });
    const item = (await preview()).results[1];
    expect(item.subscription.created_at).toBe('2018-01-01T00:00:00Z');
    expect(item.lines[0].description).toBe('Subscription to open-space until 2020/05/01 (1 month)');
  });

  it('is for the managers of the profile paying: anyone else is 403', async () => {
    expect((await w.t.call('checkout_retrieve', { params: { organization: 'xia' }, headers: w.joe })).status).toBe(403);
    expect(
      (await w.t.call('checkout_create', { params: { organization: 'cowork' }, headers: w.xia, body: {} })).status,
    ).toBe(403);
  });
});

describe('POST checkout orders the cart and charges the card', () => {
  beforeEach((ctx) => needsStandin(ctx, STANDIN_ONLY));
  beforeEach(() => resetAt(w.t, NOW));

  /** The order is placed, paid or not: xia is subscribed to basic for a month and the cart is empty. */
  async function expectBasicOrdered(): Promise<void> {
    expect(await subscriptionsOf('xia')).toContainEqual([
      'basic',
      '2020-03-01T12:00:00.000Z',
      '2020-04-01T12:00:00Z',
      false,
    ]);
    expect((await preview()).results).toEqual([]);
  }

  it('with a new card: subscribes xia to basic, writes the order and its payment, answers the done charge', async () => {
    const funds = await bankBalance();
    const res = await checkout({ remember_card: true, processor_token: 'tok_visa' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      amount: 2000,
      unit: 'usd',
      readable_amount: '$20.00',
      last4: '4242',
      exp_date: '2030-12-01',
      state: 'done',
      created_at: '2020-03-01T12:00:00.000Z',
    });
    expect(res.body.description).toBe(`Charge ${res.body.processor_key} on credit card of Xia Lee`);
    await expectBasicOrdered();
    expect((await w.t.call('card_retrieve', { params: { organization: 'xia' }, headers: w.xia })).body).toEqual({
      last4: '4242',
      exp_date: '12/2030',
      card_name: 'Xia Lee',
    });
    expect(await bankBalance()).toBe(funds + 2000);
    const state = await ledger();
    const line = state.transactions.find((tx) => tx.descr === 'Subscription to basic until 2020/04/01 (1 month)')!;
    expect(line).toMatchObject({
      orig_organization: 'cowork',
      orig_account: 'Receivable',
      dest_organization: 'xia',
      dest_account: 'Payable',
      dest_amount: 2000,
    });
    expect(state.charges.at(-1)!.lines).toEqual([line.id]);
    expect(accountBalance(state, 'stripe', 'Funds', 'usd')).toBe(0);
    expect(state.cart_items.find((i) => i.id === 1)!.recorded_at).toBe('2020-03-01T12:00:00.000Z');
  });

  it('a card on file is charged when no token is given; the next checkout of the same plan extends it', async () => {
    await w.t.call('card_update', { params: { organization: 'xia' }, headers: w.xia, body: { token: 'tok_visa' } });
    expect((await checkout({})).body.state).toBe('done');
    await w.t.call('cart_add', { headers: w.xia, body: { plan: 'basic' } });
    expect((await checkout({})).body.amount).toBe(2000);
    expect((await subscriptionsOf('xia')).filter((s: any[]) => s[0] === 'basic')).toEqual([
      ['basic', '2020-03-01T12:00:00.000Z', '2020-05-01T12:00:00Z', false],
    ]);
  });

  it('refuses, changing nothing, an empty cart, an unknown token, or no card at all', async () => {
    const before = await settled();
    const noCard = await checkout({});
    expect([noCard.status, noCard.body]).toEqual([
      400,
      { processor_token: ['A processor token is required: no card is on file.'] },
    ]);
    const unknown = await checkout({ processor_token: 'tok_nope', remember_card: true });
    expect([unknown.status, unknown.body]).toEqual([400, { processor_token: ["No such token: 'tok_nope'."] }]);
    const badOption = await checkout({ processor_token: 'tok_visa', items: [{ option: 2 }] });
    expect([badOption.status, badOption.body]).toEqual([
      400,
      { items: [{ option: ['Choose an option between 1 and 1.'] }] },
    ]);
    expect(await ledger()).toEqual(before);
    await w.t.call('cart_remove', { headers: w.xia });
    const empty = await checkout({ processor_token: 'tok_visa' });
    expect([empty.status, empty.body]).toEqual([400, { detail: 'There is nothing in your cart to checkout.' }]);
  });

  it("a declined card: 400 with the processor's message, a failed charge, and the order stays as a balance due", async () => {
    const funds = await bankBalance();
    const due = balanceDue(await ledger(), 'xia').amount;
    const res = await checkout({ processor_token: 'tok_chargeDeclined', remember_card: true });
    expect([res.status, res.body]).toEqual([400, { detail: 'Your card was declined.' }]);
    const state = await ledger();
    expect(state.charges.at(-1)).toMatchObject({ customer: 'xia', amount: 2000, state: 'failed', last4: '0002' });
    expect(balanceDue(state, 'xia').amount).toBe(due + 2000);
    expect(await bankBalance()).toBe(funds);
    await expectBasicOrdered();
  });
});

describe('advance payments, coupons and approvals at checkout', () => {
  beforeEach((ctx) => needsStandin(ctx, STANDIN_ONLY));
  beforeEach(async () => {
    await resetAt(w.t, NOW);
    await w.t.call('cart_remove', { headers: w.xia });
  });

  async function plan(body: object): Promise<string> {
    const res = await w.t.call('plans_create', {
      params: { organization: 'cowork' },
      headers: w.donny,
      body: { period_amount: 1000, interval: 'monthly', is_active: true, ...body },
    });
    expect(res.status).toBe(201);
    await w.t.call('cart_add', { headers: w.xia, body: { plan: res.body.slug } });
    return res.body.slug;
  }

  it('a plan with advance discounts shows options until one is chosen; checking out before choosing is 400', async () => {
    const slug = await plan({
      title: 'Desk',
      setup_amount: 500,
      advance_discounts: [{ discount_type: 'percentage', discount_value: 1000, length: 12 }],
    });
    const item = (await preview()).results[0];
    expect(item.lines).toEqual([]);
    expect(item.options.map((o: any) => [o.dest_amount, o.description])).toEqual([
      [1500, `Subscription to ${slug} until 2020/04/01 (1 month) and its one-time setup`],
      [11300, `Subscription to ${slug} until 2021/03/01 (12 months, 10% off) and its one-time setup`],
    ]);
    const before = await settled();
    const unchosen = await checkout({ processor_token: 'tok_visa' });
    expect([unchosen.status, unchosen.body]).toEqual([
      400,
      { detail: 'Cannot checkout when there are still options to choose from.' },
    ]);
    expect(await ledger()).toEqual(before);
    const res = await checkout({ processor_token: 'tok_visa', items: [{ option: 2 }] });
    expect([res.status, res.body.amount]).toEqual([200, 11300]);
    expect(await subscriptionsOf('xia')).toContainEqual([
      slug,
      '2020-03-01T12:00:00.000Z',
      '2021-03-01T12:00:00Z',
      false,
    ]);
  });

  it('an option chosen in the cart is the line; a coupon discounts it and spends one attempt', async () => {
    const slug = await plan({
      title: 'Booth',
      advance_discounts: [{ discount_type: 'period', discount_value: 1, length: 6 }],
    });
    await w.t.call('cart_add', { headers: w.xia, body: { plan: slug, option: 2 } });
    await w.t.call('coupons_update', {
      params: { organization: 'cowork', coupon: 'DIS50' },
      headers: w.donny,
      body: { discount_type: 'percentage', nb_attempts: 1 },
    });
    expect((await w.t.call('cart_redeem', { headers: w.xia, body: { code: 'DIS50' } })).status).toBe(200);
    const item = (await preview()).results[0];
    expect(item.options).toEqual([]);
    expect(item.lines.map((l: any) => [l.dest_amount, l.description])).toEqual([
      [2500, `Subscription to ${slug} until 2020/09/01 (6 months, 1 period free), coupon DIS50: 50% off`],
    ]);
    expect((await checkout({ processor_token: 'tok_visa' })).body.amount).toBe(2500);
    const coupon = (
      await w.t.call('coupons_retrieve', { params: { organization: 'cowork', coupon: 'DIS50' }, headers: w.donny })
    ).body;
    expect(coupon.nb_attempts).toBe(0);
    expect((await ledger()).cart_items.at(-1)).toMatchObject({ plan: slug, coupon: 'DIS50', option: 2 });
  });

  it('DIS100 leaves nothing to pay: the order is placed without a charge or a card', async () => {
    await w.t.call('cart_add', { headers: w.xia, body: { plan: 'basic' } });
    await w.t.call('cart_redeem', { headers: w.xia, body: { code: 'DIS100' } });
    const charges = (await ledger()).charges.length;
    const res = await checkout({});
    expect([res.status, res.body]).toEqual([200, { detail: 'Your order is placed: there is nothing to charge.' }]);
    const state = await ledger();
    expect(state.charges).toHaveLength(charges);
    expect(state.transactions.at(-1)).toMatchObject({
      dest_organization: 'xia',
      dest_amount: 0,
      descr: 'Subscription to basic until 2020/04/01 (1 month), coupon DIS100: 100% off',
    });
  });

  it('a plan the provider must approve gets a request_key and is ordered but not charged', async () => {
    const slug = await plan({ title: 'Vip', optin_on_request: true });
    await w.t.call('card_update', { params: { organization: 'xia' }, headers: w.xia, body: { token: 'tok_visa' } });
    const due = balanceDue(await ledger(), 'xia').amount;
    const res = await checkout({});
    expect([res.status, res.body]).toEqual([200, { detail: 'Your order is placed: there is nothing to charge.' }]);
    expect(await subscriptionsOf('xia')).toContainEqual([
      slug,
      '2020-03-01T12:00:00.000Z',
      '2020-04-01T12:00:00Z',
      true,
    ]);
    expect(balanceDue(await ledger(), 'xia').amount).toBe(due + 1000);
  });

  it('GroupBuy: xia pays for plans another profile is subscribed to (created once when nobody has the e-mail)', async () => {
    const joe = { full_name: 'Joe Smith', email: 'joesmith@example.com' };
    await w.t.call('cart_add', {
      headers: w.xia,
      body: [
        { plan: 'premium', ...joe },
        { plan: 'managed', ...joe },
      ],
    });
    const due = balanceDue(await ledger(), 'xia').amount;
    const res = await checkout({ processor_token: 'tok_visa' });
    expect([res.status, res.body.amount]).toEqual([200, 18000 + 2900]);
    expect(await subscriptionsOf('joe-smith')).toEqual([
      ['premium', '2020-03-01T12:00:00.000Z', '2020-04-01T12:00:00Z', false],
      ['managed', '2020-03-01T12:00:00.000Z', '2020-04-01T12:00:00Z', false],
    ]);
    expect(
      (await ledger()).profiles.filter((p) => p.email === joe.email).map((p) => [p.slug, p.full_name, p.type]),
    ).toEqual([['joe-smith', 'Joe Smith', 'organization']]);
    // The order lines are billed to xia, who paid them; joe-smith owes nothing.
    const state = await ledger();
    expect(
      state.transactions
        .filter((tx) => tx.period && tx.dest_organization === 'xia' && tx.created_at === '2020-03-01T12:00:00.000Z')
        .map((tx) => tx.dest_amount),
    ).toEqual([18000, 2900]);
    expect([balanceDue(state, 'xia').amount, balanceDue(state, 'joe-smith').amount]).toEqual([due, 0]);
  });

  it("the address given at checkout completes the payer's billing address, and replaces none of it", async () => {
    const address = ({ street_address, locality, region, postal_code, country }: any) => ({
      street_address,
      locality,
      region,
      postal_code,
      country,
    });
    const profile = async () =>
      address((await w.t.call('profiles_retrieve', { params: { organization: 'xia' }, headers: w.xia })).body);
    // xia's fixture address lacks only its postal code.
    const before = await profile();
    expect(before).toEqual({
      street_address: '185 Berry St #550',
      locality: 'San Francisco',
      region: 'CA',
      postal_code: '',
      country: 'US',
    });
    await w.t.call('cart_add', { headers: w.xia, body: { plan: 'basic' } });
    const given = {
      street_address: '1 Rue de la Paix',
      locality: 'Paris',
      region: 'IDF',
      postal_code: '75002',
      country: 'FR',
    };
    expect((await checkout({ processor_token: 'tok_visa', ...given })).status).toBe(200);
    expect(await profile()).toEqual({ ...before, postal_code: '75002' });
  });
});

describe('renewals are billed by the sandbox clock', () => {
  beforeEach((ctx) => needsStandin(ctx, STANDIN_ONLY));
  beforeEach(() => resetAt(w.t, NOW));

  it('each renewed period is an order line at its start, charged on the card on file', async () => {
    expect(
      (await w.t.call('card_update', { params: { organization: 'xia' }, headers: w.xia, body: { token: 'tok_visa' } }))
        .status,
    ).toBe(200);
    const funds = await bankBalance();
    const due = balanceDue(await ledger(), 'xia').amount;
    await w.t.admin('POST', '/clock', { set: '2020-06-15T00:00:00Z', freeze: true });
    const donny = await login(w.t, { username: 'donny', password: 'yoyo' });
    const after = (await w.t.call('bank_retrieve', { params: { organization: 'cowork' }, headers: donny })).body
      .balance_amount;
    expect(after).toBe(funds + 3 * 17999);
    const state = await ledger();
    expect(state.charges.slice(-3).map((c) => [c.created_at, c.amount, c.state])).toEqual([
      ['2020-04-01T00:00:00.000Z', 17999, 'done'],
      ['2020-05-01T00:00:00.000Z', 17999, 'done'],
      ['2020-06-01T00:00:00.000Z', 17999, 'done'],
    ]);
    expect(balanceDue(state, 'xia').amount).toBe(due);
  });

  it('with a declining card the renewals are failed charges and a growing balance due', async () => {
    await w.t.call('card_update', {
      params: { organization: 'xia' },
      headers: w.xia,
      body: { token: 'tok_chargeDeclined' },
    });
    const due = balanceDue(await ledger(), 'xia').amount;
    await w.t.admin('POST', '/clock', { set: '2020-05-15T00:00:00Z', freeze: true });
    await login(w.t, { username: 'xia', password: 'yoyo' });
    const state = await ledger();
    expect(state.charges.slice(-2).map((c) => c.state)).toEqual(['failed', 'failed']);
    expect(balanceDue(state, 'xia').amount).toBe(due + 2 * 17999);
  });
});
