/**
 * Handlers of /api/billing/{organization}/checkout/: what the caller's cart would cost {organization}, and the order
 * itself (subscriptions, order lines in the ledger, one charge on a card).
 */
import { ApiError } from '../../../core/plugin.ts';
import { detail, fieldErrors } from '../model/errors.ts';
import { renderTransaction, type TransactionRecord } from '../model/ledger.ts';
import { subscribe } from '../model/optins.ts';
import { cardOf, CARD_DECLINED, chargeCard, postOrderLine, renderCharge, type Card } from '../model/payments.ts';
import { isoInstant } from '../model/periods.ts';
import { requireProfileAccess } from '../model/permissions.ts';
import {
  couponApplies,
  couponDiscount,
  lineDescription,
  periodsEnd,
  priceOption,
  priceOptions,
  type PriceOption,
} from '../model/pricing.ts';
import { fillEmptyAddress, newProfileRecord, profileOr404 } from '../model/profiles-store.ts';
import { cartOf } from '../model/cart-store.ts';
import { isCurrent } from '../model/renewals.ts';
import { renderSubscription } from '../model/render.ts';
import type {
  CartItemRecord,
  CouponRecord,
  DjaoappState,
  PlanRecord,
  ProfileRecord,
  SubscriptionRecord,
} from '../state.ts';
import { sameEmail, slugify, uniqueSlug } from '../model/values.ts';
import type { Ctx, Reply } from '../model/context.ts';

export const OPTIONS_TO_CHOOSE = 'Cannot checkout when there are still options to choose from.';

/** One cart item as checkout bills it. */
interface Invoiceable {
  item: CartItemRecord;
  plan: PlanRecord;
  /** Who is subscribed: the payer, or a GroupBuy item's person (`isNewProfile` when checkout creates their profile). */
  subscriber: ProfileRecord;
  isNewProfile: boolean;
  /** The current subscription the item extends, or the one it would create (not in the state). */
  subscription: SubscriptionRecord;
  isNew: boolean;
  /** When the periods bought start: now for a new subscription, the current one's end otherwise. */
  start: Date;
  options: PriceOption[];
  /** The option chosen (the only way to pay when the plan has no advance discounts), or null. */
  chosen: PriceOption | null;
  coupon: CouponRecord | null;
}

/** The order line an option would write, before it is posted (id 0). */
interface Line {
  amount: number;
  start: string;
  end: string;
  descr: string;
}

/** A GroupBuy item's person: the profile with their e-mail address, or a new organization profile named after them. */
function groupBuySubscriber(
  state: DjaoappState,
  item: CartItemRecord,
  now: Date,
): { profile: ProfileRecord; isNew: boolean } {
  const existing = state.profiles.find((p) => sameEmail(p.email, item.email!));
  if (existing) return { profile: existing, isNew: false };
  const base = slugify(item.full_name || item.email!.split('@')[0]!);
  const slug = uniqueSlug(
    base,
    (s) => state.profiles.some((p) => p.slug === s) || state.users.some((u) => u.slug === s),
  );
  return {
    profile: newProfileRecord(state, slug, { full_name: item.full_name ?? slug, email: item.email! }, item.email!, now),
    isNew: true,
  };
}

/** Which option a 1-based choice picks (an out-of-range or missing choice picks none). */
function choose(options: PriceOption[], single: PriceOption, option: number | null): PriceOption | null {
  if (!options.length) return single;
  return option !== null && option >= 1 && option <= options.length ? options[option - 1]! : null;
}

function invoiceable(state: DjaoappState, payer: ProfileRecord, item: CartItemRecord, now: Date): Invoiceable {
  const plan = state.plans.find((p) => p.slug === item.plan)!;
  const { profile: subscriber, isNew: isNewProfile } = item.email
    ? groupBuySubscriber(state, item, now)
    : { profile: payer, isNew: false };
  const current = state.subscriptions
    .filter((s) => s.organization === subscriber.slug && s.plan === plan.slug && isCurrent(s, now))
    .sort((a, b) => Date.parse(a.ends_at) - Date.parse(b.ends_at))[0];
  const start = current ? new Date(current.ends_at) : now;
  const subscription: SubscriptionRecord = current ?? {
    id: 0,
    organization: subscriber.slug,
    plan: plan.slug,
    created_at: now.toISOString(),
    ends_at: isoInstant(periodsEnd(plan, now, 1)),
    auto_renew: plan.renewal_type !== 'one-time',
    description: null,
    extra: null,
    grant_key: null,
    request_key: null,
  };
  const options = priceOptions(plan, !current);
  const coupon = item.coupon
    ? (state.coupons.find((c) => c.code === item.coupon && couponApplies(c, plan, now)) ?? null)
    : null;
  return {
    item,
    plan,
    subscriber,
    isNewProfile,
    subscription,
    isNew: !current,
    start,
    options,
    chosen: choose(options, priceOption(plan, 1, null, !current), item.option),
    coupon,
  };
}

/** The order line of an option: its periods from the start, the coupon taken off. */
function lineOf(inv: Invoiceable, option: PriceOption): Line {
  const end = periodsEnd(inv.plan, inv.start, option.periods);
  const off = inv.coupon ? couponDiscount(inv.coupon, option.amount, option.periods, inv.plan.period_amount) : 0;
  return {
    amount: option.amount - off,
    start: isoInstant(inv.start),
    end: isoInstant(end),
    descr: lineDescription(inv.plan, end, option, {
      coupon: inv.coupon,
      setup: inv.isNew && inv.plan.setup_amount > 0,
    }),
  };
}

