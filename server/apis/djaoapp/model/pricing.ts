/**
 * What an order costs, in integer cents: the periods a cart item buys (one, or an advance discount's `length`
 * prepaid), the advance discount on them, the coupon redeemed on the item, and how the order line describes it.
 * Plain functions of plans and coupons; checkout and renewals turn them into ledger lines.
 */
import { addPeriods } from './periods.ts';
import type { AdvanceDiscountRecord, CouponRecord, Interval, PlanRecord } from '../state.ts';

/** Hundredths of a percent in a whole: 10000 = 100%. */
const WHOLE = 10_000;

type Priced = Pick<PlanRecord, 'period_amount' | 'setup_amount' | 'period_type' | 'period_length'>;

/** A way to pay for a plan at checkout: `periods` periods for `amount` cents (an advance discount, if any, applied). */
export interface PriceOption {
  periods: number;
  amount: number;
  discount: AdvanceDiscountRecord | null;
}

/** The price of `periods` periods with an advance discount taken off (never below zero). */
export function discountedAmount(
  periodAmount: number,
  periods: number,
  discount: AdvanceDiscountRecord | null,
): number {
  const full = periodAmount * periods;
  if (!discount) return full;
  switch (discount.discount_type) {
    case 'percentage':
      return Math.max(0, Math.round((full * (WHOLE - discount.discount_value)) / WHOLE));
    case 'currency':
      return Math.max(0, full - discount.discount_value);
    case 'period':
      return Math.max(0, periods - discount.discount_value) * periodAmount;
  }
}

/**
 * The options checkout offers for a plan: none when it has no advance discounts (one period at the full price is the
 * only way), else one period at the full price followed by each advance discount (its `length` periods prepaid). A
 * new subscription also pays the plan's one-time setup amount, on whichever option is chosen.
 */
export function priceOptions(plan: Priced & Pick<PlanRecord, 'advance_discounts'>, isNew: boolean): PriceOption[] {
  if (!plan.advance_discounts.length) return [];
  return [null, ...plan.advance_discounts].map((discount) => priceOption(plan, discount?.length ?? 1, discount, isNew));
}

export function priceOption(
  plan: Priced,
  periods: number,
  discount: AdvanceDiscountRecord | null,
  isNew: boolean,
): PriceOption {
  const setup = isNew ? plan.setup_amount : 0;
  return { periods, amount: discountedAmount(plan.period_amount, periods, discount) + setup, discount };
}

/** What a coupon takes off an order line of `periods` periods costing `amount` (never more than the line). */
export function couponDiscount(
  coupon: Pick<CouponRecord, 'discount_type' | 'discount_value'>,
  amount: number,
  periods: number,
  periodAmount: number,
): number {
  switch (coupon.discount_type) {
    case 'percentage':
      return Math.min(amount, Math.round((amount * coupon.discount_value) / WHOLE));
    case 'currency':
      return Math.min(amount, coupon.discount_value);
    case 'period':
      return Math.min(amount, Math.min(periods, coupon.discount_value) * periodAmount);
  }
}

/** Can the coupon be redeemed at `now` on an item of `plan`? Active, not past ends_at, attempts left, right plan. */
export function couponApplies(
  coupon: CouponRecord,
  plan: Pick<PlanRecord, 'slug' | 'organization'>,
  now: Date,
): boolean {
  return (
    coupon.is_active &&
    coupon.organization === plan.organization &&
    (coupon.plan === null || coupon.plan === plan.slug) &&
    (coupon.ends_at === null || Date.parse(coupon.ends_at) > now.getTime()) &&
    (coupon.nb_attempts === null || coupon.nb_attempts > 0)
  );
}

const UNITS: Record<Interval, string> = {
  hourly: 'hour',
  daily: 'day',
  weekly: 'week',
  monthly: 'month',
  yearly: 'year',
};

/** "1 month", "3 months", "2 years": how long `periods` periods of the plan last. */
export function periodsLabel(plan: Pick<PlanRecord, 'period_type' | 'period_length'>, periods: number): string {
  const n = periods * plan.period_length;
  const unit = UNITS[plan.period_type];
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

/** How a discount reads in a line's description: "10% off", "$5.00 off", "1 period free". */
export function discountLabel(
  discount: Pick<AdvanceDiscountRecord, 'discount_type' | 'discount_value'>,
  unit: string,
): string {
  switch (discount.discount_type) {
    case 'percentage':
      return `${discount.discount_value / 100}% off`;
    case 'currency':
      return `${(discount.discount_value / 100).toFixed(2)} ${unit} off`;
    case 'period':
      return `${discount.discount_value} period${discount.discount_value === 1 ? '' : 's'} free`;
  }
}

/** The end of `periods` periods of the plan from `start`. */
export function periodsEnd(
  plan: Pick<PlanRecord, 'period_type' | 'period_length'>,
  start: Date,
  periods: number,
): Date {
  return addPeriods(start, plan.period_type, plan.period_length, periods);
}

/** "2016/11/21": the date an order line's description gives. */
export function slashDate(date: Date): string {
  return date.toISOString().slice(0, 10).replace(/-/g, '/');
}

/**
 * An order line's description: "Subscription to basic until 2016/11/21 (1 month)", with what was taken off
 * ("(3 months, 10% off)", "coupon DIS50: 50% off") and a setup fee when one is included.
 */
export function lineDescription(
  plan: Pick<PlanRecord, 'slug' | 'period_type' | 'period_length' | 'unit'>,
  end: Date,
  option: Pick<PriceOption, 'periods' | 'discount'>,
  extras: { coupon?: Pick<CouponRecord, 'code' | 'discount_type' | 'discount_value'> | null; setup?: boolean } = {},
): string {
  const advance = option.discount ? `, ${discountLabel(option.discount, plan.unit)}` : '';
  let text = `Subscription to ${plan.slug} until ${slashDate(end)} (${periodsLabel(plan, option.periods)}${advance})`;
  if (extras.setup) text += ' and its one-time setup';
  if (extras.coupon) text += `, coupon ${extras.coupon.code}: ${discountLabel(extras.coupon, plan.unit)}`;
  return text;
}
