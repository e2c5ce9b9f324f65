/**
 * DjaoApp's payment card (/api/billing/{org}/card/), a provider's deposit account (bank/) and its discount codes
 * (coupons/): what the processor's tokens stand for, the funds the ledger holds for the provider, and coupons that
 * are deleted, or only deactivated once an order used them. Mock only (the fixtures' tokens, cards and coupons).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { needsStandin } from '../support/target.ts';
import { billingWorldOfFile, resetAt } from './billing-world.ts';

const STANDIN_ONLY = "the fixtures' card, bank and coupons at a frozen clock (admin API)";

const NOW = '2020-03-01T12:00:00Z';
const FORBIDDEN = { detail: 'You do not have permission to perform this action.' };
const w = await billingWorldOfFile();

const djaoapp = async () => (await w.t.admin<any>('GET', '/state')).apis.djaoapp;

describe('the card on file', () => {
  beforeEach((ctx) => needsStandin(ctx, STANDIN_ONLY));
  beforeEach(() => resetAt(w.t, NOW));
  const card = (organization: string, headers = w.donny) =>
    w.t.call('card_retrieve', { params: { organization }, headers });

  it("GET shows what the processor shows of cowork's card", async () => {
    const res = await card('cowork');
    expect([res.status, res.body]).toEqual([200, { last4: '1234', exp_date: '12/2019', card_name: 'ABC Corp.' }]);
    expect((await card('xia', w.xia)).status).toBe(404);
  });

  it('PUT stores the card a processor token stands for, replacing the one on file; an unknown token is 400 and keeps it', async () => {
    const res = await w.t.call('card_update', {
      params: { organization: 'cowork' },
      headers: w.alice,
      body: { token: 'tok_visa', full_name: 'Alice Cooper' },
    });
    expect([res.status, res.body]).toEqual([200, { last4: '4242', exp_date: '12/2030', card_name: 'Alice Cooper' }]);
    expect((await card('cowork')).body.last4).toBe('4242');
    const unknown = await w.t.call('card_update', {
      params: { organization: 'cowork' },
      headers: w.donny,
      body: { token: 'tok_nope' },
    });
    expect([unknown.status, unknown.body]).toEqual([400, { token: ["No such token: 'tok_nope'."] }]);
    const missing = await w.t.call('card_update', { params: { organization: 'cowork' }, headers: w.donny, body: {} });
    expect([missing.status, missing.body]).toEqual([400, { token: ['This field is required.'] }]);
    expect((await card('cowork')).body).toEqual({ last4: '4242', exp_date: '12/2030', card_name: 'Alice Cooper' });
    expect((await djaoapp()).cards.filter((c: any) => c.organization === 'cowork')).toHaveLength(1);
  });

  it('PUT passes the e-mail, phone and address to the processor with the card; the profile is left as it was', async () => {
    const xia = { organization: 'xia' };
    const profile = async () => (await w.t.call('profiles_retrieve', { params: xia, headers: w.xia })).body;
    const xiaCard = async () => (await djaoapp()).cards.find((c: any) => c.organization === 'xia');
    const before = await profile();
    const contact = {
      email: 'billing@xia.example.com',
      phone: '415-555-0100',
      street_address: '1 Market St',
      locality: 'Oakland',
      region: 'CA',
      postal_code: '94612',
      country: 'US',
    };
    const res = await w.t.call('card_update', { params: xia, headers: w.xia, body: { token: 'tok_visa', ...contact } });
    expect([res.status, res.body]).toEqual([
      200,
      { last4: '4242', exp_date: expect.any(String), card_name: 'Xia Lee' },
    ]);
    expect(await profile()).toEqual(before);
    expect((await xiaCard()).billing_details).toEqual(contact);

    // A new card replaces the old, with only the details given with it.
    expect(
      (
        await w.t.call('card_update', {
          params: xia,
          headers: w.xia,
          body: { token: 'tok_visa', phone: '415-555-0199' },
        })
      ).status,
    ).toBe(200);
    expect((await xiaCard()).billing_details).toEqual({ phone: '415-555-0199' });

    const unknown = await w.t.call('card_update', {
      params: xia,
      headers: w.xia,
      body: { token: 'tok_nope', locality: 'Berkeley' },
    });
    const badEmail = await w.t.call('card_update', {
      params: xia,
      headers: w.xia,
      body: { token: 'tok_visa', email: 'not-an-address', locality: 'Berkeley' },
    });
    expect([unknown.status, badEmail.status, badEmail.body]).toEqual([
      400,
      400,
      { email: ['Enter a valid email address.'] },
    ]);
    expect((await xiaCard()).billing_details).toEqual({ phone: '415-555-0199' });
    expect(await profile()).toEqual(before);
  });

  it('DELETE answers 200 with a sentence; the card is gone (404), and deleting again says the same', async () => {
    const res = await w.t.call('card_destroy', { params: { organization: 'cowork' }, headers: w.donny });
    expect([res.status, res.body]).toEqual([200, { detail: 'Your credit card is no longer on file with us.' }]);
    expect((await card('cowork')).status).toBe(404);
    expect((await w.t.call('card_destroy', { params: { organization: 'cowork' }, headers: w.donny })).status).toBe(200);
  });

  it("is for the profile's managers (and the broker's): xia cannot see cowork's card, joe cannot touch xia's", async () => {
    expect([(await card('cowork', w.xia)).status, (await card('cowork', w.xia)).body]).toEqual([403, FORBIDDEN]);
    expect(
      (await w.t.call('card_update', { params: { organization: 'xia' }, headers: w.joe, body: { token: 'tok_visa' } }))
        .status,
    ).toBe(403);
    expect((await w.t.call('card_destroy', { params: { organization: 'cowork' }, headers: w.xia })).status).toBe(403);
    expect((await card('cowork')).status).toBe(200);
    expect((await card('nobody-here')).status).toBe(404);
  });
});

describe("the bank: the provider's deposit account and its funds", () => {
  beforeEach((ctx) => needsStandin(ctx, STANDIN_ONLY));
  beforeEach(() => resetAt(w.t, NOW));
  const bank = () => w.t.call('bank_retrieve', { params: { organization: 'cowork' }, headers: w.donny });

  it("balance_amount is cowork's Funds in the ledger: ch_XAb124EF's $1121.20, plus what a checkout pays", async () => {
    const res = await bank();
    expect([res.status, res.body]).toEqual([
      200,
      { bank_name: 'Stripe Test Bank', last4: '***-htrTZ', balance_amount: 112120, balance_unit: 'usd' },
    ]);
    expect(
      (
        await w.t.call('checkout_create', {
          params: { organization: 'xia' },
          headers: w.xia,
          body: { processor_token: 'tok_visa' },
        })
      ).status,
    ).toBe(200);
    expect((await bank()).body.balance_amount).toBe(112120 + 2000);
  });

  it('a profile without a deposit account answers nulls and no funds; others than its managers get 403', async () => {
    const res = await w.t.call('bank_retrieve', { params: { organization: 'xia' }, headers: w.xia });
    expect([res.status, res.body]).toEqual([
      200,
      { bank_name: null, last4: null, balance_amount: 0, balance_unit: 'usd' },
    ]);
    expect((await w.t.call('bank_retrieve', { params: { organization: 'cowork' }, headers: w.xia })).status).toBe(403);
  });
});

describe("a provider's coupons", () => {
  beforeEach((ctx) => needsStandin(ctx, STANDIN_ONLY));
  beforeEach(() => resetAt(w.t, NOW));
  const params = (coupon: string) => ({ organization: 'cowork', coupon });

  it('lists them searched (q), ordered (o, ot) and paginated', async () => {
    const all = await w.t.call('coupons_list', { params: { organization: 'cowork' }, headers: w.donny });
    expect(all.status).toBe(200);
    expect(all.body.results.map((c: any) => c.code)).toEqual(['DIS100', 'DIS50', 'LABORDAY']);
    const dis = await w.t.call('coupons_list', {
      params: { organization: 'cowork' },
      headers: w.donny,
      query: { q: 'dis', o: 'code', ot: 'desc' },
    });
    expect([dis.body.count, dis.body.results.map((c: any) => c.code)]).toEqual([2, ['DIS50', 'DIS100']]);
    const byValue = await w.t.call('coupons_list', {
      params: { organization: 'cowork' },
      headers: w.donny,
      query: { o: '-discount_value', page_size: 2, page: 2 },
    });
    expect([byValue.body.count, byValue.body.results.map((c: any) => c.code), byValue.body.next]).toEqual([
      3,
      ['LABORDAY'],
      null,
    ]);
    const since = await w.t.call('coupons_list', {
      params: { organization: 'cowork' },
      headers: w.donny,
      query: { start_at: '2015-01-01T00:00:00Z' },
    });
    expect(since.body.results.map((c: any) => c.code)).toEqual(['LABORDAY']);
  });

  it('q searches the code and the description; q_f keeps only the fields it names', async () => {
    const sale = await w.t.call('coupons_list', {
      params: { organization: 'cowork' },
      headers: w.donny,
      query: { q: 'sale' },
    });
    expect(sale.body.results.map((c: any) => c.code)).toEqual(['LABORDAY']);
    const inCodes = await w.t.call('coupons_list', {
      params: { organization: 'cowork' },
      headers: w.donny,
      query: { q: 'sale', q_f: ['code'] },
    });
    expect(inCodes.body).toMatchObject({ count: 0, results: [] });
    const inDescriptions = await w.t.call('coupons_list', {
      params: { organization: 'cowork' },
      headers: w.donny,
      query: { q: 'sale', q_f: ['description'] },
    });
    expect(inDescriptions.body.count).toBe(1);
  });

  it('PUT changes the discount, named discount_value or amount; both answered', async () => {
    const res = await w.t.call('coupons_update', {
      params: params('DIS50'),
      headers: w.donny,
      body: { discount_type: 'currency', amount: 500, nb_attempts: 10, plan: 'basic', description: 'Five off' },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      code: 'DIS50',
      discount_type: 'currency',
      discount_value: 500,
      amount: 500,
      created_at: '2014-01-01T09:00:00Z',
      ends_at: null,
      description: 'Five off',
      nb_attempts: 10,
      plan: 'basic',
    });
    const again = await w.t.call('coupons_update', {
      params: params('DIS50'),
      headers: w.donny,
      body: { discount_type: 'percentage', discount_value: 2500 },
    });
    expect(again.body).toMatchObject({
      discount_type: 'percentage',
      discount_value: 2500,
      amount: 2500,
      plan: 'basic',
    });
    expect((await w.t.call('coupons_retrieve', { params: params('DIS50'), headers: w.donny })).body).toEqual(
      again.body,
    );
  });

  it('PUT ends_at in any zone Django reads ("+02" too): kept in UTC, and the coupon applies until then', async () => {
    const res = await w.t.call('coupons_update', {
      params: params('LABORDAY'),
      headers: w.donny,
      body: { discount_type: 'percentage', ends_at: '2020-03-01T14:00:01+02' },
    });
    expect(res.status).toBe(200);
    expect(res.body.ends_at).toBe('2020-03-01T12:00:01Z');
    const redeem = await w.t.call('cart_redeem', { headers: w.xia, body: { code: 'LABORDAY' } });
    expect(redeem.status).toBe(200);
    await w.t.admin('POST', '/clock', { set: '2020-03-01T12:00:01Z', freeze: true });
    const expired = await w.t.call('cart_redeem', { headers: w.xia, body: { code: 'LABORDAY' } });
    expect(expired.status).toBe(400);
    expect(expired.body).toEqual({ detail: 'No items can be discounted using this coupon: LABORDAY.' });
  });

  it('a bad update is 400 naming the field, and changes nothing', async () => {
    const before = (await w.t.call('coupons_retrieve', { params: params('DIS50'), headers: w.donny })).body;
    const cases: Array<[object, string]> = [
      [{ discount_type: 'percentage', discount_value: 10001 }, 'discount_value'],
      [{ discount_type: 'percentage', discount_value: 10, amount: 20 }, 'amount'],
      [{ discount_type: 'percentage', plan: 'nope' }, 'plan'],
      [{ discount_type: 'half' }, 'discount_type'],
      [{ amount: 10 }, 'discount_type'],
      [{ discount_type: 'percentage', ends_at: '2030-12-31T23:59:60Z' }, 'ends_at'],
    ];
    for (const [body, field] of cases) {
      const res = await w.t.call('coupons_update', { params: params('DIS50'), headers: w.donny, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(Object.keys(res.body), JSON.stringify(body)).toEqual([field]);
    }
    expect((await w.t.call('coupons_retrieve', { params: params('DIS50'), headers: w.donny })).body).toEqual(before);
  });

  it('DELETE removes an unused coupon (204, then 404), and takes it off the carts that redeemed it', async () => {
    await w.t.call('cart_redeem', { headers: w.xia, body: { code: 'LABORDAY' } });
    expect((await w.t.call('coupons_destroy', { params: params('LABORDAY'), headers: w.donny })).status).toBe(204);
    expect((await w.t.call('coupons_retrieve', { params: params('LABORDAY'), headers: w.donny })).status).toBe(404);
    expect((await w.t.call('coupons_destroy', { params: params('LABORDAY'), headers: w.donny })).status).toBe(404);
    const state = await djaoapp();
    expect(state.coupons.map((c: any) => c.code)).not.toContain('LABORDAY');
    expect(state.cart_items.find((i: any) => i.id === 1).coupon).toBeNull();
  });

  it('DELETE of a coupon an order used deactivates it: gone from the API, kept for its metrics', async () => {
    expect((await w.t.call('coupons_destroy', { params: params('DIS100'), headers: w.donny })).status).toBe(204);
    expect((await w.t.call('coupons_retrieve', { params: params('DIS100'), headers: w.donny })).status).toBe(404);
    expect((await w.t.call('coupons_list', { params: { organization: 'cowork' }, headers: w.donny })).body.count).toBe(
      2,
    );
    expect((await djaoapp()).coupons.find((c: any) => c.code === 'DIS100')).toMatchObject({ is_active: false });
    const redeem = await w.t.call('cart_redeem', { headers: w.xia, body: { code: 'DIS100' } });
    expect([redeem.status, redeem.body]).toEqual([
      400,
      { detail: 'No items can be discounted using this coupon: DIS100.' },
    ]);
  });

  it("are for the provider's managers: xia gets 403; an unknown coupon is 404", async () => {
    expect((await w.t.call('coupons_list', { params: { organization: 'cowork' }, headers: w.xia })).status).toBe(403);
    expect((await w.t.call('coupons_retrieve', { params: params('DIS50'), headers: w.xia })).status).toBe(403);
    expect(
      (
        await w.t.call('coupons_update', {
          params: params('DIS50'),
          headers: w.xia,
          body: { discount_type: 'percentage' },
        })
      ).status,
    ).toBe(403);
    expect((await w.t.call('coupons_destroy', { params: params('DIS50'), headers: w.xia })).status).toBe(403);
    expect((await w.t.call('coupons_retrieve', { params: params('NOPE'), headers: w.alice })).status).toBe(404);
  });
});
