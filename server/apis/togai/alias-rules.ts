/**
 * Alias rules: a value names one account at a time (no two records of a value overlap, across the tenant's
 * accounts), and an account holds at most 10 aliases that have not ended.
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

const periodOf = (r: { effectiveFrom: string; effectiveUntil: string }) => ({ from: r.effectiveFrom, until: r.effectiveUntil });

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
    if (request.value.length < 3) throw new AliasError(`Alias ${request.value} is too short: aliases have 3 to 50 characters`);
    const candidate = { value: request.value, effectiveFrom: request.from ?? BEGINNING, effectiveUntil: request.until ?? FOREVER };
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
  const live = records.filter((r) => r.accountId === accountId && r.effectiveUntil > now).length;
  const adding = planned.filter((p) => p.effectiveUntil > now).length;
  if (live + adding > MAX_ALIASES)
    throw new AliasError(`An account can have at most ${MAX_ALIASES} aliases; account ${accountId} has ${live} and ${adding} more were given`);
  return planned;
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
