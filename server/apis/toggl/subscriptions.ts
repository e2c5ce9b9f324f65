/**
 * Subscriptions of organizations (unified) and workspaces: read, trial, subscribe, change plan, cancel,
 * calculate a price, and the next invoice's summary.
 */
import { caller, type Ctx, type Reply, organizationFor, orgAdmin, workspaceFor, wsAdmin } from './access.ts';
import {
  billingCurrency,
  billingTax,
  cancelSubscription,
  changePlan,
  currentSubscription,
  customerOf,
  nextInvoice,
  pricingPlan,
  pricingPlanByTag,
  startTrial,
  subscribe,
  switchPlan,
  trialAvailable,
  type PlanRef,
} from './billing.ts';
import { cleanContact, currencyForCountry, saveContact } from './customers.ts';
import { ADMIN_REQUIRED, badRequest, forbidden, NO_ACCESS, notFound } from './errors.ts';
import { recordFeedback } from './feedback.ts';
import { formatInstant, isImmediate } from './lifecycle.ts';
import { describeCalculation, priceSeats, seatMonthCents } from './pricing.ts';
import { renderOutData, renderSubscription } from './render.ts';
import type { Organization, Subscription, TogglState, Workspace } from './state.ts';

/** The workspace unified subscriptions are attached to: the organization's first. */
function firstWorkspace(state: TogglState, org: Organization): Workspace {
  return Object.values(state.workspaces)
    .filter((w) => w.organization_id === org.id)
    .sort((a, b) => a.id - b.id)[0]!;
}

/** A paid, public pricing plan named by its tag (price_point_handle). */
function paidPlanByTag(state: TogglState, tag: string): PlanRef {
  const ref = pricingPlanByTag(state, tag.trim());
  if (!ref || ref.plan.free || !ref.plan.public) throw badRequest('pricing_plan_tag is not valid');
  return ref;
}

/** Does this workspace hold the organization's subscription? Unified ones belong to every workspace. */
function heldBy(sub: Subscription, workspace: Workspace): boolean {
  return sub.unified || sub.workspace_id === workspace.id;
}

// ── organization ────────────────────────────────────────────────────────────

export function get_organization_subscription(
  ctx: Ctx<'get_organization_subscription'>,
): Reply<'get_organization_subscription'> {
  const org = organizationFor(ctx, orgAdmin());
  return { status: 200, body: renderOutData(ctx.state, org) };
}

export function post_organization_subscription(
  ctx: Ctx<'post_organization_subscription'>,
): Reply<'post_organization_subscription'> {
  const org = organizationFor(ctx, orgAdmin());
  const ref = paidPlanByTag(ctx.state, ctx.body.pricing_plan_tag);
  const running = currentSubscription(ctx.state, org);
  if (running && running.status !== 'trialing') throw badRequest('Subscription already exists');
  subscribe(ctx.state, org, firstWorkspace(ctx.state, org), ref, ctx.now(), true);
  return { status: 200 };
}

export function put_organization_subscription(
  ctx: Ctx<'put_organization_subscription'>,
): Reply<'put_organization_subscription'> {
  const org = organizationFor(ctx, orgAdmin());
  const ref = paidPlanByTag(ctx.state, ctx.body.pricing_plan_tag);
  const running = currentSubscription(ctx.state, org);
  if (!running) throw badRequest('subscription not found');
  switchPlan(ctx.state, org, running, ref, ctx.now());
  return { status: 200 };
}

export function delete_organization_subscription(
  ctx: Ctx<'delete_organization_subscription'>,
): Reply<'delete_organization_subscription'> {
  const org = organizationFor(ctx, orgAdmin());
  const running = currentSubscription(ctx.state, org);
  if (!running) throw notFound('subscription not found');
  cancelSubscription(org, running, ctx.now(), isImmediate(ctx.query.immediateCancel));
  return { status: 200, body: 'OK' };
}

