/** The billing records behind the lifecycle: subscriptions, invoices and payments in the store. */
import { addMonths, cancel, fallbackFor, formatInstant, settle, trialEnd } from './lifecycle.ts';
import { priceSeats, prorate, seatMonthCents, taxPercentage, withTax } from './pricing.ts';
import type {
  Customer,
  Invoice,
  InvoiceLine,
  Organization,
  Plan,
  PricingPlan,
  Subscription,
  TogglState,
  Workspace,
} from './state.ts';

export function nextId(state: TogglState): number {
  return state.next_id++;
}

export interface PlanRef {
  plan: Plan;
  pricing: PricingPlan;
}

export function pricingPlan(state: TogglState, id: number | null | undefined): PlanRef | undefined {
  for (const plan of state.plans) {
    const pricing = plan.pricing_plans.find((p) => p.pricing_plan_id === id);
    if (pricing) return { plan, pricing };
  }
  return undefined;
}

export function pricingPlanByTag(state: TogglState, tag: string): PlanRef | undefined {
  for (const plan of state.plans) {
    const pricing = plan.pricing_plans.find((p) => p.price_point_handle === tag);
    if (pricing) return { plan, pricing };
  }
  return undefined;
}

export function freePlan(state: TogglState): PlanRef {
  const plan = state.plans.find((p) => p.free)!;
  return { plan, pricing: plan.pricing_plans[0]! };
}

export function customerOf(state: TogglState, org: Organization): Customer | undefined {
  return org.customer_id === null ? undefined : state.customers[String(org.customer_id)];
}

export function currencyCode(state: TogglState, currencyId: number): string | undefined {
  return state.currencies.find((c) => c.currency_id === currencyId)?.iso_code;
}

/** The currency an organization is billed in: its customer's, else US dollars. */
export function billingCurrency(state: TogglState, org: Organization): string {
  const customer = customerOf(state, org);
  return (customer && currencyCode(state, customer.currency_id)) ?? 'USD';
}

export function billingTax(state: TogglState, org: Organization): number {
  const contact = customerOf(state, org)?.contact_detail;
  return contact ? taxPercentage(state.countries[String(contact.country_id)], contact.vat_number) : 0;
}

export function currentSubscription(state: TogglState, org: Organization): Subscription | undefined {
  const sub = org.subscription_id === null ? undefined : state.subscriptions[String(org.subscription_id)];
  return sub && sub.status !== 'ended' ? sub : undefined;
}

/** The last subscription the organization had, running or not. */
export function latestSubscription(state: TogglState, org: Organization): Subscription | undefined {
  return Object.values(state.subscriptions)
    .filter((s) => s.organization_id === org.id)
    .sort((a, b) => b.created_at.localeCompare(a.created_at) || b.subscription_id - a.subscription_id)[0];
}

/** A trial is offered once, to the first organization its owner created, while nothing runs. */
export function trialAvailable(state: TogglState, org: Organization): boolean {
  if (org.trial_used || currentSubscription(state, org)) return false;
  const first = Object.values(state.organizations)
    .filter((o) => o.owner_id === org.owner_id)
    .sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id - b.id)[0];
  return first?.id === org.id;
}

function invoiceUid(id: number, at: string): string {
  return `TGL-${at.slice(0, 4)}-${String(id).padStart(6, '0')}`;
}

/** Issues an invoice for the lines and records the card payment that settles it at once. */
export function charge(
  state: TogglState,
  org: Organization,
  sub: Subscription,
  lines: InvoiceLine[],
  at: string,
): Invoice {
  const amount = lines.reduce((sum, l) => sum + l.amount_cents, 0);
  const totals = withTax(amount, billingTax(state, org));
  const id = nextId(state);
  const invoice: Invoice = {
    id,
    uid: invoiceUid(id, at),
    organization_id: org.id,
    workspace_id: sub.workspace_id,
    subscription_id: sub.subscription_id,
    currency: sub.currency,
    lines,
    amount,
    tax_percentage: totals.tax_percentage,
    tax_amount: totals.tax_amount,
    total_amount: totals.total,
    created_at: at,
    due: at,
    paid_at: at,
  };
  state.invoices[String(id)] = invoice;
  const paymentId = nextId(state);
  state.payments[String(paymentId)] = {
    id: paymentId,
    invoice_id: id,
    organization_id: org.id,
    workspace_id: sub.workspace_id,
    currency: sub.currency,
    amount: totals.total,
    status: 'paid',
    description: `Card payment for invoice ${invoice.uid}`,
    created_at: at,
  };
  return invoice;
}