/** A line not yet in the ledger, as the billing lists would show it from the payer's side. */
function renderLine(inv: Invoiceable, payer: string, line: Line, now: Date) {
  const tx: TransactionRecord = {
    id: 0,
    created_at: now.toISOString(),
    descr: line.descr,
    event_id: null,
    orig_organization: inv.plan.organization,
    orig_account: 'Receivable',
    orig_amount: line.amount,
    orig_unit: inv.plan.unit,
    dest_organization: payer,
    dest_account: 'Payable',
    dest_amount: line.amount,
    dest_unit: inv.plan.unit,
  };
  return renderTransaction(tx, payer);
}

function payerFor(ctx: Ctx & { params: { organization: string } }): ProfileRecord {
  requireProfileAccess(ctx.state, ctx.principal, ctx.params.organization, 'manage');
  return profileOr404(ctx.state, ctx.params.organization);
}

export function checkout_retrieve(ctx: Ctx<'checkout_retrieve'>): Reply<'checkout_retrieve'> {
  const payer = payerFor(ctx);
  const now = ctx.now();
  const { state } = ctx;
  const card = cardOf(state, payer.slug);
  const results = cartOf(state, ctx.principal.user!.slug).map((item) => {
    const inv = invoiceable(state, payer, item, now);
    return {
      subscription: renderSubscription(state, inv.subscription, false, ctx.request.baseUrl, inv.subscriber),
      lines: inv.chosen ? [renderLine(inv, payer.slug, lineOf(inv, inv.chosen), now)] : [],
      options: inv.chosen ? [] : inv.options.map((o) => renderLine(inv, payer.slug, lineOf(inv, o), now)),
    };
  });
  return {
    status: 200,
    body: {
      processor_info: {
        slug: state.processor.slug,
        card: card ? { last4: card.last4, exp_date: card.exp_date, card_name: card.card_name } : null,
      },
      results,
    },
  };
}

export function checkout_create(ctx: Ctx<'checkout_create'>): Reply<'checkout_create'> {
  const payer = payerFor(ctx);
  const now = ctx.now();
  const { state } = ctx;
  const input = ctx.body ?? {};
  const cart = cartOf(state, ctx.principal.user!.slug);
  if (!cart.length) throw detail(400, 'There is nothing in your cart to checkout.');

  const invoiceables = cart.map((item) => invoiceable(state, payer, item, now));
  const optionErrors: Array<Record<string, string[]>> = [];
  invoiceables.forEach((inv, i) => {
    const option = input.items?.[i]?.option;
    optionErrors.push({});
    if (!option) return;
    const count = Math.max(1, inv.options.length);
    if (option > count) optionErrors[i] = { option: [`Choose an option between 1 and ${count}.`] };
    else if (inv.options.length) inv.chosen = inv.options[option - 1]!;
  });
  if (optionErrors.some((e) => Object.keys(e).length)) throw new ApiError(400, { items: optionErrors });
  if (invoiceables.some((inv) => !inv.chosen)) throw detail(400, OPTIONS_TO_CHOOSE);

  const lines = invoiceables.map((inv) => lineOf(inv, inv.chosen!));
  // A subscription the provider must first accept is ordered but not charged.
  const charged = invoiceables.map((inv, i) => !inv.plan.optin_on_request && lines[i]!.amount > 0);
  let card: Card | undefined = cardOf(state, payer.slug);
  if (input.processor_token !== undefined) {
    const token = state.processor.tokens.find((t) => t.token === input.processor_token);
    if (!token) throw fieldErrors({ processor_token: [`No such token: '${input.processor_token}'.`] });
    card = {
      token: token.token,
      last4: token.last4,
      exp_date: token.exp_date,
      card_name: input.full_name ?? payer.full_name,
    };
  }
  if (charged.some(Boolean) && !card)
    throw fieldErrors({ processor_token: ['A processor token is required: no card is on file.'] });

  const lineIds: number[] = [];
  invoiceables.forEach((inv, i) => {
    const line = lines[i]!;
    // Two GroupBuy items for the same new person make one profile: the first item's.
    const found = inv.isNewProfile
      ? groupBuySubscriber(state, inv.item, now)
      : { profile: inv.subscriber, isNew: false };
    if (found.isNew) state.profiles.push(found.profile);
    const subscription = inv.isNew
      ? subscribe(state, found.profile.slug, inv.plan, now, 'subscriber').subscription
      : inv.subscription;
    subscription.ends_at = line.end;
    const posted = postOrderLine(state, now, {
      provider: inv.plan.organization,
      subscriber: payer.slug,
      subscription: subscription.id,
      start: line.start,
      end: line.end,
      amount: line.amount,
      unit: inv.plan.unit,
      descr: line.descr,
    });
    if (charged[i]) lineIds.push(posted.id);
    inv.item.recorded_at = now.toISOString();
    inv.item.option = inv.options.length ? inv.options.indexOf(inv.chosen!) + 1 : 1;
    inv.item.coupon = inv.coupon?.code ?? null;
    if (inv.coupon && inv.coupon.nb_attempts !== null) inv.coupon.nb_attempts = Math.max(0, inv.coupon.nb_attempts - 1);
  });
  fillEmptyAddress(payer, input);
  if (input.remember_card && input.processor_token !== undefined && card) {
    state.cards = state.cards.filter((c) => c.organization !== payer.slug);
    state.cards.push({ organization: payer.slug, ...card });
  }
  if (!lineIds.length) return { status: 200, body: { detail: 'Your order is placed: there is nothing to charge.' } };
  const charge = chargeCard(state, now, payer.slug, lineIds, card!);
  if (charge.state === 'failed') {
    // The order stands (a balance is due): keep what was written although the answer is a 400.
    ctx.changed();
    return { status: 400, body: { detail: CARD_DECLINED } };
  }
  return { status: 200, body: renderCharge(charge) };
}
