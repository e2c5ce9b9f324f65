/** Toggl's money: tax, seat prices, proration, and how amounts and calculations read. */
import { describe, expect, it } from 'vitest';
import { togglFixtures } from '../../../fixtures/toggl/index.ts';
import { describeCalculation, formatMoney, priceSeats, prorate, taxPercentage, withTax } from './pricing.ts';

const fixtures = togglFixtures();

describe('pricing', () => {
  it('tax: VAT for EU residents without a tax number only', () => {
    const de = fixtures.countries['82'];
    expect(taxPercentage(de, '')).toBe(19);
    expect(taxPercentage(de, 'DE123')).toBe(0);
    expect(taxPercentage(fixtures.countries['235'], '')).toBe(0);
    expect(taxPercentage(undefined, undefined)).toBe(0);
  });

  it('totals: seats × seat price × months, tax rounded half up to the cent', () => {
    expect(priceSeats(3, 900, 12, 0)).toEqual({ subtotal: 32400, tax_percentage: 0, tax_amount: 0, total: 32400 });
    expect(priceSeats(7, 1800, 1, 19)).toEqual({ subtotal: 12600, tax_percentage: 19, tax_amount: 2394, total: 14994 });
    expect(withTax(50, 21)).toEqual({ subtotal: 50, tax_percentage: 21, tax_amount: 11, total: 61 });
  });

  it('pro rata: the share of the period still ahead', () => {
    const start = new Date('2026-11-01T00:00:00Z');
    const end = new Date('2026-12-01T00:00:00Z');
    expect(prorate(3000, start, end, new Date('2026-11-16T00:00:00Z'))).toBe(1500);
    expect(prorate(3000, start, end, start)).toBe(3000);
    expect(prorate(3000, start, end, new Date('2027-01-01T00:00:00Z'))).toBe(0);
    expect(prorate(3000, start, end, new Date('2026-10-01T00:00:00Z'))).toBe(3000);
    expect(prorate(3000, end, start, start)).toBe(0);
  });

  it('formats money and spells the calculation out', () => {
    expect(formatMoney(1234, 'USD')).toBe('12.34 USD');
    expect(formatMoney(5, 'EUR')).toBe('0.05 EUR');
    expect(formatMoney(-250, 'GBP')).toBe('-2.50 GBP');
    expect(describeCalculation(1, 1000, 1, 'USD', priceSeats(1, 1000, 1, 0))).toBe(
      '1 seat × 10.00 USD × 1 month = 10.00 USD + 0% tax 0.00 USD = 10.00 USD',
    );
  });
});
