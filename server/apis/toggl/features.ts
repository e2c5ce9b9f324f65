/** Feature sets: the one the workspace's plan offers, and the one in force right now. */
import { type Ctx, type Reply, workspaceFor } from './access.ts';
import { currentSubscription, freePlan, latestSubscription, pricingPlan } from './billing.ts';
import { forbidden } from './errors.ts';
import type { Organization, Plan, TogglState } from './state.ts';

const denials = () => ({ unknown: forbidden('User does not have access to this resource') });

function featureSet(state: TogglState, plan: Plan, enabled: boolean) {
  const feature = state.features[String(plan.feature_id)];
  return { id: feature?.id ?? plan.feature_id, name: feature?.name ?? plan.name, enabled };
}

/** The plan the organization runs on or, suspended, the plan it has to pay for. */
function paidPlan(state: TogglState, org: Organization): Plan {
  const sub =
    currentSubscription(state, org) ?? (org.fallback === 'suspended' ? latestSubscription(state, org) : undefined);
  return (sub && pricingPlan(state, sub.pricing_plan_id)?.plan) ?? freePlan(state).plan;
}

export function get_workspace_features(ctx: Ctx<'get_workspace_features'>): Reply<'get_workspace_features'> {
  const { organization } = workspaceFor(ctx, denials());
  const suspended = !currentSubscription(ctx.state, organization) && organization.fallback === 'suspended';
  return { status: 200, body: featureSet(ctx.state, paidPlan(ctx.state, organization), !suspended) };
}

export function get_workspace_features_selected(
  ctx: Ctx<'get_workspace_features_selected'>,
): Reply<'get_workspace_features_selected'> {
  const { organization } = workspaceFor(ctx, denials());
  if (!currentSubscription(ctx.state, organization) && organization.fallback === 'suspended')
    return { status: 200, body: featureSet(ctx.state, freePlan(ctx.state).plan, false) };
  return { status: 200, body: featureSet(ctx.state, paidPlan(ctx.state, organization), true) };
}
