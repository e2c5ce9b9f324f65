/**
 * Paths without their trailing slash, as the seed's examples write some (`GET
 * /api/billing/cowork/coupons?o=code&ot=asc&q=DIS`). djaodjin-saas 0.11.0 serves most of its routes both ways (they
 * end in `/?`); those that end in `/` (`/api/pricing/`, `/api/cart/` ...) Django's APPEND_SLASH redirects, 301.
 * Standin answers a write there 308, keeping its body, where Django answers 500 (its DEBUG RuntimeError).
 */
import { describe, expect } from 'vitest';
import { it } from './session.ts';
import { SANDBOX_HEADER } from '../../server/core/headers.ts';
import { type ConformanceTarget, expectStatus, needsStandin } from '../support/target.ts';
import { unique } from './target.ts';

const STANDIN_ONLY = 'a slashless write on a route that needs its slash: Django answers it 500, Standin 308';

/** The answer itself, not followed: status and Location. */
async function unfollowed(
  t: ConformanceTarget,
  as: Record<string, string>,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; location: string | null }> {
  const headers = {
    [SANDBOX_HEADER]: t.sandbox,
    ...as,
    ...(body === undefined ? {} : { 'content-type': 'application/json' }),
  };
  const res = await fetch(t.baseUrl + path, {
    method,
    redirect: 'manual',
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  await res.arrayBuffer();
  return { status: res.status, location: res.headers.get('location') };
}

describe('a path without its trailing slash', () => {
  it("is served as is where the backend's route makes the slash optional, the query read", async ({ t, manager }) => {
    const res = await unfollowed(t, manager, 'GET', '/api/billing/cowork/coupons?o=code&ot=asc&q=DIS');
    expect(res).toEqual({ status: 200, location: null });
    const coupons = await t.send('GET', '/api/billing/cowork/coupons', {
      headers: manager,
      query: { o: 'code', q: 'DIS' },
    });
    expect(coupons.status).toBe(200);
    expect(Array.isArray(coupons.body.results)).toBe(true);
  });

  it('is served as is for writes too, where the slash is optional: a plan made and deleted without it', async ({
    t,
    manager,
  }) => {
    const title = `Slashless ${unique()}`;
    const made = await t.send('POST', '/api/profile/cowork/plans', {
      headers: manager,
      body: { title, period_amount: 1000, period_type: 'monthly' },
    });
    expect(made.status).toBe(201);
    const read = await t.call('plans_retrieve', {
      params: { organization: 'cowork', plan: made.body.slug },
      headers: manager,
    });
    expect([read.status, read.body.title]).toEqual([200, title]);
    expect((await t.send('DELETE', `/api/profile/cowork/plans/${made.body.slug}`, { headers: manager })).status).toBe(
      204,
    );
    await expectStatus(
      404,
      t.call('plans_retrieve', { params: { organization: 'cowork', plan: made.body.slug }, headers: manager }),
    );
  });

  it("is answered 301 to the path with the slash, the query kept, where the backend's route ends in a slash", async ({
    t,
    member,
  }) => {
    const res = await unfollowed(t, member, 'GET', '/api/pricing?page=1');
    expect(res.status).toBe(301);
    expect(res.location).toMatch(/\/api\/pricing\/\?page=1$/);
    const followed = await t.send('GET', '/api/pricing', { headers: member });
    expect(followed.status).toBe(200);
    expect(followed.body.results.length).toBeGreaterThan(0);
  });

  it('is still 404 when the path does not exist with a slash either', async ({ t, manager }) => {
    expect((await unfollowed(t, manager, 'GET', '/api/billing/cowork/no-such-thing')).status).toBe(404);
  });

  it('is answered 308 for a write where the slash is needed, which the client repeats with its body to the operation', async ({
    skip,
    t,
    member,
  }) => {
    needsStandin({ skip }, STANDIN_ONLY);
    expect(await unfollowed(t, member, 'POST', '/api/cart', { plan: 'premium' })).toEqual({
      status: 308,
      location: expect.stringMatching(/\/api\/cart\/$/),
    });
    const added = await t.send('POST', '/api/cart', { headers: member, body: { plan: 'premium' } });
    expect([added.status, added.body]).toEqual([201, expect.objectContaining({ plan: 'premium' })]);
    // Only the followed request added it: the same item again is already in the cart.
    expect((await t.send('POST', '/api/cart/', { headers: member, body: { plan: 'premium' } })).status).toBe(200);
    const redeem = await t.send('POST', '/api/cart/redeem', { headers: member, body: { code: 'NO-SUCH-CODE' } });
    expect([redeem.status, redeem.body]).toEqual([
      400,
      { detail: 'No items can be discounted using this coupon: NO-SUCH-CODE.' },
    ]);
  });
});