export function post_organization_subscription_0(
  ctx: Ctx<'post_organization_subscription_0'>,
): Reply<'post_organization_subscription_0'> {
  const org = organizationFor(ctx, orgAdmin());
  if (!trialAvailable(ctx.state, org)) throw forbidden('Forbidden');
  startTrial(ctx.state, org, firstWorkspace(ctx.state, org), ctx.now());
  return { status: 200 };
}

export function get_organization_invoice_summary(
  ctx: Ctx<'get_organization_invoice_summary'>,
): Reply<'get_organization_invoice_summary'> {
  const org = organizationFor(ctx, orgAdmin());
  const running = currentSubscription(ctx.state, org);
  const quantity: number | undefined = ctx.query.quantity;
  const tag: string | undefined = ctx.query.pricing_plan_tag;
  if (!running || (quantity !== undefined && quantity < 1)) throw badRequest('Bad Request');
  let ref = pricingPlan(ctx.state, running.pricing_plan_id)!;
  if (tag !== undefined && tag !== '') {
    const tagged = pricingPlanByTag(ctx.state, tag);
    if (!tagged || tagged.plan.free || !tagged.plan.public) throw badRequest('Bad Request');
    ref = tagged;
  }
  const seats = quantity ?? running.pending_seats ?? running.seats;
  const next = nextInvoice(ctx.state, org, running, ref, seats);
  const summary = {
    pricing_plan_id: ref.pricing.pricing_plan_id,
    pricing_plan_tag: ref.pricing.price_point_handle,
    plan_name: ref.plan.name,
    quantity: seats,
    period: ref.pricing.period,
    currency: running.currency,
    subtotal: next.totals.subtotal,
    tax_percentage: next.totals.tax_percentage,
    tax_amount: next.totals.tax_amount,
    total: next.totals.total,
    period_starts_at: next.start,
    period_ends_at: next.end,
  };
  return { status: 200, body: JSON.stringify(summary) };
}

// ── workspace ───────────────────────────────────────────────────────────────

export function get_workspace_subscription(
  ctx: Ctx<'get_workspace_subscription'>,
): Reply<'get_workspace_subscription'> {
  const { organization } = workspaceFor(ctx, { unknown: forbidden(NO_ACCESS) });
  return { status: 200, body: renderOutData(ctx.state, organization) };
}

/**
 * One endpoint, three outcomes: a paid pricing plan subscribes (or converts a trial, or changes the plan of the
 * running subscription); the Free plan's pricing plan cancels at the end of the period.
 */
export function post_workspace_subscription(
  ctx: Ctx<'post_workspace_subscription'>,
): Reply<'post_workspace_subscription'> {
  const { workspace, organization: org } = workspaceFor(ctx, {
    unknown: notFound('Workspace not found/accessible'),
    notAdmin: forbidden(ADMIN_REQUIRED),
  });
  const input = ctx.body;
  if (!input.pricing_plan_id) throw badRequest('pricing_plan_id required');
  const ref = pricingPlan(ctx.state, input.pricing_plan_id);
  if (!ref) throw notFound('Pricing Plan Id must be valid');
  if (!ref.plan.public) throw badRequest('Pricing Plan Id must be valid');
  const contact = input.contact_details ? cleanContact(ctx.state, input.contact_details) : undefined;
  const running = currentSubscription(ctx.state, org);
  if (running && !heldBy(running, workspace) && running.status !== 'trialing')
    throw badRequest('Workspace with subscription already present in organization');
  const user = caller(ctx);
  const now = ctx.now();

  if (ref.plan.free) {
    if (!running) throw badRequest('No subscription to cancel');
    if (contact) saveContact(ctx.state, org, user, contact, now);
    cancelSubscription(org, running, now, false);
    return { status: 200, body: renderSubscription(ctx.state, running) };
  }

  const customer = customerOf(ctx.state, org);
  if (!customer && !contact) cleanContact(ctx.state, {});
  const currencyId = customer?.currency_id ?? currencyForCountry(ctx.state, contact!.country_id);
  const currency = ctx.state.currencies.find((c) => c.currency_id === currencyId)?.iso_code ?? 'USD';
  if (seatMonthCents(ref.pricing, running && running.status !== 'trialing' ? running.currency : currency) === undefined)
    throw badRequest('Pricing Plan Id must be valid');

  const saved = contact ? saveContact(ctx.state, org, user, contact, now) : customer!;
  if (input.inc_terms_accepted && ctx.state.companies[String(saved.company_id)]?.inc)
    saved.inc_terms_accepted_at = formatInstant(now);
  let sub: Subscription;
  if (running && running.status !== 'trialing') {
    changePlan(ctx.state, org, running, ref, now);
    sub = running;
  } else {
    sub = subscribe(ctx.state, org, workspace, ref, now, false);
  }
  return { status: 200, body: renderSubscription(ctx.state, sub) };
}

