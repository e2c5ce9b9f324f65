/** Money rules of Toggl billing: seat prices, tax, totals, pro rata charges. Amounts are integer cents. */
import type { Country, PricingPlan } from './state.ts';

/** Price of one seat for one month in a currency, or undefined when the plan is not sold in it. */
export function seatMonthCents(plan: PricingPlan, currency: string): number | undefined {
  return plan.seat_month_cents[currency];
}

/** EU residents without a tax (VAT) number pay their country's VAT; everybody else none. */
export function taxPercentage(country: Country | undefined, taxNumber: string | undefined): number {
  if (!country?.eu) return 0;
  return taxNumber && taxNumber.trim() !== '' ? 0 : country.vat_percentage;
}

export interface Totals {
  subtotal: number;
  tax_percentage: number;
  tax_amount: number;
  total: number;
}

/** Tax on an amount, rounded half up to the cent. */
export function withTax(subtotal: number, percentage: number): Totals {
  const tax = Math.round((subtotal * percentage) / 100);
  return { subtotal, tax_percentage: percentage, tax_amount: tax, total: subtotal + tax };
}

/** seats × seat price per month × months, then tax. */
export function priceSeats(seats: number, seatMonth: number, months: number, percentage: number): Totals {
  return withTax(seats * seatMonth * months, percentage);
}

/**
 * The share of a full-period amount that falls between `from` and the end of the period, rounded to the cent:
 * what a mid-cycle increase costs for the rest of the period. Zero outside the period.
 */
export function prorate(amount: number, periodStart: Date, periodEnd: Date, from: Date): number {
  const total = periodEnd.getTime() - periodStart.getTime();
  if (total <= 0) return 0;
  const left = Math.min(Math.max(periodEnd.getTime() - from.getTime(), 0), total);
  return Math.round((amount * left) / total);
}

/** 1234 → "12.34 USD". */
export function formatMoney(cents: number, currency: string): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')} ${currency}`;
}

/** The arithmetic of a calculation, spelled out: "3 seats × 9.00 USD × 12 months = 324.00 USD + 0% tax 0.00 USD = 324.00 USD". */
export function describeCalculation(
  seats: number,
  seatMonth: number,
  months: number,
  currency: string,
  totals: Totals,
): string {
  return (
    `${seats} seat${seats === 1 ? '' : 's'} × ${formatMoney(seatMonth, currency)} × ${months} month${months === 1 ? '' : 's'}` +
    ` = ${formatMoney(totals.subtotal, currency)} + ${totals.tax_percentage}% tax ${formatMoney(totals.tax_amount, currency)}` +
    ` = ${formatMoney(totals.total, currency)}`
  );
}
