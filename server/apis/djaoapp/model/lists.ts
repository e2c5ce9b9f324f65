/** DRF-style lists: page/page_size pagination, q search, o/ot ordering, start_at/ends_at date ranges. */
import type { RequestInfo } from '../../../core/plugin.ts';
import { parseInstant } from './dates.ts';
import { detail } from './errors.ts';

export const DEFAULT_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 100;

export interface Page<T> {
  count: number;
  next: string | null;
  previous: string | null;
  results: T[];
}

/** `a, "b c",d` → ['a', 'b c', 'd'] (lower-cased, blanks dropped). */
export function searchTerms(q: string | undefined): string[] {
  if (!q) return [];
  const terms: string[] = [];
  for (const match of q.matchAll(/\s*(?:"([^"]*)"|([^,]+))/g)) {
    const term = (match[1] ?? match[2] ?? '').trim().toLowerCase();
    if (term) terms.push(term);
  }
  return terms;
}

/** True when any term is a substring of any searched field (q_f restricts the fields to those it names). */
export function matchesSearch(
  record: Record<string, unknown>,
  fields: string[],
  terms: string[],
  restrictTo?: string[],
): boolean {
  if (!terms.length) return true;
  const searched = restrictTo?.length ? fields.filter((f) => restrictTo.includes(f)) : fields;
  return terms.some((term) =>
    searched.some((f) =>
      String(record[f] ?? '')
        .toLowerCase()
        .includes(term),
    ),
  );
}

function compare(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b));
}

/**
 * Orders by the `o` fields (a leading "-" reverses one; unknown fields ignored), then the default ordering;
 * `ot=desc` reverses the requested fields.
 */
export function order<T extends object>(
  items: T[],
  o: string[] | undefined,
  ot: string | undefined,
  allowed: string[],
  defaults: string[],
): T[] {
  const requested = (o ?? [])
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => allowed.includes(v.replace(/^-/, '')))
    .map((v) => {
      const reversed = v.startsWith('-') !== (ot?.toLowerCase() === 'desc');
      return { field: v.replace(/^-/, ''), sign: reversed ? -1 : 1 };
    });
  const keys = [
    ...requested,
    ...defaults.map((v) => ({ field: v.replace(/^-/, ''), sign: v.startsWith('-') ? -1 : 1 })),
  ];
  return [...items].sort((a, b) => {
    for (const { field, sign } of keys) {
      const c = compare((a as Record<string, unknown>)[field], (b as Record<string, unknown>)[field]);
      if (c) return c * sign;
    }
    return 0;
  });
}

/** A date query value (read as djaodjin reads it, dates.ts); unparseable or missing dates are `fallback`. */
export function parseDate(value: string | undefined, fallback: Date | null): Date | null {
  return (value && parseInstant(value)) || fallback;
}

/**
 * start_at ≤ created_at < ends_at; an unparseable date counts as now. Without ends_at, everything up to now is in,
 * now included: under a frozen sandbox clock a record made at this very instant is listed.
 */
export function inDateRange(
  createdAt: string,
  startAt: string | undefined,
  endsAt: string | undefined,
  now: Date,
): boolean {
  const created = Date.parse(createdAt);
  const start = startAt === undefined ? null : parseDate(startAt, now);
  const inStart = start === null || created >= start.getTime();
  return inStart && (endsAt === undefined ? created <= now.getTime() : created < parseDate(endsAt, now)!.getTime());
}

function pageUrl(request: RequestInfo, page: number | null): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(request.rawQuery)) {
    if (key === 'page') continue;
    for (const v of [value].flat()) params.append(key, String(v));
  }
  if (page !== null) params.append('page', String(page));
  const query = params.toString();
  return `${request.baseUrl}${request.path}${query ? `?${query}` : ''}`;
}

/** One page of `items`; a page past the end is 404 {"detail": "Invalid page."}. */
export function paginate<T>(items: T[], request: RequestInfo, page = 1, pageSize = DEFAULT_PAGE_SIZE): Page<T> {
  const size = Math.min(Math.max(1, pageSize), MAX_PAGE_SIZE);
  const pages = Math.max(1, Math.ceil(items.length / size));
  if (page > pages) throw detail(404, 'Invalid page.');
  return {
    count: items.length,
    next: page < pages ? pageUrl(request, page + 1) : null,
    previous: page > 1 ? pageUrl(request, page === 2 ? null : page - 1) : null,
    results: items.slice((page - 1) * size, page * size),
  };
}
