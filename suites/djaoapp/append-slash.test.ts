/**
 * Paths as the seed's examples write them, without the trailing slash (`GET /api/billing/xia/checkout`): a Django
 * backend redirects them (301) to the path with its slash, which HTTP clients follow. A path that does not exist
 * with a slash either is still 404. Writes (`POST /api/cart/redeem`) are redirected with 308, so the client repeats
 * them with their body; Django's 301 would turn them into a GET (Standin's choice: mock only).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_HEADER } from '../../server/core/pipeline.ts';
import type { ConformanceTarget } from '../support/target.ts';
import { openSession, remote } from './target.ts';

let t: ConformanceTarget;
let manager: Record<string, string>;
let member: Record<string, string>;
beforeAll(async () => ({ t, manager, member } = await openSession()));
afterAll(() => t.close());

/** The answer itself, not followed: status and Location. */
async function unfollowed(method: string, path: string, as = manager, body?: unknown): Promise<{ status: number; location: string | null }> {
  const headers = { [SANDBOX_HEADER]: t.sandbox, ...as, ...(body === undefined ? {} : { 'content-type': 'application/json' }) };
  const res = await fetch(t.baseUrl + path, { method, redirect: 'manual', headers, body: body === undefined ? undefined : JSON.stringify(body) });
  await res.arrayBuffer();
  return { status: res.status, location: res.headers.get('location') };
}

describe('a path without its trailing slash', () => {
  it('is answered 301 to the same path with the slash, the query kept', async () => {
    const res = await unfollowed('GET', '/api/billing/cowork/coupons?o=code&ot=asc&q=DIS');
    expect(res.status).toBe(301);
    expect(res.location).toMatch(/\/api\/billing\/cowork\/coupons\/\?o=code&ot=asc&q=DIS$/);
  });

  it('reaches the operation for a client that follows redirects, as the seed\'s examples are written', async () => {
    const res = await t.send('GET', '/api/billing/cowork/coupons/DIS100', { headers: manager });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ code: 'DIS100', discount_type: 'percentage' });
  });

  it('is still 404 when the path does not exist with a slash either', async () => {
    expect(await unfollowed('GET', '/api/billing/cowork/no-such-thing')).toEqual({ status: 404, location: null });
  });

  it.skipIf(remote)('is answered 308 for a write, which the client repeats with its body to the operation', async () => {
    expect(await unfollowed('POST', '/api/cart', member, { plan: 'premium' })).toEqual({ status: 308, location: expect.stringMatching(/\/api\/cart\/$/) });
    const added = await t.send('POST', '/api/cart', { headers: member, body: { plan: 'premium' } });
    expect([added.status, added.body]).toEqual([201, expect.objectContaining({ plan: 'premium' })]);
    // Only the followed request added it: the same item again is already in the cart.
    expect((await t.send('POST', '/api/cart/', { headers: member, body: { plan: 'premium' } })).status).toBe(200);
    const redeem = await t.send('POST', '/api/cart/redeem', { headers: member, body: { code: 'NO-SUCH-CODE' } });
    expect([redeem.status, redeem.body]).toEqual([400, { detail: 'No items can be discounted using this coupon: NO-SUCH-CODE.' }]);
  });
});
