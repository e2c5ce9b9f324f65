import { badRequest } from './errors.ts';

/** Time periods as Togai writes them: half-open [from, until), with far-away instants for "no limit". */

/** Written for an alias or schedule without a start. */
export const BEGINNING = '0001-01-01T00:00:00.000Z';
/** Written for an alias or schedule without an end (Togai's own examples use 9999-01-01). */
export const FOREVER = '9999-01-01T00:00:00.000Z';

export interface Period {
  from: string;
  until: string;
}

/** ISO-8601 instant with milliseconds and Z, the form every timestamp of this API is written in. */
export function iso(date: Date): string {
  return date.toISOString();
}

/** Parses a date-time or a date (midnight UTC); a date-time without offset is taken as UTC. Undefined when invalid. */
export function parseInstant(value: string): Date | undefined {
  let text = value.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) text += 'T00:00:00Z';
  else if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text)) text = `${text.replace(' ', 'T')}Z`;
  if (!/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(text)) return undefined;
  const fraction = /\.(\d+)/.exec(text);
  if (fraction && fraction[1]!.length > 3) text = text.replace(/\.(\d+)/, `.${fraction[1]!.slice(0, 3)}`);
  const date = new Date(text.replace(' ', 'T'));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** `2024-03-01` → `2024-03-01T00:00:00.000Z` */
export function dayStart(date: string): string {
  return `${date}T00:00:00.000Z`;
}

/** The calendar day (UTC) of an instant. */
export function dayOf(instant: string | Date): string {
  return (typeof instant === 'string' ? instant : instant.toISOString()).slice(0, 10);
}

export function overlaps(a: Period, b: Period): boolean {
  return a.from < b.until && b.from < a.until;
}

export function contains(period: Period, instant: string): boolean {
  return period.from <= instant && instant < period.until;
}

/** Normalises an instant to the canonical ISO form so string comparison orders it correctly; 400 when it does not parse. */
export function canonical(value: string, field = 'date-time'): string {
  const date = parseInstant(value);
  if (!date) throw badRequest(`${field} ${value} is not a valid date-time`);
  return iso(date);
}
