/**
 * DjaoApp's cart (/api/cart/): plans put in and taken out of the caller's cart, coupons redeemed on it, and GroupBuy
 * CSV uploads. What the cart holds is read back through the checkout preview (GET /api/billing/{org}/checkout/).
 * Mock only: the scenarios start from the fixtures (xia has basic in her cart; cowork's coupons DIS50, LABORDAY).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ConformanceTarget, expectStatus, needsStandin } from '../support/target.ts';
import { multipartForm, peopleCsv } from './support/multipart.ts';
import { djaoappTarget, login, type DjaoappCredentials } from './target.ts';

const STANDIN_ONLY = "the fixtures' carts, plans and coupons at a frozen clock (admin API)";

let t: ConformanceTarget;
let creds: DjaoappCredentials;
let xia: Record<string, string>;
let donny: Record<string, string>;

const NOW = '2020-03-01T12:00:00Z';

beforeAll(async () => {
  ({ target: t, credentials: creds } = await djaoappTarget());
});
afterAll(() => t?.close());

async function fresh(): Promise<void> {
  await t.admin('POST', '/reset');
  await t.admin('POST', '/clock', { set: NOW, freeze: true });
  xia = await login(t, creds.member);
  donny = await login(t, creds.manager);
}

/** The caller's cart as checkout would bill it to xia: [plan, line amounts, option amounts] per item. */
async function cart(headers = xia) {
  const res = await t.call('checkout_retrieve', { params: { organization: 'xia' }, headers });
  expect(res.status).toBe(200);
  return res.body.results.map((r: any) => [
    r.subscription.plan.slug,
    r.lines.map((l: any) => l.dest_amount),
    r.options.map((o: any) => o.dest_amount),
  ]);
}

/** Adds to the cart (POST /api/cart/), as xia unless told. */
const addToCart = (body: unknown, headers: Record<string, string> = xia) => t.call('cart_add', { headers, body });

/** A plan of cowork's for the scenario, created by donny: Day Pass, 5.00. */
const createDayPass = () =>
  t.call('plans_create', {
    params: { organization: 'cowork' },
    headers: donny,
    body: { title: 'Day Pass', period_amount: 500, is_active: true },
  });

/** xia's item from the fixtures, as cart() reads it: basic, 20.00. */
const XIA_BASIC = ['basic', [2000], []];

const state = async () => (await t.admin<any>('GET', '/state')).apis.djaoapp;

describe("POST /api/cart/ adds plans to the caller's cart", () => {
  beforeEach((ctx) => needsStandin(ctx, STANDIN_ONLY));
  beforeEach(fresh);

  it('answers 201 the first time a plan is added, 200 (the item updated) when it is already there', async () => {
    expect(await cart()).toEqual([XIA_BASIC]);
    const first = await addToCart({ plan: 'premium' });
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ plan: 'premium', option: null, full_name: null, email: null, sync_on: null });
    const again = await addToCart({ plan: 'premium', option: 1 });
    expect(again.status).toBe(200);
    expect(again.body.option).toBe(1);
    expect(await cart()).toEqual([XIA_BASIC, ['premium', [18000], []]]);
  });

  it('accepts a list: the answer is the list, 201 when any plan is new', async () => {
    const res = await addToCart([{ plan: 'basic' }, { plan: 'managed' }]);
    expect(res.status).toBe(201);
    expect(res.body.map((i: any) => i.plan)).toEqual(['basic', 'managed']);
    const again = await addToCart([{ plan: 'basic' }, { plan: 'managed' }]);
    expect(again.status).toBe(200);
    expect(await cart()).toEqual([XIA_BASIC, ['managed', [2900], []]]);
  });

  it('an unknown or inactive plan is 400 naming it, and nothing of the list is added', async () => {
    const unknown = await addToCart([{ plan: 'managed' }, { plan: 'nope' }]);
    expect(unknown.status).toBe(400);
    expect(unknown.body).toEqual([{}, { plan: ["Plan 'nope' does not exist or is inactive."] }]);
    await expectStatus(
      200,
      t.call('plans_update', {
        params: { organization: 'cowork', plan: 'premium' },
        headers: donny,
        body: { is_active: false },
      }),
    );
    const inactive = await addToCart({ plan: 'premium' });
    expect(inactive.status).toBe(400);
    expect(inactive.body).toEqual({ plan: ["Plan 'premium' does not exist or is inactive."] });
    expect((await addToCart({ plan: 'basic', email: 'not-an-address' })).status).toBe(400);
    expect(await cart()).toEqual([XIA_BASIC]);
  });

  it('a plan deleted after it was put in the cart leaves the cart', async () => {
    const plan = await createDayPass();
    expect((await addToCart({ plan: plan.body.slug })).status).toBe(201);
    expect(await cart()).toEqual([XIA_BASIC, [plan.body.slug, [500], []]]);
    await expectStatus(
      204,
      t.call('plans_destroy', { params: { organization: 'cowork', plan: plan.body.slug }, headers: donny }),
    );
    expect(await cart()).toEqual([XIA_BASIC]);
  });

  it('a plan renamed while in the cart stays in it under its new slug', async () => {
    const plan = await createDayPass();
    await addToCart({ plan: plan.body.slug });
    const renamed = await t.call('plans_update', {
      params: { organization: 'cowork', plan: plan.body.slug },
      headers: donny,
      body: { title: 'Week Pass' },
    });
    expect(renamed.body.slug).toBe('week-pass');
    expect(await cart()).toEqual([XIA_BASIC, ['week-pass', [500], []]]);
  });

  it("each user has their own cart (an anonymous caller's is a cookie: cart-anonymous.test.ts)", async () => {
    expect((await addToCart({ plan: 'premium' }, donny)).status).toBe(201);
    expect((await t.call('cart_add', { body: { plan: 'managed' } })).status).toBe(201);
    expect(await cart()).toEqual([XIA_BASIC]);
    expect(await cart(donny)).toEqual([['premium', [18000], []]]);
  });
});

