/** Feedback on leaving a pricing plan, from an organization or a workspace; kept in the store. */
import { caller, type Ctx, type Reply, type Schemas, organizationFor, workspaceFor } from './access.ts';
import { pricingPlan } from './billing.ts';
import { forbidden, NO_ACCESS, notFound } from './errors.ts';
import { formatInstant } from './lifecycle.ts';
import type { Feedback } from './state.ts';

export type FeedbackInput = Schemas['ModelsPlanChangeFeedback'];

export function recordFeedback(
  ctx: Ctx,
  organizationId: number,
  workspaceId: number | null,
  pricingPlanId: number,
  input: FeedbackInput | undefined,
): Feedback {
  const feedback: Feedback = {
    organization_id: organizationId,
    workspace_id: workspaceId,
    user_id: caller(ctx).id,
    pricing_plan_id: pricingPlanId,
    comment: input?.comment ?? '',
    master_signup: input?.master_signup ?? false,
    selections: input?.selections ?? [],
    created_at: formatInstant(ctx.now()),
  };
  ctx.state.feedback.push(feedback);
  return feedback;
}

function oldPlan(ctx: Ctx): number {
  const id = Number(ctx.params.pricing_plan_id);
  if (!pricingPlan(ctx.state, id)) throw notFound('Pricing plan for pricing_plan_id not found');
  return id;
}

export function post_organization_plans_pricing_feedback(
  ctx: Ctx<'post_organization_plans_pricing_feedback'>,
): Reply<'post_organization_plans_pricing_feedback'> {
  const org = organizationFor(ctx, { unknown: forbidden(NO_ACCESS) });
  recordFeedback(ctx, org.id, null, oldPlan(ctx), ctx.body);
  return { status: 200, body: 'OK' };
}

export function post_workspace_plans_pricing_feedback(
  ctx: Ctx<'post_workspace_plans_pricing_feedback'>,
): Reply<'post_workspace_plans_pricing_feedback'> {
  const { workspace, organization } = workspaceFor(ctx, { unknown: forbidden(NO_ACCESS) });
  recordFeedback(ctx, organization.id, workspace.id, oldPlan(ctx), ctx.body);
  return { status: 200, body: 'OK' };
}
