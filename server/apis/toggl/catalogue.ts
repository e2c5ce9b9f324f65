/** The plan catalogue and currencies: public reads and the workspace-priced views. */
import { type Ctx, type Reply, workspaceFor } from './access.ts';
import { billingCurrency, billingTax, currencyCode, customerOf } from './billing.ts';
import { badRequest, forbidden, NO_ACCESS, notFound } from './errors.ts';
import { renderPlans, workspacePlans } from './render.ts';

export function get_currencies(ctx: Ctx<'get_currencies'>): Reply<'get_currencies'> {
  return {
    status: 200,
    body: ctx.state.currencies.map((c) => ({ currency_id: c.currency_id, iso_code: c.iso_code, symbol: c.symbol })),
  };
}

export function get_public_subscription_plans(
  ctx: Ctx<'get_public_subscription_plans'>,
): Reply<'get_public_subscription_plans'> {
  return {
    status: 200,
    body: renderPlans(
      ctx.state.plans.filter((p) => p.public),
      'USD',
      0,
    ),
  };
}

/** A customer is billed in one currency; before there is one, every currency is open. */
export function get_workspace_currencies(ctx: Ctx<'get_workspace_currencies'>): Reply<'get_workspace_currencies'> {
  const { organization } = workspaceFor(ctx, {
    unknown: badRequest('Workspace not found'),
    outsider: forbidden(NO_ACCESS),
  });
  const customer = customerOf(ctx.state, organization);
  const code = customer && currencyCode(ctx.state, customer.currency_id);
  return { status: 200, body: code ? [code] : ctx.state.currencies.map((c) => c.iso_code) };
}

/** The vendor types this answer as a string: the plans travel JSON-encoded inside a JSON string. */
export function get_workspace_plans(ctx: Ctx<'get_workspace_plans'>): Reply<'get_workspace_plans'> {
  const { organization } = workspaceFor(ctx, { unknown: notFound('Workspace not found/accessible') });
  return { status: 200, body: JSON.stringify(workspacePlans(ctx.state, organization)) };
}

export function get_workspace_plans_pricing(
  ctx: Ctx<'get_workspace_plans_pricing'>,
): Reply<'get_workspace_plans_pricing'> {
  const { organization } = workspaceFor(ctx, { unknown: forbidden(NO_ACCESS) });
  const planId = Number(ctx.params.plan_id);
  const plan = ctx.state.plans.find((p) => p.plan_id === planId);
  if (!plan) throw badRequest('Invalid plan');
  if (!plan.public) throw badRequest(`Plan ${planId} is not valid for this workspace`);
  return {
    status: 200,
    body: renderPlans([plan], billingCurrency(ctx.state, organization), billingTax(ctx.state, organization)),
  };
}
