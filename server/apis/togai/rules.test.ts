/** Unit tests of the small Togai rules: aliases, entitlements, the proposal lifecycle, paging tokens, rate limits, ids. */
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../core/plugin.ts';
import { aliasesAt, checkNewAliases, endAlias, MAX_ALIASES, peakOverlap } from './alias-rules.ts';
import { takeRateLimit } from './auth.ts';
import { grantEntitlements, roundMoney } from './entitlements.ts';
import { togaiId, uuidFor } from './ids.ts';
import { answerProposal, expireProposals, isExpired } from './lifecycle.ts';
import { decodeToken, encodeToken, pageAfter, pageSizeOf } from './paging.ts';
import { BEGINNING, FOREVER, parseInstant } from './periods.ts';
import type { AliasRecord, StoredPurchase } from './state.ts';

const NOW = '2030-01-01T00:00:00.000Z';
const record = (
  accountId: string,
  value: string,
  from = BEGINNING,
  until = FOREVER,
  id = `${accountId}-${value}`,
): AliasRecord => ({
  id,
  accountId,
  value,
  effectiveFrom: from,
  effectiveUntil: until,
  createdAt: NOW,
  updatedAt: NOW,
});

describe('aliases', () => {
  it('gives an unbounded period to omitted ends', () => {
    expect(checkNewAliases([], 'A', [{ value: 'x-1' }], NOW)).toEqual([
      { value: 'x-1', effectiveFrom: BEGINNING, effectiveUntil: FOREVER },
    ]);
  });

  it('refuses a value another account holds for an overlapping period, allows it after', () => {
    const held = [record('B', 'shared', BEGINNING, '2031-01-01T00:00:00.000Z')];
    expect(() => checkNewAliases(held, 'A', [{ value: 'shared' }], NOW)).toThrow(/another account/);
    expect(checkNewAliases(held, 'A', [{ value: 'shared', from: '2031-01-01T00:00:00.000Z' }], NOW)).toHaveLength(1);
  });

  it('refuses a value given twice for overlapping periods and an inverted period', () => {
    expect(() => checkNewAliases([], 'A', [{ value: 'twice' }, { value: 'twice' }], NOW)).toThrow(/twice/);
    expect(() =>
      checkNewAliases(
        [],
        'A',
        [{ value: 'inv', from: '2031-01-01T00:00:00.000Z', until: '2030-01-01T00:00:00.000Z' }],
        NOW,
      ),
    ).toThrow(/after/);
  });

  it(`caps an account at ${MAX_ALIASES} aliases at any instant; ended ones do not count against new ones`, () => {
    const nine = Array.from({ length: 9 }, (_, i) => record('A', `v${i}`));
    expect(checkNewAliases(nine, 'A', [{ value: 'ten', from: NOW }], NOW)).toHaveLength(1);
    expect(() =>
      checkNewAliases(
        nine,
        'A',
        [
          { value: 'ten', from: NOW },
          { value: 'eleven', from: NOW },
        ],
        NOW,
      ),
    ).toThrow(/at most 10/);
    const ended = [...nine, record('A', 'old', BEGINNING, '2020-01-01T00:00:00.000Z')];
    expect(checkNewAliases(ended, 'A', [{ value: 'ten', from: NOW }], NOW)).toHaveLength(1);
    // reaching back without limit, it would have been the 11th while 'old' was in effect
    expect(() => checkNewAliases(ended, 'A', [{ value: 'ten' }], NOW)).toThrow(/at most 10/);
  });

  it('counts the peak of overlapping periods, half-open', () => {
    const p = (from: string, until: string) => ({ from, until });
    expect(peakOverlap([p('a', 'c'), p('b', 'd'), p('c', 'e')])).toBe(2);
    expect(peakOverlap([p('a', 'b'), p('b', 'c')])).toBe(1);
    expect(peakOverlap([])).toBe(0);
  });

  it('evaluates aliases at an instant and ends them', () => {
    const r = record('A', 'x', '2029-01-01T00:00:00.000Z');
    expect(aliasesAt([r], 'A', NOW)).toEqual([r]);
    expect(aliasesAt([r], 'A', '2028-01-01T00:00:00.000Z')).toEqual([]);
    expect(endAlias([r], r, NOW, NOW)[0]!.effectiveUntil).toBe(NOW);
    expect(endAlias([r], r, '2028-01-01T00:00:00.000Z', NOW)).toEqual([]);
  });
});

describe('entitlements', () => {
  const card = {
    featureId: 'f',
    displayName: 'feature1',
    featureConfigs: [{ effectiveUntil: 'P20D', featureCreditLimit: 100 }],
    rateValues: [{ currency: 'USD', slabRates: [{ order: 1, rate: 1 }] }],
  };
  it("reproduces Togai's example: limit 100 × quantity 1.2 at rate 1 → 120 credits for 120", () => {
    const { features, price } = grantEntitlements([card], {
      rateCardQuantities: { f: 1.2 },
      currency: 'USD',
      now: new Date(NOW),
    });
    expect(price).toBe(120);
    expect(features).toEqual([
      expect.objectContaining({
        id: 'f',
        name: 'feature1',
        creditsGranted: 120,
        creditsAvailable: 120,
        effectiveFrom: NOW,
        effectiveUntil: '2030-01-21T00:00:00.000Z',
      }),
    ]);
  });
  it('uses quantity when there is no per-card quantity, and prices 0 in a currency without rates', () => {
    expect(grantEntitlements([card], { quantity: 3, currency: 'USD', now: new Date(NOW) }).price).toBe(300);
    expect(grantEntitlements([card], { currency: 'EUR', now: new Date(NOW) }).price).toBe(0);
  });
  it('rounds money to cents', () => {
    expect(roundMoney(0.1 + 0.2)).toBe(0.3);
    expect(roundMoney(1.005)).toBe(1.01);
  });
});

