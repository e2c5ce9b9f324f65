/** Handlers of /api/profile/{organization}/plans/ (a provider's plans) and /api/pricing/ (the broker's active plans). */
import { detail, fieldErrors } from '../model/errors.ts';
import { matchesSearch, order, paginate, searchTerms } from '../model/lists.ts';
import { requireProfileAccess } from '../model/permissions.ts';
import { planOr404 } from '../model/plans-store.ts';
import { profileOr404 } from '../model/profiles-store.ts';
import { renderPlan } from '../model/render.ts';
import type { AdvanceDiscountRecord, DjaoappState, Interval, PlanRecord, RenewalType } from '../state.ts';
import { slugify, uniqueSlug } from '../model/values.ts';
import type { Ctx, OkReply, Query, Reply } from '../model/context.ts';

const PLAN_SEARCH_FIELDS = ['slug', 'title', 'description'];
const PLAN_ORDER_FIELDS = ['title', 'slug', 'period_amount', 'setup_amount', 'is_active', 'created_at'];

export const TITLE_TAKEN = 'A plan with this title already exists.';
export const PLAN_HAS_SUBSCRIBERS = 'Cannot delete a plan with subscribers';

/** The plan body: the period may be named period_type (the docs' fields) or interval (the docs' examples). */
export interface PlanWrite {
  title?: string;
  description?: string;
  is_active?: boolean;
  setup_amount?: number;
  period_amount?: number;
  period_type?: Interval;
  interval?: Interval;
  period_length?: number;
  unit?: string;
  renewal_type?: RenewalType;
  is_not_priced?: boolean;
  skip_optin_on_grant?: boolean;
  optin_on_request?: boolean;
  advance_discounts?: AdvanceDiscountRecord[];
  extra?: string | Record<string, unknown> | null;
}

/** A plan slug from its title: unique among every provider's plans (-1, -2... when taken). */
export function planSlug(state: DjaoappState, title: string, except?: PlanRecord): string {
  return uniqueSlug(slugify(title) || 'plan', (s) => state.plans.some((p) => p.slug === s && p !== except));
}

/** The field errors of a plan write (empty when it is valid); `plan` is the plan being updated, if any. */
export function planWriteErrors(
  state: DjaoappState,
  provider: string,
  input: PlanWrite,
  plan?: PlanRecord,
): Record<string, string[] | string> {
  const errors: Record<string, string[] | string> = {};
  if (
    input.title !== undefined &&
    state.plans.some((p) => p.organization === provider && p.title === input.title && p !== plan)
  )
    errors.title = TITLE_TAKEN;
  if (input.period_type !== undefined && input.interval !== undefined && input.period_type !== input.interval)
    errors.interval = [`"${input.interval}" contradicts period_type "${input.period_type}".`];
  (input.advance_discounts ?? []).forEach((d, i) => {
    if (d.discount_type === 'percentage' && d.discount_value > 10000)
      errors.advance_discounts = [`Item ${i}: a percentage is in hundredths of a percent, at most 10000 (100%).`];
  });
  return errors;
}

function providerFor(ctx: Ctx & { params: { organization: string } }, access: 'read' | 'manage') {
  requireProfileAccess(ctx.state, ctx.principal, ctx.params.organization, access);
  return profileOr404(ctx.state, ctx.params.organization);
}

function listPlans(ctx: Ctx & { query: Query }, plans: PlanRecord[], defaults: string[]): OkReply {
  const terms = searchTerms(ctx.query.q);
  const found = plans.filter((p) => matchesSearch(p as unknown as Record<string, unknown>, PLAN_SEARCH_FIELDS, terms));
  const sorted = order(found, ctx.query.o, ctx.query.ot, PLAN_ORDER_FIELDS, defaults);
  const page = paginate(sorted, ctx.request, ctx.query.page, ctx.query.page_size);
  return {
    status: 200,
    body: { ...page, results: page.results.map((p) => renderPlan(ctx.state, p, ctx.request.baseUrl)) },
  };
}

/** The broker's active plans, cheapest first: what a pricing page shows. Public. */
export function pricing_list(ctx: Ctx<'pricing_list'>): Reply<'pricing_list'> {
  const plans = ctx.state.plans.filter((p) => p.organization === ctx.state.broker && p.is_active);
  return listPlans(ctx, plans, ['period_amount', 'title']);
}

export function plans_list(ctx: Ctx<'plans_list'>): Reply<'plans_list'> {
  const provider = providerFor(ctx, 'read');
  const plans = ctx.state.plans.filter((p) => p.organization === provider.slug);
  const active = ctx.query.active;
  const filtered =
    active === undefined
      ? plans
      : plans.filter((p) => p.is_active === ['1', 'true', 'yes'].includes(active.toLowerCase()));
  return listPlans(ctx, filtered, ['created_at', 'slug']);
}

