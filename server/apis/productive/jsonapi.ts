/** Productive's JSON:API query conventions: filters, sort, include and page links. */
import type { Operation } from '../../core/contract/load.ts';
import { jsonApiError, unsupported } from './errors.ts';

export const FILTER_OPERATORS = ['eq', 'not_eq', 'contains', 'not_contain', 'gt', 'gt_eq', 'lt', 'lt_eq'] as const;
export type FilterOperator = (typeof FILTER_OPERATORS)[number];

export interface FilterCondition {
  field: string;
  operator: FilterOperator;
  values: string[];
}

export interface Filters {
  combine: 'and' | 'or';
  conditions: FilterCondition[];
}

/** `read(op)`, worked out once per operation (the contract does not change while served). */
function perOperation<T>(read: (op: Operation) => T): (op: Operation) => T {
  const known = new WeakMap<Operation, T>();
  return (op) => {
    if (!known.has(op)) known.set(op, read(op));
    return known.get(op)!;
  };
}

/** The filterable fields of an operation: its `filter[<field>]` query parameters. */
export const filterableFields = perOperation((op): string[] =>
  op.parameters.flatMap((p) => {
    const m = p.in === 'query' ? /^filter\[([^\]]+)\]$/.exec(p.name) : null;
    return m ? [m[1]!] : [];
  }),
);

function extension<T>(op: Operation, parameter: string, key: string): T {
  const spec = op.parameters.find((p) => p.name === parameter)?.spec;
  return (spec?.[key] ?? []) as T;
}

export const sortableFields = perOperation((op) => extension<string[]>(op, 'sort', 'x-standin-sort-fields'));
export const includablePaths = perOperation((op) => extension<string[]>(op, 'include', 'x-standin-includes'));

const single = (value: string | string[]) => (Array.isArray(value) ? value[value.length - 1]! : value);

/** Reads `filter[field]`, `filter[field][operator]` and `filter[$op]` from the raw query. */
export function parseFilters(rawQuery: Record<string, string | string[]>, supported: string[]): Filters {
  const filters: Filters = { combine: 'and', conditions: [] };
  for (const [key, raw] of Object.entries(rawQuery)) {
    if (!key.startsWith('filter[')) continue;
    const m = /^filter\[([^\]]+)\](?:\[([^\]]+)\])?$/.exec(key);
    const value = single(raw);
    if (m?.[1] === '$op' && !m[2]) {
      if (value !== 'and' && value !== 'or')
        throw jsonApiError(400, [
          { status: 400, title: 'Invalid Filter', detail: `Filter operation '${value}' must be 'and' or 'or'` },
        ]);
      filters.combine = value;
      continue;
    }
    if (!m || !supported.includes(m[1]!)) throw unsupported('Filter', m?.[1] ?? key);
    const operator = (m[2] ?? 'eq') as FilterOperator;
    if (!FILTER_OPERATORS.includes(operator))
      throw jsonApiError(400, [
        {
          status: 400,
          title: 'Unsupported Filter',
          detail: `Filter operator '${operator}' is not supported on this endpoint`,
        },
      ]);
    filters.conditions.push({ field: m[1]!, operator, values: value.split(',').map((v) => v.trim()) });
  }
  return filters;
}

function conditionHolds(actual: unknown, { operator, values }: FilterCondition): boolean {
  const text = actual === null || actual === undefined ? '' : String(actual);
  switch (operator) {
    case 'eq':
      return values.includes(text);
    case 'not_eq':
      return !values.includes(text);
    case 'contains':
      return values.some((v) => text.toLowerCase().includes(v.toLowerCase()));
    case 'not_contain':
      return values.every((v) => !text.toLowerCase().includes(v.toLowerCase()));
    default: {
      const [a, b] = [Number(text), Number(values[0])];
      if (Number.isNaN(a) || Number.isNaN(b)) return false;
      return operator === 'gt' ? a > b : operator === 'gt_eq' ? a >= b : operator === 'lt' ? a < b : a <= b;
    }
  }
}

export function matchesFilters(fieldOf: (field: string) => unknown, filters: Filters): boolean {
  if (!filters.conditions.length) return true;
  const results = filters.conditions.map((c) => conditionHolds(fieldOf(c.field), c));
  return filters.combine === 'or' ? results.some(Boolean) : results.every(Boolean);
}

export interface SortKey {
  field: string;
  descending: boolean;
}

export function parseSort(value: string | undefined, allowed: string[]): SortKey[] {
  if (value === undefined || value === '') return [];
  return value.split(',').map((part) => {
    const field = part.trim().replace(/^-/, '');
    if (!allowed.includes(field)) throw unsupported('Sort', field);
    return { field, descending: part.trim().startsWith('-') };
  });
}

/** A value read as a number for sorting: NaN when it is none, or blank (Number('') is 0). */
const sortNumber = (value: unknown): number => {
  const n = Number(value);
  return n === 0 && String(value).trim() === '' ? Number.NaN : n;
};

function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  if (typeof a !== 'boolean') {
    const [na, nb] = [sortNumber(a), sortNumber(b)];
    if (!Number.isNaN(na) && !Number.isNaN(nb)) return na - nb;
  }
  return String(a).localeCompare(String(b));
}

/** A comparator over the sort keys, ties broken by numeric id. */
export function sortComparator<T extends { id: string }>(
  keys: SortKey[],
  fieldOf: (record: T, field: string) => unknown,
) {
  return (a: T, b: T): number => {
    for (const { field, descending } of keys) {
      const order = compareValues(fieldOf(a, field), fieldOf(b, field));
      if (order) return descending ? -order : order;
    }
    return compareValues(a.id, b.id);
  };
}

/** The include paths asked for, or undefined when the request did not say (the default set applies). */
export function parseIncludes(value: string | undefined, allowed: string[]): string[] | undefined {
  if (value === undefined) return undefined;
  const paths = value
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  for (const path of paths) if (!allowed.includes(path)) throw unsupported('Include', path);
  return paths;
}

export interface Page {
  number: number;
  size: number;
  totalCount: number;
  totalPages: number;
}

export function page(number: number, size: number, totalCount: number): Page {
  return { number, size, totalCount, totalPages: Math.ceil(totalCount / size) };
}

/** first/last always, next/prev where they exist; other query parameters kept; brackets percent-encoded. */
export function pageLinks(url: string, rawQuery: Record<string, string | string[]>, p: Page): Record<string, string> {
  const kept = Object.entries(rawQuery).filter(([key]) => key !== 'page[number]' && key !== 'page[size]');
  const link = (number: number) => {
    const query = new URLSearchParams([
      ['page[number]', String(number)],
      ['page[size]', String(p.size)],
    ]);
    for (const [key, value] of kept) for (const v of [value].flat()) query.append(key, v);
    return `${url}?${query.toString()}`;
  };
  const last = Math.max(p.totalPages, 1);
  const links: Record<string, string> = { first: link(1), last: link(last) };
  if (p.number < p.totalPages) links.next = link(p.number + 1);
  if (p.number > 1) links.prev = link(Math.min(p.number - 1, last));
  return links;
}
