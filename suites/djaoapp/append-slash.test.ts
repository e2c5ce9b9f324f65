/**
 * Paths as the seed's examples write them, without the trailing slash (`GET /api/billing/xia/checkout`): a Django
 * backend redirects them (301) to the path with its slash, which HTTP clients follow. A path that does not exist
 * with a slash either is still 404.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_HEADER } from '../../server/core/pipeline.ts';
import type { ConformanceTarget } from '../support/target.ts';
import { openSession } from './target.ts';

let t: ConformanceTarget;
let manager: Record<string, string>;
beforeAll(async () => ({ t, manager } = await openSession()));
afterAll(() => t.close());

/** The answer itself, not followed: status and Location. */
async function unfollowed(method: string, path: string): Promise<{ status: number; location: string | null }> {
  const res = await fetch(t.baseUrl + path, { method, redirect: 'manual', headers: { [SANDBOX_HEADER]: t.sandbox, ...manager } });
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
});
