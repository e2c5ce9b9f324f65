/** Checkout pricing, called directly: periods bought, advance discounts, coupons, order line descriptions. */
import { describe, expect, it } from 'vitest';
import {
  couponApplies,
  couponDiscount,
  discountedAmount,
  lineDescription,
  periodsLabel,
  priceOptions,
} from './pricing.ts';
import type { CouponRecord, PlanRecord } from '../state.ts';

const basic = {
  slug: 'basic',
  organization: 'cowork',
  period_amount: 2000,
  setup_amount: 0,
  period_type: 'monthly',
  period_length: 1,
  unit: 'usd',
  advance_discounts: [],
} as Pick<
  PlanRecord,
  | 'slug'
  | 'organization'
  | 'period_amount'
  | 'setup_amount'
  | 'period_type'
  | 'period_length'
  | 'unit'
  | 'advance_discounts'
>;

const coupon = (fields: Partial<CouponRecord>): CouponRecord => ({
  code: 'C',
  organization: 'cowork',
  discount_type: 'percentage',
  discount_value: 1000,
  created_at: '2014-01-01T09:00:00Z',
  ends_at: null,
  description: null,
  nb_attempts: null,
  plan: null,
  is_active: true,
  ...fields,
});

describe('advance discounts', () => {
  it('percentage is in hundredths of a percent, currency in cents, period in free periods; never below zero', () => {
    expect(discountedAmount(2000, 1, null)).toBe(2000);
    expect(discountedAmount(2000, 12, { discount_type: 'percentage', discount_value: 1000, length: 12 })).toBe(21600);
    expect(discountedAmount(1999, 3, { discount_type: 'percentage', discount_value: 3333, length: 3 })).toBe(3998);
    expect(discountedAmount(2000, 3, { discount_type: 'currency', discount_value: 500, length: 3 })).toBe(5500);
    expect(discountedAmount(2000, 3, { discount_type: 'currency', discount_value: 9000, length: 3 })).toBe(0);
    expect(discountedAmount(2000, 12, { discount_type: 'period', discount_value: 2, length: 12 })).toBe(20000);
  });

  it('a plan without advance discounts offers no options; with some, one period at full price comes first', () => {
    expect(priceOptions(basic, true)).toEqual([]);
    const yearly = { discount_type: 'percentage' as const, discount_value: 1500, length: 12 };
    const plan = { ...basic, setup_amount: 500, advance_discounts: [yearly] };
    expect(priceOptions(plan, false)).toEqual([
      { periods: 1, amount: 2000, discount: null },
      { periods: 12, amount: 20400, discount: yearly },
    ]);
    expect(priceOptions(plan, true).map((o) => o.amount)).toEqual([2500, 20900]);
  });
});

describe('coupons', () => {
  it('take a percentage, cents or free periods off a line, never more than the line', () => {
    expect(couponDiscount(coupon({ discount_value: 5000 }), 2000, 1, 2000)).toBe(1000);
    expect(couponDiscount(coupon({ discount_value: 10000 }), 2000, 1, 2000)).toBe(2000);
    expect(couponDiscount(coupon({ discount_type: 'currency', discount_value: 300 }), 2000, 1, 2000)).toBe(300);
    expect(couponDiscount(coupon({ discount_type: 'currency', discount_value: 3000 }), 2000, 1, 2000)).toBe(2000);
    expect(couponDiscount(coupon({ discount_type: 'period', discount_value: 1 }), 21600, 12, 2000)).toBe(2000);
    expect(couponDiscount(coupon({ discount_type: 'period', discount_value: 3 }), 2000, 1, 2000)).toBe(2000);
  });

  it("apply to the provider's plans while active, before ends_at, with attempts left, on the plan they name", () => {
    const now = new Date('2020-01-01T00:00:00Z');
    expect(couponApplies(coupon({}), basic, now)).toBe(true);
    expect(couponApplies(coupon({ organization: 'other' }), basic, now)).toBe(false);
    expect(couponApplies(coupon({ is_active: false }), basic, now)).toBe(false);
    expect(couponApplies(coupon({ ends_at: '2020-01-01T00:00:00Z' }), basic, now)).toBe(false);
    expect(couponApplies(coupon({ ends_at: '2020-01-01T00:00:01Z' }), basic, now)).toBe(true);
    expect(couponApplies(coupon({ nb_attempts: 0 }), basic, now)).toBe(false);
    expect(couponApplies(coupon({ nb_attempts: 1 }), basic, now)).toBe(true);
    expect(couponApplies(coupon({ plan: 'premium' }), basic, now)).toBe(false);
    expect(couponApplies(coupon({ plan: 'basic' }), basic, now)).toBe(true);
  });
});

describe('order line descriptions', () => {
  it('say what is bought until when, and what was taken off', () => {
    const end = new Date('2016-11-21T23:24:09Z');
    expect(lineDescription(basic, end, { periods: 1, discount: null })).toBe(
      'Subscription to basic until 2016/11/21 (1 month)',
    );
    expect(
      lineDescription(basic, end, {
        periods: 12,
        discount: { discount_type: 'percentage', discount_value: 1500, length: 12 },
      }),
    ).toBe('Subscription to basic until 2016/11/21 (12 months, 15% off)');
    expect(
      lineDescription(
        basic,
        end,
        { periods: 1, discount: null },
        { coupon: coupon({ code: 'DIS50', discount_value: 5000 }), setup: true },
      ),
    ).toBe('Subscription to basic until 2016/11/21 (1 month) and its one-time setup, coupon DIS50: 50% off');
    expect(periodsLabel({ period_type: 'yearly', period_length: 1 }, 2)).toBe('2 years');
    expect(periodsLabel({ period_type: 'weekly', period_length: 2 }, 1)).toBe('2 weeks');
  });
});
