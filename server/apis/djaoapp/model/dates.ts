/**
 * Dates as djaodjin reads them, in query strings and in bodies: Django's parse_datetime, else its parse_date (the
 * date at midnight). That is ISO 8601 and nothing looser: "2018-01-01", "2018-01-01T10:00", "2018-01-01 10:00:00.5",
 * with an optional zone "Z", "+02", "+0200" or "+02:00"; no zone means UTC (djaodjin's time zone), whatever the
 * machine's is. A date Python's datetime cannot hold (year 0 or past 9999, February 30th, a 60th second) is no date.
 */
import { DATETIME_FORMAT_ERROR, fieldErrors } from './errors.ts';
import { utcDate } from './periods.ts';

const ISO =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:[.,](\d{1,6})\d{0,6})?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$/;

const isLeap = (year: number) => year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Minutes east of UTC for "Z", "+02", "-0530", "+02:00" (null when Python's timezone would refuse it). */
function offsetMinutes(zone: string | undefined): number | null {
  if (!zone || zone === 'Z') return 0;
  const digits = zone.slice(1).replace(':', '');
  const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0);
  return minutes < 24 * 60 ? (zone[0] === '-' ? -minutes : minutes) : null;
}

/** The instant `text` names, or null when djaodjin could not read it as a date (see above). */
export function parseInstant(text: string): Date | null {
  const m = ISO.exec(text);
  if (!m) return null;
  const [year, month, day, hour = 0, minute = 0, second = 0] = m
    .slice(1, 7)
    .map((v) => (v === undefined ? undefined : Number(v))) as number[];
  if (year! < 1 || month! < 1 || month! > 12 || day! < 1) return null;
  if (day! > (month === 2 && isLeap(year!) ? 29 : DAYS[month! - 1]!)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  const offset = offsetMinutes(m[8]);
  if (offset === null) return null;
  const date = utcDate(
    year!,
    month! - 1,
    day!,
    hour,
    minute - offset,
    second,
    Math.floor(Number((m[7] ?? '').padEnd(6, '0')) / 1000),
  );
  const utcYear = date.getUTCFullYear();
  return utcYear >= 1 && utcYear <= 9999 ? date : null;
}

/** A date-time of a request body as DRF's DateTimeField reads it; 400 {field: [...]} when it cannot. */
export function bodyInstant(field: string, text: string): Date {
  const date = parseInstant(text);
  if (!date) throw fieldErrors({ [field]: [DATETIME_FORMAT_ERROR] });
  return date;
}
