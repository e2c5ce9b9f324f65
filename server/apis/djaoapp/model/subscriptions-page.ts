/** Pages of subscriptions as the provider's and the subscriber's lists (and the metrics' lists) show them. */
import type { Ctx, OkReply, Query } from './context.ts';
import { matchesSearch, order, paginate, searchTerms } from './lists.ts';
import { canManageProfile } from './permissions.ts';
import { PROFILE_CONTACT_FIELDS } from './profiles-store.ts';
import { profileRecord, renderSubscription } from './render.ts';
import type { PlanRecord, SubscriptionRecord } from '../state.ts';

const SUBSCRIPTION_ORDER_FIELDS = ['organization', 'plan', 'created_at', 'ends_at'];
const SUBSCRIPTION_SEARCH_FIELDS = ['organization', 'full_name', 'email', ...PROFILE_CONTACT_FIELDS, 'plan_title'];

/** May the caller change subscriptions to this plan as its provider (the provider's or the broker's managers)? */
export function editable(ctx: Ctx, plan: PlanRecord): boolean {
  return canManageProfile(ctx.state, ctx.principal.user, plan.organization);
}

/** A subscription as the caller sees it (editable when they may change it as its provider). */
export function renderSubscriptionFor(ctx: Ctx, sub: SubscriptionRecord) {
  const plan = ctx.state.plans.find((p) => p.slug === sub.plan)!;
  return renderSubscription(ctx.state, sub, editable(ctx, plan), ctx.request.baseUrl);
}

/** A page of the subscriptions given, searched by q and ordered by o/ot (default: the earliest to end first). */
export function subscriptionsPage(
  ctx: Ctx & { query: Query },
  subs: SubscriptionRecord[],
  extra: (sub: SubscriptionRecord) => object = () => ({}),
): OkReply {
  const terms = searchTerms(ctx.query.q);
  const rows = subs
    .map((sub) => {
      const profile = profileRecord(ctx.state, sub.organization)!;
      const plan = ctx.state.plans.find((p) => p.slug === sub.plan)!;
      return {
        sub,
        ...profile,
        organization: profile.full_name || profile.slug,
        plan: plan.title,
        plan_title: plan.title,
        created_at: sub.created_at,
        ends_at: sub.ends_at,
      };
    })
    .filter((row) => matchesSearch(row as unknown as Record<string, unknown>, SUBSCRIPTION_SEARCH_FIELDS, terms));
  const sorted = order(rows, ctx.query.o, ctx.query.ot, SUBSCRIPTION_ORDER_FIELDS, ['ends_at', 'created_at']);
  const page = paginate(sorted, ctx.request, ctx.query.page, ctx.query.page_size);
  return {
    status: 200,
    body: {
      ...page,
      results: page.results.map((row) => ({ ...renderSubscriptionFor(ctx, row.sub), ...extra(row.sub) })),
    },
  };
}
