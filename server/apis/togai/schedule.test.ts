import { describe, expect, it } from 'vitest';
import { applyEdit, applyEdits, ScheduleError, type ScheduleEdit } from './schedule.ts';
import type { PricePlan, ScheduleSegment } from './state.ts';

const plan = (id: string, interval: string, type: 'BILLING' | 'PURCHASE' = 'BILLING'): PricePlan => ({
  id,
  name: id,
  version: 1,
  details: {
    type,
    supportedCurrencies: ['USD'],
    activeCurrencies: ['USD'],
    pricingCycleConfig: { interval, gracePeriod: 1 },
  },
});
const plans = {
  m1: plan('m1', 'MONTHLY'),
  m2: plan('m2', 'MONTHLY'),
  y1: plan('y1', 'ANNUALLY'),
  p1: plan('p1', 'MONTHLY', 'PURCHASE'),
};
let n = 0;
const ids = { schedule: () => `sch.${++n}`, rule: () => `rule.${++n}` };
const seg = (pricePlanId: string, from: string, until: string, id = `s-${from}`): ScheduleSegment => ({
  id,
  pricePlanId,
  startDate: `${from}T00:00:00.000Z`,
  endDate: `${until}T00:00:00.000Z`,
  version: 1,
});
const shape = (segments: ScheduleSegment[]) =>
  segments.map((s) => [s.pricePlanId, s.startDate.slice(0, 10), s.endDate.slice(0, 10)]);

describe('applyEdit', () => {
  it('associates a plan on an empty schedule', () => {
    expect(
      shape(
        applyEdit([], { pricePlanId: 'm1', effectiveFrom: '2030-01-01', effectiveUntil: '2031-01-01' }, plans, ids),
      ),
    ).toEqual([['m1', '2030-01-01', '2031-01-01']]);
  });

  it("splits a segment around a new plan of the same interval, keeping the first part's id", () => {
    const result = applyEdit(
      [seg('m1', '2030-01-01', '2032-01-01', 'keep')],
      { pricePlanId: 'm2', effectiveFrom: '2030-06-01', effectiveUntil: '2031-01-01' },
      plans,
      ids,
    );
    expect(shape(result)).toEqual([
      ['m1', '2030-01-01', '2030-06-01'],
      ['m2', '2030-06-01', '2031-01-01'],
      ['m1', '2031-01-01', '2032-01-01'],
    ]);
    expect(result[0]!.id).toBe('keep');
    expect(result[2]!.id).not.toBe('keep');
  });

  it('replaces a segment wholly covered, whatever its interval', () => {
    expect(
      shape(
        applyEdit(
          [seg('m1', '2030-01-01', '2030-02-01')],
          { pricePlanId: 'y1', effectiveFrom: '2030-01-01', effectiveUntil: '2031-01-01' },
          plans,
          ids,
        ),
      ),
    ).toEqual([['y1', '2030-01-01', '2031-01-01']]);
  });

  it('refuses a different pricing interval mid-segment', () => {
    expect(() =>
      applyEdit(
        [seg('m1', '2030-01-01', '2032-01-01')],
        { pricePlanId: 'y1', effectiveFrom: '2030-06-01', effectiveUntil: '2031-01-01' },
        plans,
        ids,
      ),
    ).toThrow(/interval/);
  });

  it('judges the interval after an override of the pricing cycle', () => {
    const edit = {
      pricePlanId: 'y1',
      effectiveFrom: '2030-06-01',
      effectiveUntil: '2031-01-01',
      pricePlanDetailsOverride: { pricingCycleConfig: { interval: 'MONTHLY', gracePeriod: 1 } },
    };
    expect(shape(applyEdit([seg('m1', '2030-01-01', '2032-01-01')], edit, plans, ids))).toHaveLength(3);
  });

  it('disassociates part of a segment and refuses to disassociate where nothing is scheduled', () => {
    expect(
      shape(
        applyEdit(
          [seg('m1', '2030-01-01', '2031-01-01')],
          { mode: 'DISASSOCIATE', effectiveFrom: '2030-03-01', effectiveUntil: '2030-04-01' },
          plans,
          ids,
        ),
      ),
    ).toEqual([
      ['m1', '2030-01-01', '2030-03-01'],
      ['m1', '2030-04-01', '2031-01-01'],
    ]);
    expect(() =>
      applyEdit(
        [seg('m1', '2030-01-01', '2031-01-01')],
        { mode: 'DISASSOCIATE', effectiveFrom: '2031-01-01', effectiveUntil: '2031-02-01' },
        plans,
        ids,
      ),
    ).toThrow(ScheduleError);
  });

  it.each<[string, ScheduleEdit, RegExp]>([
    ['a missing plan id', { effectiveFrom: '2030-01-01', effectiveUntil: '2031-01-01' }, /pricePlanId is required/],
    [
      'an unknown plan',
      { pricePlanId: 'nope', effectiveFrom: '2030-01-01', effectiveUntil: '2031-01-01' },
      /does not exist/,
    ],
    [
      'a purchase plan',
      { pricePlanId: 'p1', effectiveFrom: '2030-01-01', effectiveUntil: '2031-01-01' },
      /purchase plan/,
    ],
    ['an empty range', { pricePlanId: 'm1', effectiveFrom: '2030-01-01', effectiveUntil: '2030-01-01' }, /after/],
    [
      'retained offsets without an ongoing plan',
      { pricePlanId: 'm1', effectiveFrom: '2030-01-01', effectiveUntil: '2031-01-01', retainStartOffsets: true },
      /start offsets/,
    ],
    [
      'a pricing rule ordered 0',
      {
        pricePlanId: 'm1',
        effectiveFrom: '2030-01-01',
        effectiveUntil: '2031-01-01',
        pricingRulesOverride: [{ name: 'r', order: 0, computation: 'x', action: { type: 'ADD' } }],
      },
      /order/,
    ],
  ])('refuses %s', (_, edit, message) => {
    expect(() => applyEdit([], edit, plans, ids)).toThrow(message);
  });

  it('applies edits in order and stops at the first refusal', () => {
    const edits = [
      { pricePlanId: 'm1', effectiveFrom: '2030-07-04', effectiveUntil: '2030-10-04' },
      { mode: 'DISASSOCIATE' as const, effectiveFrom: '2030-08-04', effectiveUntil: '2030-09-04' },
    ];
    expect(shape(applyEdits([], edits, plans, ids))).toEqual([
      ['m1', '2030-07-04', '2030-08-04'],
      ['m1', '2030-09-04', '2030-10-04'],
    ]);
    expect(() =>
      applyEdits(
        [],
        [...edits, { mode: 'DISASSOCIATE', effectiveFrom: '2040-01-01', effectiveUntil: '2040-02-01' }],
        plans,
        ids,
      ),
    ).toThrow(ScheduleError);
  });
});
