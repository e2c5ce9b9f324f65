/**
 * Handlers of /api/metrics/: a provider's 12-month tables (balances, funds, customers, plans), its active and churned
 * subscriptions, the uses of one of its coupons, and the broker's top of funnel (registered users).
 */
import { notFound } from '../model/errors.ts';
import { inDateRange, matchesSearch, order, paginate, parseDate, searchTerms } from '../model/lists.ts';
import { balancesTable, customersTable, endedWithin, fundsTable, plansTable, providerUnit } from './tables.ts';
import { seriesPoints } from './series.ts';
import { requireBrokerManager, requireProfileAccess } from '../model/permissions.ts';
import { profileOr404 } from '../model/profiles-store.ts';
import { renderUserSummary } from '../model/render.ts';
import { isActive } from '../model/renewals.ts';
import type { ProfileRecord } from '../state.ts';
import { subscriptionsPage } from '../model/subscriptions-page.ts';
import type { Ctx, Query, Reply } from '../model/context.ts';

/** The provider in the URL: its managers' and the broker's (checked before it is looked up, as elsewhere). */
function provider(ctx: Ctx & { params: { organization: string } }): ProfileRecord {
  requireProfileAccess(ctx.state, ctx.principal, ctx.params.organization, 'manage');
  return profileOr404(ctx.state, ctx.params.organization);
}

/** The instant a series or a list ends at: ends_at, or now (also for an unparseable date). */
const endsAt = (ctx: Ctx & { query: Query }): Date => parseDate(ctx.query.ends_at, ctx.now())!;

/** start_at, or `none` without one (an unparseable date counts as now). */
const startAt = (ctx: Ctx & { query: Query }, none: Date | null): Date | null =>
  ctx.query.start_at === undefined ? none : parseDate(ctx.query.start_at, ctx.now());

/** The 13 points of a provider's series: the first of each of the last 12 months, then ends_at. */
const monthly = (ctx: Ctx & { query: Query }): Date[] => seriesPoints(endsAt(ctx));

export function metrics_balances(ctx: Ctx<'metrics_balances'>): Reply<'metrics_balances'> {
  const { slug } = provider(ctx);
  const unit = providerUnit(ctx.state, slug);
  return {
    status: 200,
    body: { title: 'Balances', scale: 0.01, unit, table: balancesTable(ctx.state, slug, unit, monthly(ctx)) },
  };
}

export function metrics_funds(ctx: Ctx<'metrics_funds'>): Reply<'metrics_funds'> {
  const { slug } = provider(ctx);
  const unit = providerUnit(ctx.state, slug);
  return {
    status: 200,
    body: { title: 'Amount', scale: 0.01, unit, table: fundsTable(ctx.state, slug, unit, monthly(ctx)) },
  };
}

export function metrics_customers(ctx: Ctx<'metrics_customers'>): Reply<'metrics_customers'> {
  const { slug } = provider(ctx);
  return {
    status: 200,
    body: { title: 'Customers', ...customersTable(ctx.state, slug, providerUnit(ctx.state, slug), monthly(ctx)) },
  };
}

export function metrics_plans(ctx: Ctx<'metrics_plans'>): Reply<'metrics_plans'> {
  const { slug } = provider(ctx);
  return { status: 200, body: { title: 'Active Subscribers', ...plansTable(ctx.state, slug, monthly(ctx)) } };
}

function subscriptionsToPlansOf(ctx: Ctx, provider: string) {
  const plans = new Set(ctx.state.plans.filter((p) => p.organization === provider).map((p) => p.slug));
  return ctx.state.subscriptions.filter((s) => plans.has(s.plan));
}

/** Subscriptions to the provider's plans active at ends_at (default now), created at or after start_at if given. */
export function metrics_active_list(ctx: Ctx<'metrics_active_list'>): Reply<'metrics_active_list'> {
  const { slug } = provider(ctx);
  const at = endsAt(ctx);
  const start = startAt(ctx, null);
  const subs = subscriptionsToPlansOf(ctx, slug).filter(
    (s) => isActive(s, at) && (!start || Date.parse(s.created_at) >= start.getTime()),
  );
  return subscriptionsPage(ctx, subs);
}