export function plans_create(ctx: Ctx<'plans_create'>): Reply<'plans_create'> {
  const provider = providerFor(ctx, 'manage');
  const { state } = ctx;
  const input = ctx.body;
  const errors = planWriteErrors(state, provider.slug, input);
  if (Object.keys(errors).length) throw fieldErrors(errors);
  const plan: PlanRecord = {
    // The contract requires title (an allOf of PlanWriteRequest and required: [title], which the generated type
    // does not carry); the validator refused a body without it.
    slug: planSlug(state, input.title!),
    title: input.title!,
    description: input.description ?? '',
    organization: provider.slug,
    is_active: input.is_active ?? false,
    setup_amount: input.setup_amount ?? 0,
    period_amount: input.period_amount ?? 0,
    period_length: input.period_length ?? 1,
    period_type: input.period_type ?? input.interval ?? 'monthly',
    unit: input.unit ?? 'usd',
    is_not_priced: input.is_not_priced ?? false,
    renewal_type: input.renewal_type ?? 'auto-renew',
    skip_optin_on_grant: input.skip_optin_on_grant ?? false,
    optin_on_request: input.optin_on_request ?? false,
    advance_discounts: (input.advance_discounts ?? []).map((d) => ({ ...d })),
    extra: input.extra ?? null,
    created_at: ctx.now().toISOString(),
  };
  state.plans.push(plan);
  return { status: 201, body: renderPlan(state, plan, ctx.request.baseUrl) };
}

export function plans_retrieve(ctx: Ctx<'plans_retrieve'>): Reply<'plans_retrieve'> {
  const provider = providerFor(ctx, 'read');
  return { status: 200, body: renderPlan(ctx.state, planOr404(ctx, provider.slug), ctx.request.baseUrl) };
}

const hasSubscriptions = (state: DjaoappState, plan: PlanRecord) =>
  state.subscriptions.some((s) => s.plan === plan.slug);

/** A new slug for the plan, and for the cart items and coupons that name it. */
function renamePlan(state: DjaoappState, plan: PlanRecord, slug: string): void {
  for (const item of state.cart_items) if (item.plan === plan.slug) item.plan = slug;
  for (const coupon of state.coupons) if (coupon.plan === plan.slug) coupon.plan = slug;
  plan.slug = slug;
}

/**
 * Updates a plan. A new title changes the slug too while nobody ever subscribed to the plan; after that the slug
 * stays (subscriptions, carts and links refer to it). A new period_amount applies from the next renewal.
 */
export function plans_update(ctx: Ctx<'plans_update'>): Reply<'plans_update'> {
  const provider = providerFor(ctx, 'manage');
  const { state } = ctx;
  const plan = planOr404(ctx, provider.slug);
  const input = ctx.body;
  const errors = planWriteErrors(state, provider.slug, input, plan);
  if (Object.keys(errors).length) throw fieldErrors(errors);
  if (input.title !== undefined && input.title !== plan.title) {
    plan.title = input.title;
    if (!hasSubscriptions(state, plan)) renamePlan(state, plan, planSlug(state, input.title, plan));
  }
  if (input.description !== undefined) plan.description = input.description;
  if (input.is_active !== undefined) plan.is_active = input.is_active;
  if (input.setup_amount !== undefined) plan.setup_amount = input.setup_amount;
  if (input.period_amount !== undefined) plan.period_amount = input.period_amount;
  if (input.period_type !== undefined || input.interval !== undefined)
    plan.period_type = (input.period_type ?? input.interval)!;
  if (input.period_length !== undefined) plan.period_length = input.period_length;
  if (input.unit !== undefined) plan.unit = input.unit;
  if (input.renewal_type !== undefined) plan.renewal_type = input.renewal_type;
  if (input.is_not_priced !== undefined) plan.is_not_priced = input.is_not_priced;
  if (input.skip_optin_on_grant !== undefined) plan.skip_optin_on_grant = input.skip_optin_on_grant;
  if (input.optin_on_request !== undefined) plan.optin_on_request = input.optin_on_request;
  if (input.advance_discounts !== undefined) plan.advance_discounts = input.advance_discounts.map((d) => ({ ...d }));
  if (input.extra !== undefined) plan.extra = input.extra;
  return { status: 200, body: renderPlan(state, plan, ctx.request.baseUrl) };
}

/** A plan anyone ever subscribed to cannot be deleted (deactivate it instead): 403. */
export function plans_destroy(ctx: Ctx<'plans_destroy'>): Reply<'plans_destroy'> {
  const provider = providerFor(ctx, 'manage');
  const plan = planOr404(ctx, provider.slug);
  if (hasSubscriptions(ctx.state, plan)) throw detail(403, PLAN_HAS_SUBSCRIBERS);
  ctx.state.plans = ctx.state.plans.filter((p) => p !== plan);
  return { status: 204 };
}
