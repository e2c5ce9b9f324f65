/**
 * DjaoApp's anonymous cart: POST and DELETE /api/cart/ work without signing in, the cart then kept in the caller's
 * `cart_items` cookie (djaodjin keeps it in the session), and at sign-in (login or registration) its items join the
 * user's cart, read back through the checkout preview. Redeeming a coupon and GroupBuy uploads still need a signed-in
 * user. The cookie's encoding and the contract's optional security first, as units; then the scenarios, mock only
 * (the fixtures' plans: xia has basic in her cart; Standin's cookie stands for djaodjin's session).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  cookieValue,
  decodeCart,
  encodeCart,
  setCartCookie,
  type CartItemFields,
} from '../../server/apis/djaoapp/model/cart-cookie.ts';
import { loadContract } from '../../server/core/contract/load.ts';
import { type ConformanceTarget, expectStatus, needsStandin, targetIsStandin } from '../support/target.ts';
import { djaoappTarget, login, type DjaoappCredentials } from './target.ts';

const STANDIN_ONLY = "the cart cookie's contents read back with the sandbox's state (admin API)";

const item = (plan: string, fields: Partial<CartItemFields> = {}): CartItemFields => ({
  plan,
  option: null,
  full_name: null,
  email: null,
  sync_on: null,
  ...fields,
});

describe('the cart cookie', () => {
  const secret = new TextEncoder().encode('a sandbox key');

  it('holds the items as base64url JSON and a signature, and reads them back', () => {
    const value = encodeCart([item('premium', { option: 1 })], secret);
    const [payload] = value.split('.');
    expect(JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8'))).toEqual([item('premium', { option: 1 })]);
    expect(decodeCart(value, secret)).toEqual([item('premium', { option: 1 })]);
  });

  it('reads as an empty cart when it is malformed, altered or signed with another key', () => {
    const value = encodeCart([item('premium')], secret);
    const altered = `${Buffer.from(JSON.stringify([item('managed')])).toString('base64url')}.${value.split('.')[1]}`;
    const unsignedObject = `${Buffer.from('{}').toString('base64url')}`;
    for (const junk of [
      '',
      'garbage',
      '.',
      'a.b',
      'a.b.c',
      `${value}.x`,
      '%%%',
      unsignedObject,
      altered,
      encodeCart([item('premium')], new TextEncoder().encode('another key')),
      `${value}=`,
      `${value}!!`,
    ])
      expect(decodeCart(junk, secret), junk).toEqual([]);
  });

  it('is set HttpOnly for the whole site for two weeks; an empty cart clears it', () => {
    expect(setCartCookie([item('basic')], secret)).toMatch(
      /^cart_items=[\w-]+\.[\w-]+; Max-Age=1209600; Path=\/; HttpOnly; SameSite=Lax$/,
    );
    expect(setCartCookie([], secret)).toBe('cart_items=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax');
  });

  it("is found among the request's cookies by name", () => {
    expect(cookieValue('sessionid=abc; cart_items=x.y; other=1', 'cart_items')).toBe('x.y');
    expect(cookieValue(['a=1', 'cart_items=first', 'cart_items=second'], 'cart_items')).toBe('first');
    expect(cookieValue('my_cart_items=1; =cart_items', 'cart_items')).toBeUndefined();
    expect(cookieValue(undefined, 'cart_items')).toBeUndefined();
  });
});

describe('optional credentials in a contract', () => {
  it('an empty requirement among the alternatives makes the operation public (the auth hook sees no requirement)', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'standin-security-')), 'openapi.yaml');
    const op = (id: string, security?: string) =>
      `    ${id === 'a' ? 'get' : id === 'b' ? 'post' : 'put'}:\n      operationId: ${id}\n${security ? `      security: ${security}\n` : ''}      responses: { '204': { description: ok } }\n`;
    writeFileSync(
      file,
      `openapi: 3.1.0\ninfo: { title: t, version: '1' }\nsecurity: [{ key: [] }]\npaths:\n  /x:\n${op('a')}${op('b', '[{}, { key: [] }]')}${op('c', '[]')}`,
    );
    const { byId } = loadContract('t', file);
    expect([byId.get('a')!.security, byId.get('b')!.security, byId.get('c')!.security]).toEqual([['key'], [], []]);
  });

  it('DjaoApp: adding to and removing from the cart take optional credentials; redeem, upload and checkout need them', () => {
    const { byId } = loadContract('djaoapp');
    const security = (id: string) => byId.get(id)!.security;
    expect([security('cart_add'), security('cart_remove')]).toEqual([[], []]);
    for (const id of ['cart_redeem', 'cart_upload', 'checkout_retrieve'])
      expect(security(id), id).toEqual(['bearerJWT', 'apiKeyBasic']);
  });
});

let t: ConformanceTarget;
let creds: DjaoappCredentials;
let xia: Record<string, string>;

beforeAll(async () => {
  ({ target: t, credentials: creds } = await djaoappTarget());
});
afterAll(() => t?.close());

type Answer = Awaited<ReturnType<ConformanceTarget['call']>>;

/** The `cart_items=...` pair an answer sets, to send back as a Cookie header. */
const cookieSet = (res: Answer): string => res.headers.get('set-cookie')!.split(';')[0]!;
const withCookie = (cookie: string, headers: Record<string, string> = {}) => ({ ...headers, Cookie: cookie });
/** What the cookie an answer sets holds. */
const cartIn = (res: Answer): CartItemFields[] => {
  const value = cookieSet(res).slice('cart_items='.length);
  return value ? JSON.parse(Buffer.from(value.split('.')[0]!, 'base64url').toString('utf8')) : [];
};
const CLEARED = 'cart_items=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax';