export function periodLine(ref: PlanRef, seats: number, currency: string, start: string, end: string): InvoiceLine {
  const unit = (seatMonthCents(ref.pricing, currency) ?? 0) * ref.pricing.period;
  return {
    description: `${ref.pricing.name}, ${start.slice(0, 10)} to ${end.slice(0, 10)}`,
    quantity: seats,
    unit_cents: unit,
    amount_cents: unit * seats,
  };
}

function addPeriod(state: TogglState, sub: Subscription, trial: boolean): void {
  sub.periods.push({
    subscription_period_id: nextId(state),
    started_on: sub.current_period_start,
    finished_on: sub.current_period_end,
    trial,
    user_count: sub.seats,
    created_at: sub.current_period_start,
  });
}

/** A paid period of `ref` from `at`: the subscription's current period, recorded, and invoiced in full. */
function startPaidPeriod(state: TogglState, org: Organization, sub: Subscription, ref: PlanRef, at: string): void {
  sub.current_period_start = at;
  sub.current_period_end = addMonths(at, ref.pricing.period);
  addPeriod(state, sub, false);
  charge(state, org, sub, [periodLine(ref, sub.seats, sub.currency, at, sub.current_period_end)], at);
}

/** Ends the organization's subscription in the store: it falls back to Free or is suspended. */
function closeOut(org: Organization, sub: Subscription): void {
  if (org.subscription_id === sub.subscription_id) org.subscription_id = null;
  org.fallback = fallbackFor(org.user_ids.length);
}

/**
 * Brings an organization's subscription up to the sandbox clock: expired trials and cancellations end, active
 * periods renew with an invoice each. True when anything changed.
 */
export function settleOrganization(state: TogglState, org: Organization, now: Date): boolean {
  const sub = org.subscription_id === null ? undefined : state.subscriptions[String(org.subscription_id)];
  if (!sub) return false;
  const ref = pricingPlan(state, sub.pricing_plan_id)!;
  const events = settle(sub, now, ref.pricing.period);
  for (const event of events) {
    if (event.kind === 'renewed') {
      addPeriod(state, sub, false);
      charge(
        state,
        org,
        sub,
        [periodLine(ref, event.seats, sub.currency, event.period_start, event.period_end)],
        event.at,
      );
    } else {
      closeOut(org, sub);
    }
  }
  if (sub.status === 'ended') closeOut(org, sub);
  return events.length > 0;
}

/** Starts the 30-day trial (on Premium, every user of the organization a seat). */
export function startTrial(state: TogglState, org: Organization, workspace: Workspace, now: Date): Subscription {
  const at = formatInstant(now);
  const premium =
    state.plans.find((p) => p.name === 'Premium')?.pricing_plans.find((p) => p.period === 1) ??
    state.plans[1]!.pricing_plans[0]!;
  const sub: Subscription = {
    subscription_id: nextId(state),
    organization_id: org.id,
    workspace_id: workspace.id,
    unified: true,
    status: 'trialing',
    pricing_plan_id: premium.pricing_plan_id,
    last_pricing_plan_id: null,
    seats: Math.max(org.user_ids.length, 1),
    pending_seats: null,
    currency: billingCurrency(state, org),
    created_at: at,
    trial_start: at,
    trial_end: trialEnd(at),
    current_period_start: at,
    current_period_end: trialEnd(at),
    canceled_at: null,
    cancel_effective_at: null,
    ended_at: null,
    periods: [],
  };
  addPeriod(state, sub, true);
  state.subscriptions[String(sub.subscription_id)] = sub;
  org.subscription_id = sub.subscription_id;
  org.trial_used = true;
  return sub;
}

/**
 * Puts the organization on a paid pricing plan from now: converts a trial, or starts a new subscription (after
 * Free or a suspension). The first period is invoiced and paid at once.
 */
