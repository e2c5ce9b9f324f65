/** Subscription periods: months by the calendar, intervals and lengths. */
import { describe, expect, it } from 'vitest';
import { addMonths, addPeriods, isoInstant, periodEnd } from './periods.ts';

const d = (iso: string) => new Date(iso);

describe('periods', () => {
  it('adds calendar months, clamping the day to the end of a shorter month as relativedelta does', () => {
    expect(addMonths(d('2019-01-31T10:00:00Z'), 1).toISOString()).toBe('2019-02-28T10:00:00.000Z');
    expect(addMonths(d('2020-01-31T00:00:00Z'), 1).toISOString()).toBe('2020-02-29T00:00:00.000Z');
    expect(addMonths(d('2019-12-15T00:00:00Z'), 1).toISOString()).toBe('2020-01-15T00:00:00.000Z');
    expect(addMonths(d('2020-02-29T00:00:00Z'), 12).toISOString()).toBe('2021-02-28T00:00:00.000Z');
    expect(addMonths(d('2019-03-31T00:00:00Z'), -1).toISOString()).toBe('2019-02-28T00:00:00.000Z');
  });

  it('adds period_length × period_type: hours, days, weeks, months, years', () => {
    const start = d('2019-01-31T12:00:00Z');
    expect(addPeriods(start, 'hourly', 6).toISOString()).toBe('2019-01-31T18:00:00.000Z');
    expect(addPeriods(start, 'daily', 2).toISOString()).toBe('2019-02-02T12:00:00.000Z');
    expect(addPeriods(start, 'weekly', 1).toISOString()).toBe('2019-02-07T12:00:00.000Z');
    expect(addPeriods(start, 'monthly', 3).toISOString()).toBe('2019-04-30T12:00:00.000Z');
    expect(addPeriods(start, 'yearly', 2).toISOString()).toBe('2021-01-31T12:00:00.000Z');
    expect(addPeriods(start, 'monthly', 1, 2).toISOString()).toBe('2019-03-31T12:00:00.000Z');
    expect(periodEnd({ period_type: 'monthly', period_length: 6 }, d('2018-01-01T00:00:00Z')).toISOString()).toBe(
      '2018-07-01T00:00:00.000Z',
    );
  });

  it('writes instants without milliseconds when there are none', () => {
    expect(isoInstant(d('2019-01-01T00:00:00Z'))).toBe('2019-01-01T00:00:00Z');
    expect(isoInstant(d('2019-01-01T00:00:00.250Z'))).toBe('2019-01-01T00:00:00.250Z');
  });
});
