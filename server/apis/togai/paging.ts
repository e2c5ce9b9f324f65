/**
 * Cursor pagination as Togai does it: an opaque nextToken (base64 of JSON with lastItemId, pageSize and
 * sortOrder, plus the query it continues), so later pages need only the token.
 */
import { badRequest } from './errors.ts';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export interface PageToken {
  lastItemId: string;
  pageSize: number;
  sortOrder: 'asc' | 'desc';
  /** Sort key of the last item, for keyset paging on a key other than the id. */
  lastSortValue?: string;
  sortBy?: string;
  /** The filters/search of the first request, replayed on later pages. */
  query?: Record<string, string>;
}

export function encodeToken(token: PageToken): string {
  return Buffer.from(JSON.stringify(token), 'utf8').toString('base64');
}

/** Decodes a nextToken or answers 400 for anything this API did not write. */
export function decodeToken(raw: string): PageToken {
  const invalid = () => badRequest('Invalid nextToken');
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(raw)) throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, 'base64').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!isJsonObject(parsed)) throw invalid();
  const { lastItemId, pageSize, sortOrder, lastSortValue, sortBy, query } = parsed;
  if (typeof lastItemId !== 'string' || typeof pageSize !== 'number' || !Number.isFinite(pageSize)) throw invalid();
  if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) throw invalid();
  const order = typeof sortOrder === 'string' ? sortOrder.toLowerCase() : undefined;
  if (order !== 'asc' && order !== 'desc') throw invalid();
  if (lastSortValue !== undefined && typeof lastSortValue !== 'string') throw invalid();
  if (sortBy !== undefined && typeof sortBy !== 'string') throw invalid();
  if (query !== undefined && !isStringRecord(query)) throw invalid();
  return { lastItemId, pageSize: Math.floor(pageSize), sortOrder: order, lastSortValue, sortBy, query };
}

export function pageSizeOf(value: number | undefined): number {
  return value === undefined ? DEFAULT_PAGE_SIZE : Math.max(1, Math.min(MAX_PAGE_SIZE, Math.floor(value)));
}

/**
 * One page of `sorted` after the item the token names: the first item whose (key, id) comes after
 * (lastSortValue, lastItemId) in the list's order. `compare` is the list's order.
 */
export function pageAfter<T>(
  sorted: T[],
  size: number,
  after: { key: string; id: string } | undefined,
  keyOf: (item: T) => { key: string; id: string },
  compare: (a: { key: string; id: string }, b: { key: string; id: string }) => number,
): { items: T[]; more: boolean } {
  const start = after ? sorted.findIndex((item) => compare(keyOf(item), after) > 0) : 0;
  if (start < 0) return { items: [], more: false };
  const items = sorted.slice(start, start + size);
  return { items, more: start + size < sorted.length };
}

function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return typeof value === 'object' && value !== null && Object.values(value).every((v) => typeof v === 'string');
}
