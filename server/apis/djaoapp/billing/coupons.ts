/** Handlers of /api/billing/{organization}/coupons/: a provider's discount codes. */
import { bodyInstant } from '../model/dates.ts';
import { fieldErrors, notFound } from '../model/errors.ts';
import { inDateRange, matchesSearch, order, paginate, searchTerms } from '../model/lists.ts';
import { isoInstant } from '../model/periods.ts';
import { requireProfileAccess } from '../model/permissions.ts';
import { profileOr404 } from '../model/profiles-store.ts';
import type { CouponRecord, DjaoappState, ProfileRecord } from '../state.ts';
import type { Ctx, Reply } from '../model/context.ts';

const SEARCH_FIELDS = ['code', 'description'];
const ORDER_FIELDS = ['code', 'discount_type', 'discount_value', 'created_at', 'ends_at', 'nb_attempts'];

function providerFor(ctx: Ctx & { params: { organization: string } }): ProfileRecord {
  requireProfileAccess(ctx.state, ctx.principal, ctx.params.organization, 'manage');
  return profileOr404(ctx.state, ctx.params.organization);
}

/** The provider's coupons still in use (deleted ones kept for their metrics are inactive). */
const couponsOf = (state: DjaoappState, provider: string) =>
  state.coupons.filter((c) => c.organization === provider && c.is_active);

function couponOr404(ctx: Ctx & { params: { coupon: string } }, provider: string): CouponRecord {
  const coupon = couponsOf(ctx.state, provider).find((c) => c.code === ctx.params.coupon);
  if (!coupon) throw notFound();
  return coupon;
}

/** A coupon; `amount` repeats discount_value, as the seed's examples name it. */
export const renderCoupon = (c: CouponRecord) => ({
  code: c.code,
  discount_type: c.discount_type,
  discount_value: c.discount_value,
  amount: c.discount_value,
  created_at: c.created_at,
  ends_at: c.ends_at,
  description: c.description,
  nb_attempts: c.nb_attempts,
  plan: c.plan,
});

export function coupons_list(ctx: Ctx<'coupons_list'>): Reply<'coupons_list'> {
  const provider = providerFor(ctx);
  const terms = searchTerms(ctx.query.q);
  const found = couponsOf(ctx.state, provider.slug).filter(
    (c) =>
      matchesSearch(c as unknown as Record<string, unknown>, SEARCH_FIELDS, terms, ctx.query.q_f) &&
      inDateRange(c.created_at, ctx.query.start_at, ctx.query.ends_at, ctx.now()),
  );
  const sorted = order(found, ctx.query.o, ctx.query.ot, ORDER_FIELDS, ['created_at', 'code']);
  const page = paginate(sorted, ctx.request, ctx.query.page, ctx.query.page_size);
  return { status: 200, body: { ...page, results: page.results.map(renderCoupon) } };
}

export function coupons_retrieve(ctx: Ctx<'coupons_retrieve'>): Reply<'coupons_retrieve'> {
  return { status: 200, body: renderCoupon(couponOr404(ctx, providerFor(ctx).slug)) };
}

interface CouponWrite {
  discount_type: CouponRecord['discount_type'];
  discount_value?: number;
  amount?: number;
  ends_at?: string | null;
  description?: string | null;
  nb_attempts?: number | null;
  plan?: string | null;
}

/** The field errors of a coupon update (empty when valid). */
export function couponWriteErrors(
  state: DjaoappState,
  provider: string,
  input: CouponWrite,
  current: number,
): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  if (input.discount_value !== undefined && input.amount !== undefined && input.discount_value !== input.amount)
    errors.amount = [
      `amount (${input.amount}) and discount_value (${input.discount_value}) disagree: give one of them.`,
    ];
  const value = input.discount_value ?? input.amount ?? current;
  if (input.discount_type === 'percentage' && value > 10000)
    errors.discount_value = ['A percentage is in hundredths of a percent: at most 10000 (100%).'];
  if (input.plan != null && !state.plans.some((p) => p.slug === input.plan && p.organization === provider))
    errors.plan = [`Plan '${input.plan}' is not one of this provider's plans.`];
  return errors;
}

export function coupons_update(ctx: Ctx<'coupons_update'>): Reply<'coupons_update'> {
  const provider = providerFor(ctx);
  const coupon = couponOr404(ctx, provider.slug);
  const input = ctx.body;
  const endsAt = input.ends_at ? isoInstant(bodyInstant('ends_at', input.ends_at)) : input.ends_at;
  const errors = couponWriteErrors(ctx.state, provider.slug, input, coupon.discount_value);
  if (Object.keys(errors).length) throw fieldErrors(errors);
  coupon.discount_type = input.discount_type;
  coupon.discount_value = input.discount_value ?? input.amount ?? coupon.discount_value;
  if (endsAt !== undefined) coupon.ends_at = endsAt;
  if (input.description !== undefined) coupon.description = input.description;
  if (input.nb_attempts !== undefined) coupon.nb_attempts = input.nb_attempts;
  if (input.plan !== undefined) coupon.plan = input.plan;
  return { status: 200, body: renderCoupon(coupon) };
}

/** A coupon an order used stays, inactive, for its metrics; carts that redeemed it lose the discount. */
export function coupons_destroy(ctx: Ctx<'coupons_destroy'>): Reply<'coupons_destroy'> {
  const provider = providerFor(ctx);
  const { state } = ctx;
  const coupon = couponOr404(ctx, provider.slug);
  const onProvidersPlan = (plan: string) =>
    state.plans.some((p) => p.slug === plan && p.organization === provider.slug);
  const items = state.cart_items.filter((i) => i.coupon === coupon.code && onProvidersPlan(i.plan));
  for (const item of items) if (item.recorded_at === null) item.coupon = null;
  if (items.some((i) => i.recorded_at !== null)) coupon.is_active = false;
  else state.coupons = state.coupons.filter((c) => c !== coupon);
  return { status: 204 };
}