describe('POST /api/cart/ refuses a malformed body as DRF does, naming what is wrong', () => {
  beforeEach((ctx) => needsStandin(ctx, STANDIN_ONLY));
  beforeEach(fresh);

  it("an item: its fields' errors; a list: one object per item ({} when the item is fine); nothing is added", async () => {
    const before = await state();
    const cases: Array<[unknown, unknown]> = [
      [{}, { plan: ['This field is required.'] }],
      [{ plan: 'basic', email: 'not-an-address' }, { email: ['Enter a valid email address.'] }],
      [
        [{ plan: 'basic' }, { plan: 7 }],
        [{}, { plan: ['Not a valid string.'] }],
      ],
      [[], { non_field_errors: ['This list may not be empty.'] }],
      [Array(101).fill({ plan: 'basic' }), { non_field_errors: ['Ensure this field has no more than 100 elements.'] }],
      ['basic', { non_field_errors: ['Invalid data. Expected a dictionary.'] }],
    ];
    for (const [body, errors] of cases) {
      const res = await addToCart(body);
      expect(res.status, JSON.stringify(body).slice(0, 60)).toBe(400);
      expect(res.body, JSON.stringify(body).slice(0, 60)).toEqual(errors);
    }
    expect(await state()).toEqual(before);
  });
});

describe('DELETE /api/cart/?plan= takes a plan out', () => {
  beforeEach((ctx) => needsStandin(ctx, STANDIN_ONLY));
  beforeEach(fresh);

  it('answers 204, also when the plan is not (or no longer) in the cart', async () => {
    await addToCart({ plan: 'premium' });
    expect((await t.call('cart_remove', { headers: xia, query: { plan: 'basic' } })).status).toBe(204);
    expect(await cart()).toEqual([['premium', [18000], []]]);
    expect((await t.call('cart_remove', { headers: xia, query: { plan: 'basic' } })).status).toBe(204);
    expect(await cart()).toEqual([['premium', [18000], []]]);
  });

  it("without a plan empties the cart; another user's cart is untouched", async () => {
    await addToCart({ plan: 'premium' }, donny);
    expect((await t.call('cart_remove', { headers: xia })).status).toBe(204);
    expect(await cart()).toEqual([]);
    expect(await cart(donny)).toEqual([['premium', [18000], []]]);
  });
});