describe('proposal lifecycle', () => {
  it('answers only active proposals', () => {
    expect(answerProposal('PROPOSAL_ACTIVE', 'APPROVE')).toBe('PROPOSAL_APPROVED');
    expect(answerProposal('PROPOSAL_ACTIVE', 'DECLINE')).toBe('PROPOSAL_DECLINED');
    for (const status of ['PROPOSAL_APPROVED', 'PROPOSAL_DECLINED', 'PROPOSAL_EXPIRED'] as const)
      expect(() => answerProposal(status, 'APPROVE')).toThrow(/can no longer/);
  });
  it('expires active proposals whose expiry has passed, stamping the expiry', () => {
    const p = {
      paymentMode: 'PREPAID',
      status: 'PROPOSAL_ACTIVE',
      expiryDate: '2029-12-31T00:00:00.000Z',
      updatedAt: '2029-01-01T00:00:00.000Z',
    } as StoredPurchase;
    const q = { ...p, expiryDate: '2030-02-01T00:00:00.000Z' } as StoredPurchase;
    expect(isExpired(p, new Date(NOW))).toBe(true);
    expect(expireProposals([p, q], new Date(NOW))).toBe(1);
    expect(p).toMatchObject({ status: 'PROPOSAL_EXPIRED', updatedAt: '2029-12-31T00:00:00.000Z' });
    expect(q.status).toBe('PROPOSAL_ACTIVE');
  });
});

describe('paging', () => {
  it("round-trips a token and accepts the seed's example token", () => {
    const token = {
      lastItemId: 'A',
      pageSize: 10,
      sortOrder: 'asc' as const,
      lastSortValue: 'k',
      sortBy: 'updated_at',
      query: { status: 'ACTIVE' },
    };
    expect(decodeToken(encodeToken(token))).toEqual(token);
    expect(
      decodeToken('eyJsYXN0SXRlbUlkIjogInN0cmluZyIsICJwYWdlU2l6ZSI6IDEwMCwgInNvcnRPcmRlciI6ICJhc2MifQ=='),
    ).toMatchObject({ lastItemId: 'string', pageSize: 100, sortOrder: 'asc' });
  });
  it.each([
    '!!',
    Buffer.from('[]').toString('base64'),
    Buffer.from('{"lastItemId":1}').toString('base64'),
    Buffer.from('{"lastItemId":"a","pageSize":500,"sortOrder":"asc"}').toString('base64'),
  ])('refuses %s with a 400', (raw) => {
    expect(() => decodeToken(raw)).toThrow(ApiError);
  });
  it('clamps page sizes and pages after a key', () => {
    expect([pageSizeOf(undefined), pageSizeOf(2.7), pageSizeOf(1000)]).toEqual([20, 2, 100]);
    const items = ['a', 'b', 'c', 'd'];
    const key = (s: string) => ({ key: s, id: s });
    const cmp = (x: { id: string }, y: { id: string }) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0);
    expect(pageAfter(items, 2, undefined, key, cmp)).toEqual({ items: ['a', 'b'], more: true });
    expect(pageAfter(items, 2, { key: 'b', id: 'b' }, key, cmp)).toEqual({ items: ['c', 'd'], more: false });
    expect(pageAfter(items, 2, { key: 'bb', id: 'bb' }, key, cmp)).toEqual({ items: ['c', 'd'], more: false });
  });
});

describe('rate limits, ids and instants', () => {
  it('allows `limit` requests per fixed window of the clock and says how long to wait', () => {
    const counters = new Map();
    const limit = { limit: 2, windowSeconds: 60 };
    const at = (s: number) => new Date(Date.UTC(2030, 0, 1, 0, 0, s));
    expect(takeRateLimit(counters, 't', limit, at(0)).allowed).toBe(true);
    expect(takeRateLimit(counters, 't', limit, at(10)).allowed).toBe(true);
    expect(takeRateLimit(counters, 't', limit, at(20))).toEqual({ allowed: false, retryAfterSeconds: 40 });
    expect(takeRateLimit(counters, 't', limit, at(60)).allowed).toBe(true);
  });
  it("writes ids in Togai's shapes, distinct per sequence", () => {
    expect(togaiId('purchase', 1)).toMatch(/^purchase\.2\w{10}\.\w{5}$/);
    expect(new Set(Array.from({ length: 500 }, (_, i) => togaiId('account', i))).size).toBe(500);
    expect(uuidFor(7)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
  it('parses dates, date-times with or without offset, and microseconds', () => {
    expect(parseInstant('2023-03-30T10:41:10.088499')?.toISOString()).toBe('2023-03-30T10:41:10.088Z');
    expect(parseInstant('2030-01-01')?.toISOString()).toBe(NOW);
    expect(parseInstant('2013-10-20T19:20:30+01:00')?.toISOString()).toBe('2013-10-20T18:20:30.000Z');
    expect(parseInstant('soon')).toBeUndefined();
  });
});
