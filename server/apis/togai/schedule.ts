/**
 * Pricing schedules: an account's plans over time, as half-open segments [startDate, endDate) in date order.
 * ASSOCIATE puts a plan on a date range (cutting what was there), DISASSOCIATE clears the range.
 */
import { copyOfState } from '../../core/sandbox/transaction.ts';
import { dayStart, overlaps, type Period } from './periods.ts';
import type { PricePlan, ScheduleSegment } from './state.ts';
import { entryOf } from '../../core/records.ts';

export class ScheduleError extends Error {}

export interface ScheduleEdit {
  mode?: 'ASSOCIATE' | 'DISASSOCIATE';
  pricePlanId?: string;
  effectiveFrom: string;
  effectiveUntil: string;
  pricePlanDetailsOverride?: Record<string, unknown>;
  pricingRulesOverride?: Array<Record<string, unknown> & { order: number }>;
  retainStartOffsets?: boolean;
}

export interface ScheduleIds {
  schedule(): string;
  rule(): string;
}

const period = (s: ScheduleSegment): Period => ({ from: s.startDate, until: s.endDate });

/** The pricing interval a segment bills in: its override's, else its plan's. */
export function intervalOf(plan: PricePlan | undefined, override?: Record<string, unknown>): string | undefined {
  return cycleInterval(override?.pricingCycleConfig) ?? plan?.details.pricingCycleConfig?.interval;
}

/** The interval of a free-form pricingCycleConfig, when it names one. */
function cycleInterval(config: unknown): string | undefined {
  if (typeof config !== 'object' || config === null || !('interval' in config)) return undefined;
  return typeof config.interval === 'string' ? config.interval : undefined;
}

/** Drops empty lists Togai would not write back (a fixed-fee list, for one, must hold at least one card). */
export function cleanOverride(override: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!override) return undefined;
  const copy = copyOfState(override);
  for (const [key, value] of Object.entries(copy)) if (Array.isArray(value) && value.length === 0) delete copy[key];
  return Object.keys(copy).length ? copy : undefined;
}

/** Applies one edit to a schedule and returns the new schedule; throws ScheduleError for edits Togai refuses. */
export function applyEdit(
  segments: ScheduleSegment[],
  edit: ScheduleEdit,
  plans: Record<string, PricePlan>,
  ids: ScheduleIds,
): ScheduleSegment[] {
  const mode = edit.mode ?? 'ASSOCIATE';
  const range: Period = { from: dayStart(edit.effectiveFrom), until: dayStart(edit.effectiveUntil) };
  if (range.until <= range.from)
    throw new ScheduleError(
      `effectiveUntil (${edit.effectiveUntil}) must be after effectiveFrom (${edit.effectiveFrom})`,
    );
  const overlapping = segments.filter((s) => overlaps(period(s), range));

  let added: ScheduleSegment | undefined;
  if (mode === 'ASSOCIATE') {
    if (!edit.pricePlanId) throw new ScheduleError('pricePlanId is required to associate a price plan');
    const plan = entryOf(plans, edit.pricePlanId);
    if (!plan) throw new ScheduleError(`Price plan ${edit.pricePlanId} does not exist`);
    if (plan.details.type === 'PURCHASE')
      throw new ScheduleError(`Price plan ${edit.pricePlanId} is a purchase plan and cannot be associated`);
    const ongoing = segments.find((s) => s.startDate < range.from && range.from < s.endDate);
    if (ongoing) {
      const before = intervalOf(entryOf(plans, ongoing.pricePlanId), ongoing.pricePlanDetailsOverride);
      const after = intervalOf(plan, edit.pricePlanDetailsOverride);
      if (before && after && before !== after)
        throw new ScheduleError(
          `Price plan ${plan.id} bills ${after} but the ongoing plan ${ongoing.pricePlanId} bills ${before}: plans with different pricing intervals cannot be switched mid-schedule`,
        );
    }
    if (edit.retainStartOffsets && !segments.some((s) => s.startDate <= range.from && range.from < s.endDate))
      throw new ScheduleError(`No ongoing price plan on ${edit.effectiveFrom}: there are no start offsets to retain`);
    const rules = edit.pricingRulesOverride?.map((rule) => {
      if (!(rule.order >= 1))
        throw new ScheduleError(`pricingRulesOverride order must be at least 1 (got ${rule.order})`);
      return { id: ids.rule(), version: 1, ...rule };
    });
    const override = cleanOverride(edit.pricePlanDetailsOverride);
    added = {
      id: ids.schedule(),
      pricePlanId: plan.id,
      startDate: range.from,
      endDate: range.until,
      version: 1,
      ...(override ? { pricePlanDetailsOverride: override } : {}),
      ...(rules?.length ? { pricingRulesOverride: rules } : {}),
    };
  } else if (!overlapping.length) {
    throw new ScheduleError(
      `No price plan is associated with the account between ${edit.effectiveFrom} and ${edit.effectiveUntil}`,
    );
  }

  const next: ScheduleSegment[] = [];
  for (const segment of segments) {
    if (!overlaps(period(segment), range)) {
      next.push(segment);
      continue;
    }
    if (segment.startDate < range.from) next.push({ ...segment, endDate: range.from, version: segment.version + 1 });
    if (range.until < segment.endDate)
      next.push({
        ...copyOfState(segment),
        id: segment.startDate < range.from ? ids.schedule() : segment.id,
        startDate: range.until,
        version: segment.version + 1,
      });
  }
  if (added) next.push(added);
  return next.sort((a, b) => (a.startDate < b.startDate ? -1 : a.startDate > b.startDate ? 1 : 0));
}

/** Applies edits in order, all or nothing. */
export function applyEdits(
  segments: ScheduleSegment[],
  edits: ScheduleEdit[],
  plans: Record<string, PricePlan>,
  ids: ScheduleIds,
): ScheduleSegment[] {
  return edits.reduce((current, edit) => applyEdit(current, edit, plans, ids), segments);
}
