/** The virtual clock of a sandbox: real time shifted by an offset, or frozen at an instant. */
import { parse as parseDuration, pattern as durationPattern } from 'iso8601-duration';

export interface ClockState {
  offsetMs: number;
  frozenAt: string | null;
}

export const realTime = (): ClockState => ({ offsetMs: 0, frozenAt: null });

export function clockNow(clock: ClockState, realNow = Date.now()): Date {
  return clock.frozenAt ? new Date(clock.frozenAt) : new Date(realNow + clock.offsetMs);
}

export function setClock(to: Date, freeze: boolean, realNow = Date.now()): ClockState {
  return freeze ? { offsetMs: 0, frozenAt: to.toISOString() } : { offsetMs: to.getTime() - realNow, frozenAt: null };
}

// The library's pattern finds a duration inside any text ('xP1Dy'): here the whole string must be one.
const wholeDuration = new RegExp(`^${durationPattern.source}$`);

function durationParts(duration: string) {
  try {
    if (wholeDuration.test(duration)) return parseDuration(duration);
  } catch {
    // no unit ('P'), or a fraction on a unit other than the smallest
  }
  throw new RangeError(`Not an ISO-8601 duration: ${duration}`);
}

/** Adds an ISO-8601 duration (`P30D`, `PT2H30M`, `P1M`); years and months are calendar months, in UTC. */
export function addDuration(from: Date, duration: string): Date {
  const { years = 0, months = 0, weeks = 0, days = 0, hours = 0, minutes = 0, seconds = 0 } = durationParts(duration);
  const date = new Date(from.getTime());
  if (years || months) date.setUTCMonth(date.getUTCMonth() + years * 12 + months);
  return new Date(date.getTime() + ((((weeks * 7 + days) * 24 + hours) * 60 + minutes) * 60 + seconds) * 1000);
}

/**
 * The instants a sandbox clock may show. The vendors' date formats write the years 1 to 9999, and they compute
 * dates ahead of the clock and behind it (a renewal at 9999-12-31 ends in the year 10000, a 12-month metrics series
 * at 0001-01-01 starts in the year 0): a thousand years either side keeps every date they compute writable.
 */
const EARLIEST = Date.parse('1000-01-01T00:00:00Z');
const LATEST = Date.parse('9000-01-01T00:00:00Z');
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/i;
const CLOCK_FIELDS = ['offsetMs', 'frozenAt'];

export function withinClockRange(instant: Date): boolean {
  const time = instant.getTime();
  return time >= EARLIEST && time <= LATEST;
}

export const CLOCK_RANGE = 'the years 1000 to 9000';

/** What is wrong with a clock given whole (a restored snapshot's): its fields and the instant it shows; none when nothing. */
export function clockProblems(value: unknown, realNow = Date.now()): string[] {
  if (!value || typeof value !== 'object' || Array.isArray(value))
    return ['clock must be {"offsetMs": <milliseconds>, "frozenAt": <ISO-8601 date-time or null>}'];
  const clock = value as Record<string, unknown>;
  const problems = Object.keys(clock)
    .filter((key) => !CLOCK_FIELDS.includes(key))
    .map((key) => `clock.${key} is not a clock field (${CLOCK_FIELDS.join(', ')})`);
  const { offsetMs, frozenAt } = clock;
  if (typeof offsetMs !== 'number' || !Number.isFinite(offsetMs))
    problems.push('clock.offsetMs must be a finite number of milliseconds');
  else if (!withinClockRange(new Date(realNow + offsetMs)))
    problems.push(`clock.offsetMs puts the clock outside ${CLOCK_RANGE}`);
  if (
    frozenAt !== null &&
    (typeof frozenAt !== 'string' || !ISO_DATE_TIME.test(frozenAt) || Number.isNaN(Date.parse(frozenAt)))
  )
    problems.push('clock.frozenAt must be an ISO-8601 date-time (2030-01-01T00:00:00Z) or null');
  else if (frozenAt !== null && !withinClockRange(new Date(frozenAt)))
    problems.push(`clock.frozenAt must be within ${CLOCK_RANGE}`);
  return problems;
}
