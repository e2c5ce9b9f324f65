/**
 * The arithmetic of DjaoApp's metric tables: the instants a series is reported at (the first instant of each month
 * in UTC, then now), the windows between them, amounts summed over a window or up to an instant, and the customers
 * gained and lost from one window to the next.
 */
import { addMonths, isoInstant, utcDate } from '../model/periods.ts';

/** The first instant of the month (UTC) that `date` falls in. */
export function monthStart(date: Date): Date {
  return utcDate(date.getUTCFullYear(), date.getUTCMonth());
}

/**
 * The instants of a series ending at `now`: `count` firsts of months, `step` months apart, the last one the first of
 * now's month, then `now` itself (count + 1 points; now on a first of month appears twice, as djaodjin does).
 */
export function seriesPoints(now: Date, count = 12, step = 1): Date[] {
  const last = monthStart(now);
  const points = Array.from({ length: count }, (_, i) => addMonths(last, -step * (count - 1 - i)));
  return [...points, now];
}

/**
 * The instants a series counts up to (what happened strictly before each): its points, except that the last one,
 * now, also takes in what happens at that very instant (under a frozen sandbox clock, a checkout made now).
 * Instants are ISO strings to the millisecond, so one millisecond later is "at or before now".
 */
export function countedUntil(points: Date[]): Date[] {
  return points.map((point, i) => (i === points.length - 1 ? new Date(point.getTime() + 1) : point));
}

/** [start, end) */
export interface Window {
  start: Date;
  end: Date;
}

/** The windows between consecutive points (n points, n - 1 windows), each reported at its end. */
export function windowsBetween(points: Date[]): Window[] {
  return points.slice(1).map((end, i) => ({ start: points[i]!, end }));
}

/** The same stretch of time one month earlier: what a window is compared with to find new and lost customers. */
export function monthBefore(window: Window): Window {
  return { start: addMonths(window.start, -1), end: addMonths(window.end, -1) };
}

/** The window that a point-in-time series' point closes: since the previous point, or the month before the first. */
export function windowsEndingAt(points: Date[]): Window[] {
  return points.map((end, i) => ({ start: i === 0 ? addMonths(end, -1) : points[i - 1]!, end }));
}

/** Something that happened at an instant (ms since the epoch). */
export interface Dated {
  at: number;
}

/** Amounts in time order with their running totals: a sum up to any instant in one binary search. */
export interface Timeline {
  at: number[];
  /** totals[i]: the sum of the first i amounts. */
  totals: number[];
}

export function timeline(items: Array<Dated & { amount: number }>): Timeline {
  const sorted = [...items].sort((a, b) => a.at - b.at);
  const totals = [0];
  for (const item of sorted) totals.push(totals[totals.length - 1]! + item.amount);
  return { at: sorted.map((item) => item.at), totals };
}

/** How many of the sorted instants fall strictly before `t`. */
function countBefore(sorted: number[], t: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The sum of the amounts dated strictly before `t`: a balance at that instant. */
export function totalBefore(line: Timeline, t: Date): number {
  return line.totals[countBefore(line.at, t.getTime())]!;
}

/** The sum of the amounts dated within the window: a flow. */
export function totalWithin(line: Timeline, window: Window): number {
  return totalBefore(line, window.end) - totalBefore(line, window.start);
}

/** The items (sorted by `at`) dated within the window. */
export function within<T extends Dated>(sorted: T[], window: Window): T[] {
  const at = sorted.map((item) => item.at);
  return sorted.slice(countBefore(at, window.start.getTime()), countBefore(at, window.end.getTime()));
}

/** Customers of a window compared with those of the window before: who is new, who was lost. */
export function customerChanges(
  current: Set<string>,
  previous: Set<string>,
): { total: number; added: string[]; lost: string[] } {
  return {
    total: current.size,
    added: [...current].filter((c) => !previous.has(c)),
    lost: [...previous].filter((c) => !current.has(c)),
  };
}

/** Customers lost as a percentage of those there were, to two decimals (0 when there were none). */
export function churnPercent(lost: number, before: number): number {
  return before ? Math.round((lost / before) * 10000) / 100 : 0;
}

/** A series as the API writes it: [[instant, value], ...]. */
export function series(points: Date[], values: number[]): Array<[string, number]> {
  return points.map((point, i) => [isoInstant(point), values[i]!]);
}
