/** DjaoApp lists: search, date ranges, ordering and pages. */
import { describe, expect, it } from 'vitest';
import { inDateRange, matchesSearch, order, paginate, parseDate, searchTerms } from './lists.ts';
import { ApiError } from '../../../core/plugin.ts';

const now = new Date('2030-01-01T00:00:00Z');

describe('lists', () => {
  const request = {
    method: 'GET',
    path: '/api/users/',
    baseUrl: 'http://h/djaoapp',
    rawQuery: { q: 'a', page: '2' },
    headers: {},
  };

  it("splits q into OR'ed terms and quoted phrases", () => {
    expect(searchTerms('xia, "Alice Cooper",,bob')).toEqual(['xia', 'alice cooper', 'bob']);
    expect(matchesSearch({ slug: 'alice', email: 'a@x' }, ['slug', 'email'], ['ali'])).toBe(true);
    expect(matchesSearch({ slug: 'alice', email: 'a@x' }, ['slug', 'email'], ['ali'], ['email'])).toBe(false);
  });

  it('orders by o (with -), ot=desc, unknown fields ignored, the default ordering last', () => {
    const items = [
      { a: 2, b: 'x' },
      { a: 1, b: 'y' },
      { a: 2, b: 'a' },
    ];
    expect(order(items, ['a'], undefined, ['a', 'b'], ['b'])).toEqual([
      { a: 1, b: 'y' },
      { a: 2, b: 'a' },
      { a: 2, b: 'x' },
    ]);
    expect(order(items, ['-a'], undefined, ['a', 'b'], ['b']).map((i) => i.a)).toEqual([2, 2, 1]);
    expect(order(items, ['a'], 'desc', ['a', 'b'], ['b']).map((i) => i.a)).toEqual([2, 2, 1]);
    expect(order(items, ['nope'], undefined, ['a', 'b'], ['b']).map((i) => i.b)).toEqual(['a', 'x', 'y']);
  });

  it('start_at ≤ created_at < ends_at; unparseable dates count as now', () => {
    expect(inDateRange('2020-01-01T00:00:00Z', '2020-01-01T00:00:00Z', undefined, now)).toBe(true);
    expect(inDateRange('2020-01-01T00:00:00Z', undefined, '2020-01-01T00:00:00Z', now)).toBe(false);
    expect(inDateRange('2029-12-31T00:00:00Z', 'garbage', undefined, now)).toBe(false);
    expect(inDateRange('2029-12-31T00:00:00Z', undefined, 'garbage', now)).toBe(true);
    // Without ends_at, a record made at this very instant (a frozen clock) is in; with ends_at = now it is not.
    expect(inDateRange(now.toISOString(), undefined, undefined, now)).toBe(true);
    expect(inDateRange(now.toISOString(), undefined, now.toISOString(), now)).toBe(false);
  });

  it("reads query dates as Django does: ISO 8601 only, no zone meaning UTC whatever the machine's zone", () => {
    const zone = process.env.TZ;
    process.env.TZ = 'America/New_York';
    try {
      expect(parseDate('2018-01-01T10:00:00', now)).toEqual(new Date('2018-01-01T10:00:00Z'));
      expect(parseDate('2018-01-01 10:00', now)).toEqual(new Date('2018-01-01T10:00:00Z'));
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
    // What JavaScript's Date would make of them (2001, 2001-12-01, a year-10000 instant no answer can carry): now.
    for (const loose of ['1', '12', '2018', 'Jan 1 2017', '+010000-01-01', '10000-01-01', '-000001-01-01T00:00:00Z']) {
      expect(parseDate(loose, now), loose).toBe(now);
    }
  });

  it('paginates with absolute next/previous URLs; a page past the end is 404 "Invalid page."', () => {
    const page = paginate([1, 2, 3, 4, 5], request, 2, 2);
    expect(page).toEqual({
      count: 5,
      next: 'http://h/djaoapp/api/users/?q=a&page=3',
      previous: 'http://h/djaoapp/api/users/?q=a',
      results: [3, 4],
    });
    expect(paginate([], request, 1)).toEqual({ count: 0, next: null, previous: null, results: [] });
    expect(() => paginate([1], request, 2)).toThrow(ApiError);
    expect(
      paginate(
        Array.from({ length: 150 }, (_, i) => i),
        request,
        1,
        1000,
      ).results,
    ).toHaveLength(100);
  });
});
