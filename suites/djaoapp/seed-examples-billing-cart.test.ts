/**
 * Every example of seed 001 for the cart, checkout, card, bank and coupon operations (in seed-examples.json), sent
 * to the mock with the fixture users, gets the seed's answer apart from ids, generated keys and timestamps. Each
 * group starts from the fixtures with the sandbox clock at the examples' date (the checkout examples are dated
 * 2016-06-21). Where the seed contradicts itself or a documented choice of the contract, the check leaves out the
 * fields named, says why, and asserts what Standin answers instead. Mock only (fixtures, admin API).
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { needsStandin, onStandin } from '../support/target.ts';
import { billingWorldOfFile, describeAt, editState, resetAt } from './billing-world.ts';
import { expectSeed, seedExample, sendExample } from './seed-examples.ts';

const STANDIN_ONLY = "the seed's example records (fixtures) at the seed's dates (admin API clock)";

const w = await billingWorldOfFile();

describeAt(w, 'seed 001: card and bank examples', '2018-07-01T00:00:00Z', STANDIN_ONLY, () => {
  it('GET /api/billing/cowork/bank/ answers the deposit account', async () => {
    const res = await w.t.call('bank_retrieve', { params: { organization: 'cowork' }, headers: w.donny });
    expect(res.status).toBe(200);
    // The seed shows no funds; the fixture charge ch_XAb124EF of the charge examples paid cowork $1121.20.
    expectSeed(res.body, 'GET /api/billing/{organization}/bank/', ['balance_amount']);
    expect(res.body.balance_amount).toBe(112120);
  });

  it('GET /api/billing/cowork/card/ answers the card on file', async () => {
    const res = await w.t.call('card_retrieve', { params: { organization: 'cowork' }, headers: w.donny });
    expect(res.status).toBe(200);
    expectSeed(res.body, 'GET /api/billing/{organization}/card/');
  });

  it('PUT /api/billing/cowork/card/ with the token "xyz" stores the card it stands for', async () => {
    const op = 'PUT /api/billing/{organization}/card/';
    const res = await sendExample(w.t, 'card_update', op, w.donny, { organization: 'cowork' });
    expect(res.status).toBe(200);
    expectSeed(res.body, op);
  });

  it('DELETE /api/billing/cowork/card/ takes it off file', async () => {
    const res = await w.t.call('card_destroy', { params: { organization: 'cowork' }, headers: w.donny });
    // The seed documents 204; the backend (and the contract) answer 200 with a sentence.
    expect([res.status, res.body]).toEqual([200, { detail: 'Your credit card is no longer on file with us.' }]);
    expect((await w.t.call('card_retrieve', { params: { organization: 'cowork' }, headers: w.donny })).status).toBe(
      404,
    );
  });
});

describe('seed 001: checkout examples', () => {
  beforeEach((ctx) => needsStandin(ctx, STANDIN_ONLY));
  // xia's subscription to basic as the example shows it: checkout extends it by a month.
  beforeAll(
    onStandin(async () => {
      await resetAt(w.t, '2016-06-21T23:42:13Z');
      await editState(w.t, (djaoapp) => {
        djaoapp.subscriptions.push({
          id: djaoapp.next_ids.subscription++,
          organization: 'xia',
          plan: 'basic',
          created_at: '2016-06-21T23:24:09Z',
          ends_at: '2016-10-21T23:24:09Z',
          auto_renew: true,
          description: null,
          extra: null,
          grant_key: null,
          request_key: null,
        });
      });
    }),
  );

  it('GET /api/billing/xia/checkout answers the line that extends basic to 2016/11/21', async () => {
    const res = await w.t.call('checkout_retrieve', { params: { organization: 'xia' }, headers: w.xia });
    expect(res.status).toBe(200);
    // The seed names xia "Xia" (her profile is "Xia Lee" in the profile examples) and gives the app's path without
    // the site's origin; Standin's app_url is absolute, to the mock.
    expectSeed(res.body, 'GET /api/billing/{organization}/checkout/', [
      'results.[].subscription.organization.full_name',
      'results.[].subscription.organization.printable_name',
      'results.[].subscription.plan.app_url',
    ]);
    expect(res.body.results[0].subscription.plan.app_url).toMatch(/\/app\/$/);
  });

  it('POST /api/billing/xia/checkout pays it with the card of tok_23prgoqpstf56todq', async () => {
    const op = 'POST /api/billing/{organization}/checkout/';
    const res = await sendExample(w.t, 'checkout_create', op, w.xia, { organization: 'xia' });
    expect(res.status).toBe(200);
    // The seed's charge is "created" and its description names another key than its processor_key; Standin's
    // processor answers at once, so the charge is done, described with its own key and xia's full name.
    expectSeed(res.body, op, ['state', 'description']);
    expect(res.body.state).toBe('done');
    expect(res.body.description).toBe(`Charge ${res.body.processor_key} on credit card of Xia Lee`);
    expect((await w.t.call('card_retrieve', { params: { organization: 'xia' }, headers: w.xia })).body).toMatchObject({
      last4: '1234',
      exp_date: '06/2016',
    });
  });
});

describeAt(w, 'seed 001: coupon examples', '2018-07-01T00:00:00Z', STANDIN_ONLY, () => {
  const params = { organization: 'cowork', coupon: 'DIS100' };

  it('GET /api/billing/cowork/coupons?o=code&ot=asc&q=DIS lists DIS100 and DIS50', async () => {
    const res = await w.t.call('coupons_list', {
      params: { organization: 'cowork' },
      headers: w.donny,
      query: { o: 'code', ot: 'asc', q: 'DIS' },
    });
    expect(res.status).toBe(200);
    expectSeed(res.body, 'GET /api/billing/{organization}/coupons/');
  });

  it('GET /api/billing/cowork/coupons/DIS100 answers it', async () => {
    const res = await w.t.call('coupons_retrieve', { params, headers: w.donny });
    expect(res.status).toBe(200);
    expectSeed(res.body, 'GET /api/billing/{organization}/coupons/{coupon}/');
  });

  it("PUT /api/billing/cowork/coupons/DIS100 updates it with the seed's body", async () => {
    const op = 'PUT /api/billing/{organization}/coupons/{coupon}/';
    const res = await sendExample(w.t, 'coupons_update', op, w.donny, params);
    expect(res.status).toBe(200);
    expectSeed(res.body, op);
  });

  it('DELETE /api/billing/cowork/coupons/DIS100 answers 204, then 404', async () => {
    expect((await w.t.call('coupons_destroy', { params, headers: w.donny })).status).toBe(204);
    expect((await w.t.call('coupons_retrieve', { params, headers: w.donny })).status).toBe(404);
  });
});

describeAt(w, 'seed 001: cart examples', '2018-07-01T00:00:00Z', STANDIN_ONLY, () => {
  it("POST /api/cart/ puts open-space (option 1) in xia's cart", async () => {
    const res = await sendExample(w.t, 'cart_add', 'POST /api/cart/', w.xia);
    // The seed documents 200; the backend answers 201 when the plan enters the cart (200 when it was there).
    expect(res.status).toBe(201);
    expectSeed(res.body, 'POST /api/cart/');
  });

  it('DELETE /api/cart/?plan=open-space takes it out', async () => {
    expect((await w.t.call('cart_remove', { headers: w.xia, query: { plan: 'open-space' } })).status).toBe(204);
    const preview = await w.t.call('checkout_retrieve', { params: { organization: 'xia' }, headers: w.xia });
    expect(preview.body.results.map((r: any) => r.subscription.plan.slug)).toEqual(['basic']);
  });

  it('POST /api/cart/redeem applies LABORDAY to basic', async () => {
    const res = await sendExample(w.t, 'cart_redeem', 'POST /api/cart/redeem/', w.xia);
    expect(res.status).toBe(200);
    expectSeed(res.body, 'POST /api/cart/redeem/');
  });

  it('POST /api/cart/basic/upload/ puts basic in the cart for Joe Smith and Marie Johnson', async () => {
    // The seed shows no request: the file lists the two people its answer names.
    const people = seedExample('POST /api/cart/{plan}/upload/').response.created as Array<Record<string, string>>;
    const csv = people.map((p) => `${p.first_name},${p.last_name},${p.email}`).join('\n');
    const boundary = 'seed-upload';
    const res = await w.t.call('cart_upload', {
      params: { plan: 'basic' },
      headers: { ...w.xia, 'content-type': `multipart/form-data; boundary=${boundary}` },
      rawBody: `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="people.csv"\r\n\r\n${csv}\r\n--${boundary}--\r\n`,
    });
    expect(res.status).toBe(200);
    expectSeed(res.body, 'POST /api/cart/{plan}/upload/');
  });
});