/** Subscriptions to the provider's plans that ended by ends_at (default now), and after start_at if given. */
export function metrics_churned_list(ctx: Ctx<'metrics_churned_list'>): Reply<'metrics_churned_list'> {
  const { slug } = provider(ctx);
  const window = { start: startAt(ctx, new Date(-8.64e15))!, end: endsAt(ctx) };
  return subscriptionsPage(
    ctx,
    subscriptionsToPlansOf(ctx, slug).filter((s) => endedWithin(s, window)),
  );
}

const COUPON_USE_SEARCH_FIELDS = ['user', 'email', 'full_name', 'plan'];
const COUPON_USE_ORDER_FIELDS = ['created_at', 'user', 'plan'];

/** The checked-out cart items that used one of the provider's coupons (404 for a code the provider never had). */
export function metrics_coupon_uses_list(ctx: Ctx<'metrics_coupon_uses_list'>): Reply<'metrics_coupon_uses_list'> {
  const { slug } = provider(ctx);
  const { state } = ctx;
  const coupon = state.coupons.find((c) => c.organization === slug && c.code === ctx.params.coupon);
  if (!coupon) throw notFound();
  const plans = new Set(state.plans.filter((p) => p.organization === slug).map((p) => p.slug));
  const now = ctx.now();
  const terms = searchTerms(ctx.query.q);
  const rows = state.cart_items
    .filter((item) => item.recorded_at !== null && item.coupon === coupon.code && plans.has(item.plan))
    .filter((item) => inDateRange(item.created_at, ctx.query.start_at, ctx.query.ends_at, now))
    .flatMap((item) => {
      const account = state.users.find((u) => u.slug === item.user);
      return account
        ? [
            {
              item,
              account,
              created_at: item.created_at,
              plan: item.plan,
              user: account.slug,
              email: account.email,
              full_name: account.full_name,
            },
          ]
        : [];
    })
    .filter((row) => matchesSearch(row as unknown as Record<string, unknown>, COUPON_USE_SEARCH_FIELDS, terms));
  const sorted = order(rows, ctx.query.o, ctx.query.ot, COUPON_USE_ORDER_FIELDS, ['created_at', 'user']);
  const page = paginate(sorted, ctx.request, ctx.query.page, ctx.query.page_size);
  const results = page.results.map(({ item, account }) => ({
    created_at: item.created_at,
    user: renderUserSummary(account),
    plan: item.plan,
    option: item.option,
    full_name: item.full_name,
    sync_on: item.sync_on,
  }));
  return { status: 200, body: { ...page, results } };
}

const USER_SEARCH_FIELDS = ['slug', 'email', 'full_name'];
const USER_ORDER_FIELDS = ['slug', 'email', 'full_name', 'created_at'];

/**
 * The top of the funnel: users with no role, or roles (pending ones too) only on profiles that never had a
 * subscription, created within start_at/ends_at.
 */
export function metrics_registered_list(ctx: Ctx<'metrics_registered_list'>): Reply<'metrics_registered_list'> {
  requireBrokerManager(ctx.state, ctx.principal);
  const { state } = ctx;
  const now = ctx.now();
  const subscribed = new Set(state.subscriptions.map((s) => s.organization));
  const terms = searchTerms(ctx.query.q);
  const users = state.users.filter(
    (user) =>
      !state.roles.some((r) => r.user === user.slug && subscribed.has(r.organization)) &&
      inDateRange(user.created_at, ctx.query.start_at, ctx.query.ends_at, now) &&
      matchesSearch(user as unknown as Record<string, unknown>, USER_SEARCH_FIELDS, terms),
  );
  const sorted = order(users, ctx.query.o, ctx.query.ot, USER_ORDER_FIELDS, ['created_at', 'slug']);
  const page = paginate(sorted, ctx.request, ctx.query.page, ctx.query.page_size);
  return { status: 200, body: { ...page, results: page.results.map(renderUserSummary) } };
}