export function subscribe(
  state: TogglState,
  org: Organization,
  workspace: Workspace,
  ref: PlanRef,
  now: Date,
  unified: boolean,
): Subscription {
  const at = formatInstant(now);
  const trial = currentSubscription(state, org);
  const previous = trial ?? latestSubscription(state, org);
  let sub: Subscription;
  if (trial && trial.status === 'trialing') {
    sub = trial;
    sub.trial_end = at;
    const last = sub.periods[sub.periods.length - 1];
    if (last?.trial) last.finished_on = at;
    sub.last_pricing_plan_id =
      sub.pricing_plan_id === ref.pricing.pricing_plan_id ? sub.last_pricing_plan_id : sub.pricing_plan_id;
  } else {
    sub = {
      subscription_id: nextId(state),
      organization_id: org.id,
      workspace_id: workspace.id,
      unified,
      status: 'active',
      pricing_plan_id: ref.pricing.pricing_plan_id,
      last_pricing_plan_id: previous?.pricing_plan_id ?? null,
      seats: Math.max(org.user_ids.length, 1),
      pending_seats: null,
      currency: billingCurrency(state, org),
      created_at: at,
      trial_start: null,
      trial_end: null,
      current_period_start: at,
      current_period_end: at,
      canceled_at: null,
      cancel_effective_at: null,
      ended_at: null,
      periods: [],
    };
    state.subscriptions[String(sub.subscription_id)] = sub;
  }
  sub.status = 'active';
  sub.pricing_plan_id = ref.pricing.pricing_plan_id;
  sub.currency = billingCurrency(state, org);
  org.subscription_id = sub.subscription_id;
  org.trial_used = true;
  startPaidPeriod(state, org, sub, ref, at);
  return sub;
}

/**
 * Moves a running paid subscription to another pricing plan at once and lifts a scheduled cancellation. Same
 * period length: the price difference of an upgrade is charged pro rata for the rest of the period (a downgrade
 * is not refunded). Another period length starts a new period, invoiced in full.
 */
export function changePlan(state: TogglState, org: Organization, sub: Subscription, ref: PlanRef, now: Date): void {
  const at = formatInstant(now);
  sub.status = 'active';
  sub.canceled_at = null;
  sub.cancel_effective_at = null;
  if (sub.pricing_plan_id === ref.pricing.pricing_plan_id) return;
  const old = pricingPlan(state, sub.pricing_plan_id)!;
  sub.last_pricing_plan_id = sub.pricing_plan_id;
  sub.pricing_plan_id = ref.pricing.pricing_plan_id;
  if (old.pricing.period !== ref.pricing.period) {
    startPaidPeriod(state, org, sub, ref, at);
    return;
  }
  const before = (seatMonthCents(old.pricing, sub.currency) ?? 0) * old.pricing.period * sub.seats;
  const after = (seatMonthCents(ref.pricing, sub.currency) ?? 0) * ref.pricing.period * sub.seats;
  const extra = prorate(after - before, new Date(sub.current_period_start), new Date(sub.current_period_end), now);
  if (extra > 0) {
    charge(
      state,
      org,
      sub,
      [
        {
          description: `Upgrade to ${ref.pricing.name} for the rest of the period, pro rata`,
          quantity: 1,
          unit_cents: extra,
          amount_cents: extra,
        },
      ],
      at,
    );
  }
}

/** Changes the pricing plan of what runs: a trial just moves to the other plan (nothing to charge), a paid subscription as changePlan does. */
export function switchPlan(state: TogglState, org: Organization, sub: Subscription, ref: PlanRef, now: Date): void {
  if (sub.status !== 'trialing') return changePlan(state, org, sub, ref, now);
  if (sub.pricing_plan_id !== ref.pricing.pricing_plan_id) sub.last_pricing_plan_id = sub.pricing_plan_id;
  sub.pricing_plan_id = ref.pricing.pricing_plan_id;
}

/** Cancels now or at the period end (a trial always now); an ended subscription leaves the organization on its fallback. */
export function cancelSubscription(org: Organization, sub: Subscription, now: Date, immediate: boolean): void {
  cancel(sub, now, immediate);
  if (sub.status === 'ended') closeOut(org, sub);
}

/** What a seat count costs for the period after the current one (the next invoice). */
export function nextInvoice(state: TogglState, org: Organization, sub: Subscription, ref: PlanRef, seats: number) {
  const seatMonth = seatMonthCents(ref.pricing, sub.currency) ?? 0;
  const totals = priceSeats(seats, seatMonth, ref.pricing.period, billingTax(state, org));
  const start = sub.status === 'trialing' ? (sub.trial_end ?? sub.current_period_end) : sub.current_period_end;
  return { totals, start, end: addMonths(start, ref.pricing.period), seatMonth };
}
