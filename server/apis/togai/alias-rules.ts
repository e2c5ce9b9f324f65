/**
 * Alias rules: a value names one account at a time (no two records of a value overlap, across the tenant's
 * accounts), and an account holds at most 10 aliases at any instant (so it never shows more than 10).
 */
import { BEGINNING, FOREVER, contains, overlaps } from './periods.ts';
import type { AliasRecord } from './state.ts';

export const MAX_ALIASES = 10;

export class AliasError extends Error {}

export interface AliasRequest {
  value: string;
  /** canonical ISO instants; undefined = unbounded */
  from?: string;
  until?: string;
}

const periodOf = (r: { effectiveFrom: string; effectiveUntil: string }) => ({
  from: r.effectiveFrom,
  until: r.effectiveUntil,
});

/** Checks new aliases for an account against the tenant's records; returns them as [from, until) periods. */
export function checkNewAliases(
  records: AliasRecord[],
  accountId: string,
  requests: AliasRequest[],
  now: string,
): Array<{ value: string; effectiveFrom: string; effectiveUntil: string }> {
  const planned: Array<{ value: string; effectiveFrom: string; effectiveUntil: string }> = [];
  for (const request of requests) {
    // Togai takes 1-character values in accountAliases but lists aliases as 3 to 50 characters: keep to what it lists.
    if (request.value.length < 3)
      throw new AliasError(`Alias ${request.value} is too short: aliases have 3 to 50 characters`);
    const candidate = {
      value: request.value,
      effectiveFrom: request.from ?? BEGINNING,
      effectiveUntil: request.until ?? FOREVER,
    };
    if (candidate.effectiveUntil <= candidate.effectiveFrom)
      throw new AliasError(`Alias ${request.value}: effectiveUntil must be after effectiveFrom`);
    const clash = records.find((r) => r.value === candidate.value && overlaps(periodOf(r), periodOf(candidate)));
    if (clash)
      throw new AliasError(
        clash.accountId === accountId
          ? `Alias ${candidate.value} is already present on account ${accountId} for an overlapping period`
          : `Alias ${candidate.value} is already in use by another account for an overlapping period`,
      );
    if (planned.some((p) => p.value === candidate.value && overlaps(periodOf(p), periodOf(candidate))))
      throw new AliasError(`Alias ${candidate.value} is given twice for overlapping periods`);
    planned.push(candidate);
  }
  const mine = records.filter((r) => r.accountId === accountId);
  const peak = peakOverlap([...mine, ...planned].map(periodOf));
  if (peak > MAX_ALIASES) {
    const live = mine.filter((r) => r.effectiveUntil > now).length;
    throw new AliasError(
      `An account can have at most ${MAX_ALIASES} aliases at a time; account ${accountId} has ${live} and ${planned.length} more were given`,
    );
  }
  return planned;
}

/** The largest number of periods in effect at one instant (half-open periods: one ending where another starts do not meet). */
export function peakOverlap(periods: Array<{ from: string; until: string }>): number {
  const events = periods.flatMap((p) => [
    { at: p.from, delta: 1 },
    { at: p.until, delta: -1 },
  ]);
  events.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.delta - b.delta));
  let current = 0;
  let peak = 0;
  for (const e of events) peak = Math.max(peak, (current += e.delta));
  return peak;
}

/** The account's aliases in effect at an instant, in the order they were added. */
export function aliasesAt(records: AliasRecord[], accountId: string, instant: string): AliasRecord[] {
  return records.filter((r) => r.accountId === accountId && contains(periodOf(r), instant));
}

/**
 * Ends an alias at `at`: a record that has not started by then disappears, one that already ended is left
 * as is, otherwise its period is cut short. Returns the records after the change.
 */
export function endAlias(records: AliasRecord[], record: AliasRecord, at: string, now: string): AliasRecord[] {
  if (record.effectiveUntil <= at) return records;
  if (at <= record.effectiveFrom) return records.filter((r) => r !== record);
  return records.map((r) => (r === record ? { ...r, effectiveUntil: at, updatedAt: now } : r));
}