/** The user's cart as checkout would bill it to their profile: [plan, line amounts, option amounts] per item. */
async function cart(headers = xia, organization = 'xia') {
  const res = await t.call('checkout_retrieve', { params: { organization }, headers });
  expect(res.status).toBe(200);
  return res.body.results.map((r: any) => [
    r.subscription.plan.slug,
    r.lines.map((l: any) => l.dest_amount),
    r.options.map((o: any) => o.dest_amount),
  ]);
}

const storedCarts = async () =>
  (await t.admin<any>('GET', '/apis/djaoapp/billing')).cart_items.filter((i: any) => i.recorded_at === null);

async function anonymousCart(...plans: Array<string | CartItemFields>): Promise<string> {
  const res = await t.call('cart_add', { body: plans.map((p) => (typeof p === 'string' ? { plan: p } : p)) });
  expect(res.status).toBe(201);
  return cookieSet(res);
}

describe("an anonymous caller's cart is kept in a cookie", () => {
  beforeEach(async () => {
    if (!targetIsStandin) return;
    await t.admin('POST', '/reset');
    await t.admin('POST', '/clock', { set: '2020-03-01T12:00:00Z', freeze: true });
    xia = await login(t, creds.member);
  });

  it('POST /api/cart/ answers 201 with the item and returns the cart in an HttpOnly cookie; the server keeps nothing', async (ctx) => {
    needsStandin(ctx, STANDIN_ONLY);
    const before = await t.admin<any>('GET', '/state');
    const res = await t.call('cart_add', { body: { plan: 'premium', option: 1 } });
    expect(res.status).toBe(201);
    expect(res.body).toEqual(item('premium', { option: 1 }));
    expect(res.headers.get('set-cookie')).toMatch(
      /^cart_items=[\w-]+\.[\w-]+; Max-Age=1209600; Path=\/; HttpOnly; SameSite=Lax$/,
    );
    expect(cartIn(res)).toEqual([item('premium', { option: 1 })]);
    const after = await t.admin<any>('GET', '/state');
    expect(after.apis.djaoapp.cart_items).toEqual(before.apis.djaoapp.cart_items);
    expect(after.apis.djaoapp.next_ids).toEqual(before.apis.djaoapp.next_ids);
  });

  it('a plan already in the cookie cart answers 200, the item updated; a list answers a list, 201 when any is new', async (ctx) => {
    needsStandin(ctx, STANDIN_ONLY);
    const cookie = await anonymousCart('premium');
    const again = await t.call('cart_add', { headers: withCookie(cookie), body: { plan: 'premium', option: 2 } });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(item('premium', { option: 2 }));
    expect(cartIn(again)).toEqual([item('premium', { option: 2 })]);
    const list = await t.call('cart_add', {
      headers: withCookie(cookieSet(again)),
      body: [{ plan: 'premium', option: 2 }, { plan: 'managed' }],
    });
    expect(list.status).toBe(201);
    expect(list.body).toEqual([item('premium', { option: 2 }), item('managed')]);
    expect(cartIn(list)).toEqual([item('premium', { option: 2 }), item('managed')]);
    const same = await t.call('cart_add', {
      headers: withCookie(cookieSet(list)),
      body: [{ plan: 'premium', option: 2 }, { plan: 'managed' }],
    });
    expect(same.status).toBe(200);
    expect(cartIn(same)).toEqual(cartIn(list));
  });

  it('an unknown or inactive plan is 400 naming it, and the cookie is left alone', async (ctx) => {
    needsStandin(ctx, STANDIN_ONLY);
    const cookie = await anonymousCart('premium');
    const res = await t.call('cart_add', {
      headers: withCookie(cookie),
      body: [{ plan: 'managed' }, { plan: 'nope' }],
    });
    expect(res.status).toBe(400);
    expect(res.body).toEqual([{}, { plan: ["Plan 'nope' does not exist or is inactive."] }]);
    expect(res.headers.get('set-cookie')).toBeNull();
  });

  it('DELETE /api/cart/?plan= answers 204 with the plan out of the cookie; the last one out clears it', async (ctx) => {
    needsStandin(ctx, STANDIN_ONLY);
    const cookie = await anonymousCart('premium', 'managed');
    const removed = await t.call('cart_remove', { headers: withCookie(cookie), query: { plan: 'premium' } });
    expect(removed.status).toBe(204);
    expect(cartIn(removed)).toEqual([item('managed')]);
    const absent = await t.call('cart_remove', { headers: withCookie(cookieSet(removed)), query: { plan: 'basic' } });
    expect(absent.status).toBe(204);
    expect(absent.headers.get('set-cookie')).toBeNull();
    const last = await t.call('cart_remove', { headers: withCookie(cookieSet(removed)), query: { plan: 'managed' } });
    expect(last.status).toBe(204);
    expect(last.headers.get('set-cookie')).toBe(CLEARED);
  });

  it("DELETE /api/cart/ without a plan leaves an anonymous cart as it is, as djaodjin's session cart", async (ctx) => {
    needsStandin(ctx, STANDIN_ONLY);
    const cookie = await anonymousCart('premium');
    const res = await t.call('cart_remove', { headers: withCookie(cookie) });
    expect(res.status).toBe(204);
    expect(res.headers.get('set-cookie')).toBeNull();
  });

  it('a malformed or altered cookie is an empty cart: never a 5xx, and it is replaced', async (ctx) => {
    needsStandin(ctx, STANDIN_ONLY);
    const valid = (await anonymousCart('premium')).slice('cart_items='.length);
    const altered = `${Buffer.from(JSON.stringify([item('managed')])).toString('base64url')}.${valid.split('.')[1]}`;
    for (const junk of ['garbage', '', '%zz', '"quoted"', 'a.b.c', altered, `${valid}x`]) {
      const added = await t.call('cart_add', { headers: withCookie(`cart_items=${junk}`), body: { plan: 'basic' } });
      expect(added.status, junk).toBe(201);
      expect(cartIn(added), junk).toEqual([item('basic')]);
      const removed = await t.call('cart_remove', {
        headers: withCookie(`cart_items=${junk}`),
        query: { plan: 'managed' },
      });
      expect(removed.status, junk).toBe(204);
      expect(removed.headers.get('set-cookie'), junk).toBeNull();
    }
    const signedIn = await t.call('auth_login', { headers: withCookie(`cart_items=${altered}`), body: creds.member });
    expect(signedIn.status).toBe(201);
    expect(signedIn.headers.get('set-cookie')).toBe(CLEARED);
    expect(await cart()).toEqual([['basic', [2000], []]]);
  });

  it("signing in moves the cookie's items into the user's cart and clears the cookie", async (ctx) => {
    needsStandin(ctx, STANDIN_ONLY);
    const cookie = await anonymousCart('premium', 'basic');
    const res = await t.call('auth_login', { headers: withCookie(cookie), body: creds.member });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ token: expect.any(String) });
    expect(res.headers.get('set-cookie')).toBe(CLEARED);
    // basic was already in xia's cart: it is there once.
    expect(await cart({ Authorization: `Bearer ${res.body.token}` })).toEqual([
      ['basic', [2000], []],
      ['premium', [18000], []],
    ]);
    expect((await t.call('auth_login', { headers: withCookie(cookie), body: creds.member })).status).toBe(201);
    expect(await cart()).toEqual([
      ['basic', [2000], []],
      ['premium', [18000], []],
    ]);
  });

  it("an item already in the user's cart takes only what it lacks; a GroupBuy item for someone else is its own", async (ctx) => {
    needsStandin(ctx, STANDIN_ONLY);
    const cookie = await anonymousCart(
      item('basic', { option: 1, sync_on: 'xia' }),
      item('basic', { full_name: 'Bob Ross', email: 'bob@example.com' }),
    );
    expect((await t.call('auth_login', { headers: withCookie(cookie), body: creds.member })).status).toBe(201);
    const xias = (await storedCarts())
      .filter((i: any) => i.user === 'xia')
      .map((i: any) => [i.plan, i.option, i.full_name, i.email, i.sync_on]);
    expect(xias).toEqual([
      ['basic', 1, null, null, 'xia'],
      ['basic', null, 'Bob Ross', 'bob@example.com', null],
    ]);
  });

  it('an item whose plan was deleted since is dropped at sign-in', async (ctx) => {
    needsStandin(ctx, STANDIN_ONLY);
    const donny = await login(t, creds.manager);
    const plan = await t.call('plans_create', {
      params: { organization: 'cowork' },
      headers: donny,
      body: { title: 'Day Pass', period_amount: 500, is_active: true },
    });
    const cookie = await anonymousCart(plan.body.slug, 'premium');
    await expectStatus(
      204,
      t.call('plans_destroy', { params: { organization: 'cowork', plan: plan.body.slug }, headers: donny }),
    );
    expect((await t.call('auth_login', { headers: withCookie(cookie), body: creds.member })).status).toBe(201);
    expect(await cart()).toEqual([
      ['basic', [2000], []],
      ['premium', [18000], []],
    ]);
    expect((await storedCarts()).some((i: any) => i.plan === plan.body.slug)).toBe(false);
  });

  it("registering moves the cookie's items into the new user's cart and clears the cookie", async (ctx) => {
    needsStandin(ctx, STANDIN_ONLY);
    const cookie = await anonymousCart('premium');
    const res = await t.call('auth_register', {
      headers: withCookie(cookie),
      body: { username: 'newbie', password: 'yoyo', email: 'newbie@example.com', full_name: 'New Bie' },
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('set-cookie')).toBe(CLEARED);
    expect((await storedCarts()).filter((i: any) => i.user === 'newbie').map((i: any) => i.plan)).toEqual(['premium']);
  });

  it('a sign-in that fails keeps the cookie and changes no cart', async (ctx) => {
    needsStandin(ctx, STANDIN_ONLY);
    const cookie = await anonymousCart('premium');
    const res = await t.call('auth_login', {
      headers: withCookie(cookie),
      body: { username: 'xia', password: 'wrong' },
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(await cart()).toEqual([['basic', [2000], []]]);
  });

  it("a signed-in caller's cart is the stored one: a cart cookie it sends is neither read nor set", async (ctx) => {
    needsStandin(ctx, STANDIN_ONLY);
    const cookie = await anonymousCart('premium');
    const res = await t.call('cart_add', { headers: withCookie(cookie, xia), body: { plan: 'managed' } });
    expect(res.status).toBe(201);
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(
      (await t.call('cart_remove', { headers: withCookie(cookie, xia), query: { plan: 'premium' } })).headers.get(
        'set-cookie',
      ),
    ).toBeNull();
    expect(await cart()).toEqual([
      ['basic', [2000], []],
      ['managed', [2900], []],
    ]);
  });

  it('redeeming a coupon and uploading a GroupBuy file need a signed-in user: 401, the cookie left alone', async (ctx) => {
    needsStandin(ctx, STANDIN_ONLY);
    const cookie = await anonymousCart('basic');
    const before = await storedCarts();
    const redeem = await t.call('cart_redeem', { headers: withCookie(cookie), body: { code: 'LABORDAY' } });
    expect(redeem.status).toBe(401);
    expect(redeem.body).toEqual({ detail: 'Authentication credentials were not provided.' });
    expect(redeem.headers.get('set-cookie')).toBeNull();
    const upload = await t.call('cart_upload', {
      params: { plan: 'basic' },
      headers: withCookie(cookie, { 'content-type': 'multipart/form-data; boundary=b' }),
      rawBody:
        '--b\r\nContent-Disposition: form-data; name="file"; filename="people.csv"\r\nContent-Type: text/csv\r\n\r\nBob,Ross,bob@example.com\r\n--b--\r\n',
    });
    expect(upload.status).toBe(401);
    expect(await storedCarts()).toEqual(before);
  });

  it('credentials that are sent are still checked: a token that does not verify is 401', async () => {
    const res = await t.call('cart_add', {
      headers: { Authorization: 'Bearer not.a.token' },
      body: { plan: 'premium' },
    });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ detail: expect.any(String) });
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });
});
