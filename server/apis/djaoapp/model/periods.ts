/**
 * Plan periods: a period is `period_length` × `period_type` (hourly, daily, weekly, monthly, yearly). Months and
 * years are calendar months in UTC and, as Python's relativedelta that djaodjin uses, a day past the end of the
 * target month is clamped to its last day (Jan 31 + 1 month = Feb 28 or 29).
 */
import type { Interval, PlanRecord } from '../state.ts';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** Date.UTC as a Date, for any year (Date.UTC reads years 0 to 99 as 1900 to 1999). */
export function utcDate(year: number, month: number, day = 1, hours = 0, minutes = 0, seconds = 0, ms = 0): Date {
  const date = new Date(0);
  date.setUTCFullYear(year, month, day);
  date.setUTCHours(hours, minutes, seconds, ms);
  return date;
}

function daysInMonth(year: number, month: number): number {
  return utcDate(year, month + 1, 0).getUTCDate();
}

/** `from` plus `months` calendar months, the day clamped to the target month's last day. */
export function addMonths(from: Date, months: number): Date {
  const total = from.getUTCFullYear() * 12 + from.getUTCMonth() + months;
  const year = Math.floor(total / 12);
  const month = total - year * 12;
  const day = Math.min(from.getUTCDate(), daysInMonth(year, month));
  return utcDate(
    year,
    month,
    day,
    from.getUTCHours(),
    from.getUTCMinutes(),
    from.getUTCSeconds(),
    from.getUTCMilliseconds(),
  );
}

/** `from` plus `count` periods of `length` × `interval`. */
export function addPeriods(from: Date, interval: Interval, length: number, count = 1): Date {
  const n = length * count;
  switch (interval) {
    case 'hourly':
      return new Date(from.getTime() + n * HOUR_MS);
    case 'daily':
      return new Date(from.getTime() + n * DAY_MS);
    case 'weekly':
      return new Date(from.getTime() + n * 7 * DAY_MS);
    case 'monthly':
      return addMonths(from, n);
    case 'yearly':
      return addMonths(from, 12 * n);
  }
}

/** The end of the plan's period that starts at `start`. */
export function periodEnd(plan: Pick<PlanRecord, 'period_type' | 'period_length'>, start: Date): Date {
  return addPeriods(start, plan.period_type, plan.period_length, 1);
}

/** An instant as djaodjin writes it: ISO 8601 in UTC, without milliseconds when there are none. */
export function isoInstant(date: Date): string {
  return date.toISOString().replace(/\.000Z$/, 'Z');
}