describe('POST /api/cart/redeem/ applies a coupon', () => {
  beforeEach((ctx) => needsStandin(ctx, STANDIN_ONLY));
  beforeEach(fresh);

  it("discounts the items of the coupon's provider: LABORDAY takes 20% off basic", async () => {
    const res = await t.call('cart_redeem', { headers: xia, body: { code: 'LABORDAY' } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ detail: "Coupon 'LABORDAY' was successfully applied." });
    const preview = await t.call('checkout_retrieve', { params: { organization: 'xia' }, headers: xia });
    expect(preview.body.results[0].lines[0]).toMatchObject({ dest_amount: 1600, amount: '$16.00' });
    expect(preview.body.results[0].lines[0].description).toMatch(/coupon LABORDAY: 20% off$/);
  });

  it('the code is matched whatever its case, as djaodjin looks coupons up: "laborday" applies LABORDAY', async () => {
    const res = await t.call('cart_redeem', { headers: xia, body: { code: 'laborday' } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ detail: "Coupon 'laborday' was successfully applied." });
    const preview = await t.call('checkout_retrieve', { params: { organization: 'xia' }, headers: xia });
    expect(preview.body.results[0].lines[0]).toMatchObject({ dest_amount: 1600 });
    expect(preview.body.results[0].lines[0].description).toMatch(/coupon LABORDAY: 20% off$/);
  });

  const noItems = (code: string) => ({ detail: `No items can be discounted using this coupon: ${code}.` });
  const redeem = (code: string, headers = xia) => t.call('cart_redeem', { headers, body: { code } });
  const updateDis50 = (body: object) =>
    t.call('coupons_update', {
      params: { organization: 'cowork', coupon: 'DIS50' },
      headers: donny,
      body: { discount_type: 'percentage', ...body },
    });

  it('an unknown code, an empty cart or a coupon for another plan is 400, the cart unchanged', async () => {
    const unknown = await redeem('NOPE');
    expect([unknown.status, unknown.body]).toEqual([400, noItems('NOPE')]);
    const empty = await redeem('DIS50', donny);
    expect([empty.status, empty.body]).toEqual([400, noItems('DIS50')]);
    expect((await updateDis50({ plan: 'premium' })).status).toBe(200);
    const otherPlan = await redeem('DIS50');
    expect([otherPlan.status, otherPlan.body]).toEqual([400, noItems('DIS50')]);
    expect(await cart()).toEqual([XIA_BASIC]);
    expect((await state()).cart_items.find((i: any) => i.user === 'xia').coupon).toBeNull();
  });

  it('a coupon applies until its ends_at on the sandbox clock; from then on it is 400', async () => {
    // 2020-04-01 is a month after the sandbox's now, and long past by the real clock.
    expect((await updateDis50({ ends_at: '2020-04-01T00:00:00Z' })).status).toBe(200);
    expect((await redeem('DIS50')).status).toBe(200);
    await t.admin('POST', '/clock', { set: '2020-04-01T00:00:00Z', freeze: true });
    // Sign-ins expire an hour after login, on the sandbox clock.
    xia = await login(t, creds.member);
    const expired = await redeem('DIS50');
    expect([expired.status, expired.body]).toEqual([400, noItems('DIS50')]);
  });

  it('a coupon applies while it has attempts left: once an order has spent the last, it is 400', async () => {
    expect((await updateDis50({ nb_attempts: 1 })).status).toBe(200);
    expect((await redeem('DIS50')).status).toBe(200);
    await expectStatus(
      200,
      t.call('checkout_create', {
        params: { organization: 'xia' },
        headers: xia,
        body: { processor_token: 'tok_visa' },
      }),
    );
    await addToCart({ plan: 'premium' });
    const usedUp = await redeem('DIS50');
    expect([usedUp.status, usedUp.body]).toEqual([400, noItems('DIS50')]);
    expect(await cart()).toEqual([['premium', [18000], []]]);
  });
});

describe('POST /api/cart/{plan}/upload/ puts a plan in the cart for every person of a CSV', () => {
  beforeEach((ctx) => needsStandin(ctx, STANDIN_ONLY));
  beforeEach(fresh);

  it('creates an item per new person, updates the ones already there, and reports the lines it cannot read', async () => {
    const res = await t.call('cart_upload', {
      params: { plan: 'premium' },
      ...peopleCsv(
        xia,
        'Joe,Smith,joesmith@example.com\r\n"Marie","Johnson",mariejohnson@example.com\n\nnobody,here\nBad,Mail,not-an-address\n',
      ),
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      created: [
        { first_name: 'Joe', last_name: 'Smith', email: 'joesmith@example.com' },
        { first_name: 'Marie', last_name: 'Johnson', email: 'mariejohnson@example.com' },
      ],
      updated: [],
      failed: [
        { first_name: 'nobody', last_name: 'here', email: '' },
        { first_name: 'Bad', last_name: 'Mail', email: 'not-an-address' },
      ],
    });
    const again = await t.call('cart_upload', {
      params: { plan: 'premium' },
      ...peopleCsv(xia, 'Joseph,Smith,JoeSmith@example.com\n'),
    });
    expect(again.body).toEqual({
      created: [],
      updated: [{ first_name: 'Joseph', last_name: 'Smith', email: 'JoeSmith@example.com' }],
      failed: [],
    });
    const items = (await state()).cart_items.filter((i: any) => i.user === 'xia' && i.plan === 'premium');
    expect(items.map((i: any) => [i.full_name, i.email])).toEqual([
      ['Joseph Smith', 'joesmith@example.com'],
      ['Marie Johnson', 'mariejohnson@example.com'],
    ]);
    // Each person is a GroupBuy item xia pays for: a new profile each, not xia's own subscription.
    const preview = await t.call('checkout_retrieve', { params: { organization: 'xia' }, headers: xia });
    expect(preview.body.results.map((r: any) => [r.subscription.plan.slug, r.subscription.organization.email])).toEqual(
      [
        ['basic', 'xia@localhost.localdomain'],
        ['premium', 'joesmith@example.com'],
        ['premium', 'mariejohnson@example.com'],
      ],
    );
  });

  it('an unknown plan is 404 and a request without a file 400; the cart is unchanged', async () => {
    await expectStatus(
      404,
      t.call('cart_upload', { params: { plan: 'nope' }, ...peopleCsv(xia, 'Joe,Smith,joe@example.com\n') }),
    );
    const none = await t.call('cart_upload', {
      params: { plan: 'premium' },
      ...multipartForm(xia, 'Content-Disposition: form-data; name="x"', '1'),
    });
    expect([none.status, none.body]).toEqual([400, { file: ['No file was submitted.'] }]);
    expect(await cart()).toEqual([XIA_BASIC]);
  });
});