export function delete_workspace_subscription(
  ctx: Ctx<'delete_workspace_subscription'>,
): Reply<'delete_workspace_subscription'> {
  const { workspace, organization: org } = workspaceFor(ctx, wsAdmin());
  const running = currentSubscription(ctx.state, org);
  if (!running || running.subscription_id !== Number(ctx.params.subscription_id) || !heldBy(running, workspace))
    throw badRequest('workspace has no subscription');
  if (!customerOf(ctx.state, org)) throw badRequest('workspace has no customer');
  recordFeedback(ctx, org.id, workspace.id, running.pricing_plan_id, ctx.body);
  cancelSubscription(org, running, ctx.now(), false);
  return { status: 200, body: 'OK' };
}

export function post_workspace_subscription_calculate(
  ctx: Ctx<'post_workspace_subscription_calculate'>,
): Reply<'post_workspace_subscription_calculate'> {
  const { workspace, organization: org } = workspaceFor(ctx, {
    unknown: notFound('workspace_id is not valid'),
    notAdmin: forbidden(ADMIN_REQUIRED),
  });
  const input = ctx.body;
  const running = currentSubscription(ctx.state, org);
  if (!running || (!heldBy(running, workspace) && running.status !== 'trialing'))
    throw badRequest('workspace has no subscription');
  if (running.status === 'canceled') throw badRequest('Invalid subscription');
  if (!customerOf(ctx.state, org)) throw notFound('workspace has no customer');
  const ref = pricingPlan(ctx.state, input.pricing_plan_id);
  if (!ref || ref.plan.free || !ref.plan.public) throw badRequest('pricing_plan_id is not valid');
  const currency = billingCurrency(ctx.state, org);
  const seatMonth = seatMonthCents(ref.pricing, currency);
  if (seatMonth === undefined) throw notFound('unknown currency');
  const totals = priceSeats(input.user_count, seatMonth, input.period, billingTax(ctx.state, org));
  return {
    status: 200,
    body: {
      calculation: describeCalculation(input.user_count, seatMonth, input.period, currency, totals),
      currency,
      period: input.period,
      tax_percentage: totals.tax_percentage,
      total_amount: totals.total,
    },
  };
}

/** The legacy way to change plan: the profile is a paid pricing plan; a subscription must be running. */
export function put_workspace_profile(ctx: Ctx<'put_workspace_profile'>): Reply<'put_workspace_profile'> {
  const { workspace, organization: org } = workspaceFor(ctx, wsAdmin());
  const ref = pricingPlan(ctx.state, Number(ctx.params.profile_id));
  const running = currentSubscription(ctx.state, org);
  if (!ref || ref.plan.free || !ref.plan.public || !running || !heldBy(running, workspace))
    throw badRequest('Not acceptable profile');
  if (ctx.body) recordFeedback(ctx, org.id, workspace.id, running.pricing_plan_id, ctx.body);
  switchPlan(ctx.state, org, running, ref, ctx.now());
  return { status: 204 };
}
