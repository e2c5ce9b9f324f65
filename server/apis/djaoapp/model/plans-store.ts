/** Plans in the state: the plan named in the URL. */
import type { Ctx } from './context.ts';
import { notFound } from './errors.ts';
import type { PlanRecord } from '../state.ts';

/** The provider's plan named by the URL's {plan}, or 404. */
export function planOr404(ctx: Ctx, provider: string): PlanRecord {
  const plan = ctx.state.plans.find((p) => p.slug === ctx.params.plan && p.organization === provider);
  if (!plan) throw notFound();
  return plan;
}
