/**
 * Purchase orders: a document asking the customer to pay for a seat count by bank transfer. More seats than now
 * take effect at once and cost the extra seats pro rata for the rest of the period; fewer (or as many) seats are
 * ordered for the next period. One unpaid purchase order at a time.
 */
import { addDuration } from '../../core/sandbox/clock.ts';
import { type Ctx, type Reply, type Schemas, organizationFor, workspaceFor, wsAdmin } from './access.ts';
import { billingTax, currentSubscription, customerOf, nextId, pricingPlan } from './billing.ts';
import { documentReply, purchaseOrderDocument } from './invoices.ts';
import { badRequest, forbidden, notFound } from './errors.ts';
import { addMonths, formatInstant } from './lifecycle.ts';
import { prorate, seatMonthCents, withTax } from './pricing.ts';
import type { Organization, PurchaseOrder, Subscription, TogglState, Workspace } from './state.ts';
import { entryOf } from '../../core/records.ts';

export const PURCHASE_ORDER_DUE_DAYS = 30;

const noAccess = () => forbidden('User does not have access to this resource');

/** What a purchase order for `userCount` seats costs and how it changes the subscription. */
export function purchaseOrderTerms(sub: Subscription, seatMonth: number, months: number, userCount: number, now: Date) {
  if (sub.status !== 'trialing' && userCount > sub.seats) {
    const full = (userCount - sub.seats) * seatMonth * months;
    const amount = prorate(full, new Date(sub.current_period_start), new Date(sub.current_period_end), now);
    return {
      amount,
      seatsNow: userCount,
      pendingSeats: null as number | null,
      description: `${userCount - sub.seats} additional seats from ${formatInstant(now).slice(0, 10)} to ${sub.current_period_end.slice(0, 10)}, pro rata`,
    };
  }
  const start = sub.status === 'trialing' ? (sub.trial_end ?? sub.current_period_end) : sub.current_period_end;
  return {
    amount: userCount * seatMonth * months,
    seatsNow: sub.status === 'trialing' ? userCount : sub.seats,
    pendingSeats: sub.status === 'trialing' || userCount === sub.seats ? null : userCount,
    description: `${userCount} seats from ${start.slice(0, 10)} to ${addMonths(start, months).slice(0, 10)}`,
  };
}

function createPurchaseOrder(
  ctx: Ctx & { body: Schemas['PurchaseordersPayload'] },
  org: Organization,
  workspace: Workspace | undefined,
  kind: 'organization' | 'workspace',
): { status: 200; body: Schemas['AccountingPurchaseOrderListItem'] } {
  const state: TogglState = ctx.state;
  const userCount = ctx.body.user_count;
  const sub = currentSubscription(state, org);
  if (!sub || (workspace && !sub.unified && sub.workspace_id !== workspace.id))
    throw badRequest(`${kind} has no subscription`);
  if (!customerOf(state, org)) throw badRequest(`${kind} has no contact data`);
  if (Object.values(state.purchase_orders).some((po) => po.organization_id === org.id && po.paid_at === null))
    throw badRequest('Unpaid purchase order found');
  const ref = pricingPlan(state, sub.pricing_plan_id)!;
  const now = ctx.now();
  const terms = purchaseOrderTerms(
    sub,
    seatMonthCents(ref.pricing, sub.currency) ?? 0,
    ref.pricing.period,
    userCount,
    now,
  );
  const totals = withTax(terms.amount, billingTax(state, org));
  sub.seats = terms.seatsNow;
  sub.pending_seats = terms.pendingSeats;
  const at = formatInstant(now);
  const po: PurchaseOrder = {
    id: nextId(state),
    organization_id: org.id,
    workspace_id: workspace?.id ?? sub.workspace_id,
    subscription_id: sub.subscription_id,
    user_count: userCount,
    pricing_plan_id: sub.pricing_plan_id,
    currency: sub.currency,
    description: `${ref.pricing.name}, ${terms.description}`,
    amount: terms.amount,
    tax_percentage: totals.tax_percentage,
    tax_amount: totals.tax_amount,
    total_amount: totals.total,
    created_at: at,
    due_date: formatInstant(addDuration(now, `P${PURCHASE_ORDER_DUE_DAYS}D`)),
    paid_at: null,
  };
  state.purchase_orders[String(po.id)] = po;
  return { status: 200, body: { id: po.id, created_at: po.created_at, due_date: po.due_date } };
}

export function post_organization_purchase_order(
  ctx: Ctx<'post_organization_purchase_order'>,
): Reply<'post_organization_purchase_order'> {
  const org = organizationFor(ctx, { unknown: noAccess(), notAdmin: noAccess() });
  return createPurchaseOrder(ctx, org, undefined, 'organization');
}

export function post_workspace_purchase_order(
  ctx: Ctx<'post_workspace_purchase_order'>,
): Reply<'post_workspace_purchase_order'> {
  const { workspace, organization } = workspaceFor(ctx, { unknown: noAccess(), notAdmin: noAccess() });
  return createPurchaseOrder(ctx, organization, workspace, 'workspace');
}

export async function get_workspace_purchase_order_pdf(
  ctx: Ctx<'get_workspace_purchase_order_pdf'>,
): Promise<Reply<'get_workspace_purchase_order_pdf'>> {
  const { organization } = workspaceFor(ctx, wsAdmin());
  const po = entryOf(ctx.state.purchase_orders, ctx.params.purchase_order_id);
  if (!po || po.organization_id !== organization.id) throw notFound('Purchase order not found');
  return documentReply(await purchaseOrderDocument(ctx.state, po));
}
