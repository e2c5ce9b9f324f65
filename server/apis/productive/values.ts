/** Productive's value rules: decimals as strings, money in integer cents, timestamps in the organization's offset. */
import { entryOf } from '../../core/records.ts';

/**
 * A quantity as Productive stores and prints it: rounded to two decimals, written with at least one
 * decimal and no trailing zeros beyond it (5 → "5.0", 5.12345 → "5.12", 2.1 → "2.1").
 * Returns undefined for what is not a number.
 */
export function formatQuantity(value: number | string): string | undefined {
  const number = typeof value === 'number' ? value : value.trim() === '' ? NaN : Number(value);
  if (!Number.isFinite(number)) return undefined;
  const fixed = number
    .toFixed(2)
    .replace(/0$/, '')
    .replace(/^-(0\.0)$/, '$1');
  return fixed;
}

/** Converts integer cents between currencies with a table of each currency's value in one common unit. */
export function convertAmount(
  cents: number | null,
  from: string,
  to: string,
  rates: Record<string, number>,
): number | null {
  if (cents === null || from === to) return cents;
  const fromRate = entryOf(rates, from);
  const toRate = entryOf(rates, to);
  if (fromRate === undefined || toRate === undefined) throw new RangeError(`No exchange rate for ${from} → ${to}`);
  return Math.round((cents * fromRate) / toRate);
}

/** `2021-04-15T01:04:39.559+02:00`: the instant written in a fixed UTC offset, with milliseconds. */
export function formatTimestamp(instant: Date, utcOffset: string): string {
  const match = /^([+-])(\d{2}):(\d{2})$/.exec(utcOffset);
  if (!match) throw new RangeError(`Bad UTC offset ${utcOffset}`);
  const minutes = (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3]));
  const local = new Date(instant.getTime() + minutes * 60_000).toISOString();
  return `${local.slice(0, -1)}${utcOffset}`;
}

/** Rails' `blank?`: null, missing, or only white space. */
export function isBlank(value: unknown): boolean {
  return value === null || value === undefined || (typeof value === 'string' && value.trim() === '');
}
