/**
 * Handlers of subscriptions, from both sides: the provider's (/api/profile/{organization}/plans/{plan}/subscriptions/,
 * /subscribers/, /subscribers/accept/{request_key}/) and the subscriber's (/api/profile/{organization}/subscriptions/).
 */
import { bodyInstant } from '../model/dates.ts';
import { detail, fieldErrors, notFound } from '../model/errors.ts';
import { inDateRange, matchesSearch, order, paginate, searchTerms } from '../model/lists.ts';
import { currentSubscription, subscribe } from '../model/optins.ts';
import { sendEmail } from '../model/outbox.ts';
import { requireProfileAccess } from '../model/permissions.ts';
import { planOr404 } from '../model/plans-store.ts';
import {
  addProfile,
  findProfile,
  newProfileRecord,
  PROFILE_ORDER_FIELDS,
  PROFILE_SEARCH_FIELDS,
  profileOr404,
} from '../model/profiles-store.ts';
import { printableName, profileRecord, renderProfile } from '../model/render.ts';
import { isCurrent, latestEnd, subscriberState, subscriptionState, unsubscribe } from '../model/renewals.ts';
import { isoInstant } from '../model/periods.ts';
import type { PlanRecord, ProfileRecord, SubscriptionRecord } from '../state.ts';
import { managersOf } from '../model/roles-store.ts';
import { editable, renderSubscriptionFor, subscriptionsPage } from '../model/subscriptions-page.ts';
import { findUserByEmail, invitedUser } from '../model/users-store.ts';
import { sameEmail, slugify, uniqueSlug } from '../model/values.ts';
import type { Ctx, OkReply, Query, Reply } from '../model/context.ts';

/** The `state` filter: active, pending, or expired (churned); any other value filters nothing. */
function inState(sub: SubscriptionRecord, wanted: string | undefined, now: Date): boolean {
  const state = subscriptionState(sub, now);
  switch (wanted?.toLowerCase()) {
    case 'active':
      return state === 'active';
    case 'pending':
      return state === 'pending';
    case 'expired':
    case 'churned':
      return state === 'expired';
    default:
      return true;
  }
}

/** A page of subscriptions: state, q, start_at/ends_at (on created_at), o/ot (default: the earliest to end first). */
function listSubscriptions(
  ctx: Ctx & { query: Query },
  subs: SubscriptionRecord[],
  extra: (sub: SubscriptionRecord) => object = () => ({}),
): OkReply {
  const now = ctx.now();
  const chosen = subs.filter(
    (s) => inState(s, ctx.query.state, now) && inDateRange(s.created_at, ctx.query.start_at, ctx.query.ends_at, now),
  );
  return subscriptionsPage(ctx, chosen, extra);
}

// --- the provider's side ---

function providerPlan(
  ctx: Ctx & { params: { organization: string; plan: string } },
  access: 'read' | 'manage',
): { provider: ProfileRecord; plan: PlanRecord } {
  requireProfileAccess(ctx.state, ctx.principal, ctx.params.organization, access);
  const provider = profileOr404(ctx.state, ctx.params.organization);
  return { provider, plan: planOr404(ctx, provider.slug) };
}

export function plan_subscriptions_list(ctx: Ctx<'plan_subscriptions_list'>): Reply<'plan_subscriptions_list'> {
  const { plan } = providerPlan(ctx, 'read');
  const subs = ctx.state.subscriptions.filter((s) => s.plan === plan.slug);
  // The docs' example lists the subscriber's slug and full name beside each subscription.
  return listSubscriptions(ctx, subs, (sub) => {
    const profile = profileRecord(ctx.state, sub.organization)!;
    return { slug: profile.slug, full_name: profile.full_name };
  });
}

interface GrantInput {
  organization: { slug?: string; full_name?: string; email?: string; type?: 'organization' | 'personal' } & Record<
    string,
    unknown
  >;
  message?: string | null;
}

/** A profile created for an invitation (?force=1): managed by the user with its e-mail (invited when new). */
function invitedProfile(ctx: Ctx, input: GrantInput['organization'], email: string): ProfileRecord {
  const { state } = ctx;
  const now = ctx.now();
  const taken = (s: string) => state.profiles.some((p) => p.slug === s) || state.users.some((u) => u.slug === s);
  const fullName = input.full_name ?? input.slug ?? email.split('@')[1]!.split('.').slice(-2, -1)[0] ?? email;
  const manager =
    findUserByEmail(state, email) ?? invitedUser(state, email, input.type === 'personal' ? fullName : '', now);
  const slug =
    input.type === 'personal' && !findProfile(state, manager.slug)
      ? manager.slug
      : uniqueSlug(slugify(input.slug ?? fullName) || 'profile', taken);
  const record = newProfileRecord(
    state,
    slug,
    { ...(input as object), full_name: fullName, email, type: input.type ?? 'organization' },
    email,
    now,
  );
  return addProfile(state, record, manager);
}

/**
 * The provider subscribes a profile (named by slug or e-mail) to the plan: a grant the subscriber accepts with its
 * grant_key (PUT /api/users/{user}/accessibles/accept/{key}/), unless the plan has skip_optin_on_grant. A current
 * subscription is answered as is (200). An unknown profile is a 404, or with ?force=1 and an e-mail an invitation.
 */
export function plan_subscriptions_create(ctx: Ctx<'plan_subscriptions_create'>): Reply<'plan_subscriptions_create'> {
  const { provider, plan } = providerPlan(ctx, 'manage');
  const { state } = ctx;
  const input = ctx.body;
  const org = input.organization;
  if (!org.slug && !(org.email && org.full_name))
    throw fieldErrors({
      organization: { non_field_errors: ['One of slug or (full_name, email, type) should be present'] },
    });
  let subscriber = org.slug ? (findProfile(state, slugify(org.slug)) ?? findProfile(state, org.slug)) : undefined;
  subscriber ??= org.email ? state.profiles.find((p) => sameEmail(p.email, org.email!)) : undefined;
  const force = ['1', 'true', 'yes', 'on'].includes(String(ctx.query.force ?? '').toLowerCase());
  if (!subscriber && !force) throw detail(404, `Profile ${org.slug ?? org.email} does not exist.`);
  if (!subscriber && !org.email)
    throw fieldErrors({ email: ['We cannot invite an organization without an e-mail address.'] });
  const now = ctx.now();
  subscriber ??= invitedProfile(ctx, org, org.email!);
  const { subscription, created } = subscribe(state, subscriber.slug, plan, now, 'provider');
  if (created) {
    const to = managersOf(state, subscriber.slug).map((m) => m.email);
    const link = subscription.grant_key
      ? `/api/users/<your username>/accessibles/accept/${subscription.grant_key}/`
      : null;
    sendEmail(state, now, {
      template: 'subscription_grant_created',
      to: to.length ? to : [subscriber.email],
      subject: `${printableName(provider)} subscribed ${printableName(subscriber)} to ${plan.title}`,
      body: `${input.message ? `${input.message}\n\n` : ''}${link ? `A manager of ${subscriber.slug} accepts it: PUT ${link}\n` : 'It is active now.\n'}`,
      context: {
        organization: subscriber.slug,
        plan: plan.slug,
        grant_key: subscription.grant_key,
        message: input.message ?? null,
      },
    });
  }
  return { status: created ? 201 : 200, body: renderSubscriptionFor(ctx, subscription) };
}

function providerSubscription(
  ctx: Ctx & { params: { organization: string; plan: string; subscriber: string } },
  access: 'read' | 'manage',
): SubscriptionRecord {
  const { plan } = providerPlan(ctx, access);
  const sub = currentSubscription(ctx.state, ctx.params.subscriber, plan.slug, ctx.now());
  if (!sub) throw notFound();
  return sub;
}

export function plan_subscription_retrieve(
  ctx: Ctx<'plan_subscription_retrieve'>,
): Reply<'plan_subscription_retrieve'> {
  return { status: 200, body: renderSubscriptionFor(ctx, providerSubscription(ctx, 'read')) };
}

/**
 * The new ends_at of an update. The provider (its managers, the broker's) sets any date after the start; the
 * subscriber can only bring the end closer ("unsubscribes at a future date"): a later date keeps the paid end, as
 * djaodjin keeps it, and a past one ends the subscription now.
 */
export function updatedEndsAt(sub: SubscriptionRecord, requested: Date, asProvider: boolean, now: Date): string {
  if (asProvider) return isoInstant(requested);
  const current = Date.parse(sub.ends_at);
  const end = Math.max(Math.min(requested.getTime(), current), Math.min(now.getTime(), current));
  return end === current ? sub.ends_at : isoInstant(new Date(end));
}

function applyUpdate(
  ctx: Ctx<'plan_subscription_update' | 'subscription_update'>,
  sub: SubscriptionRecord,
  asProvider: boolean,
): void {
  const input = ctx.body;
  const requested = bodyInstant('ends_at', input.ends_at);
  if (requested.getTime() <= Date.parse(sub.created_at))
    throw fieldErrors({ ends_at: ['The subscription cannot end before it starts.'] });
  const endsAt = updatedEndsAt(sub, requested, asProvider, ctx.now());
  // Bringing the end closer is unsubscribing at that date: the subscription then ends there, unless told to renew.
  if (Date.parse(endsAt) < Date.parse(sub.ends_at) && input.auto_renew === undefined) sub.auto_renew = false;
  sub.ends_at = endsAt;
  if (input.description !== undefined) sub.description = input.description;
  if (input.auto_renew !== undefined) sub.auto_renew = input.auto_renew;
  if (input.extra !== undefined) sub.extra = input.extra;
}

export function plan_subscription_update(ctx: Ctx<'plan_subscription_update'>): Reply<'plan_subscription_update'> {
  const sub = providerSubscription(ctx, 'manage');
  applyUpdate(ctx, sub, true);
  return { status: 200, body: renderSubscriptionFor(ctx, sub) };
}

/** Ends the subscriber's current subscriptions to the plan now (they expire and do not renew): 204, repeatable. */
export function plan_subscription_destroy(ctx: Ctx<'plan_subscription_destroy'>): Reply<'plan_subscription_destroy'> {
  const { plan } = providerPlan(ctx, 'manage');
  const now = ctx.now();
  for (const sub of ctx.state.subscriptions)
    if (sub.organization === ctx.params.subscriber && sub.plan === plan.slug) unsubscribe(sub, now);
  return { status: 204 };
}

/** Profiles that have or had a subscription to the provider's plans, with the latest end of those subscriptions. */
export function subscribers_list(ctx: Ctx<'subscribers_list'>): Reply<'subscribers_list'> {
  requireProfileAccess(ctx.state, ctx.principal, ctx.params.organization, 'read');
  const provider = profileOr404(ctx.state, ctx.params.organization);
  const now = ctx.now();
  const plans = new Set(ctx.state.plans.filter((p) => p.organization === provider.slug).map((p) => p.slug));
  const bySubscriber = new Map<string, SubscriptionRecord[]>();
  for (const sub of ctx.state.subscriptions)
    if (plans.has(sub.plan)) bySubscriber.set(sub.organization, [...(bySubscriber.get(sub.organization) ?? []), sub]);
  const wanted = ctx.query.state?.toLowerCase();
  const terms = searchTerms(ctx.query.q);
  const rows = [...bySubscriber]
    .flatMap(([slug, subs]) => {
      const profile = profileRecord(ctx.state, slug);
      return profile ? [{ profile, ...profile, ends_at: latestEnd(subs)!, standing: subscriberState(subs, now) }] : [];
    })
    .filter(
      (row) =>
        (!wanted ||
          !['active', 'pending', 'churned', 'expired'].includes(wanted) ||
          row.standing === (wanted === 'expired' ? 'churned' : wanted)) &&
        matchesSearch(row as unknown as Record<string, unknown>, PROFILE_SEARCH_FIELDS, terms) &&
        inDateRange(row.created_at, ctx.query.start_at, ctx.query.ends_at, now),
    );
  const sorted = order(rows, ctx.query.o, ctx.query.ot, [...PROFILE_ORDER_FIELDS, 'ends_at'], ['full_name', 'slug']);
  const page = paginate(sorted, ctx.request, ctx.query.page, ctx.query.page_size);
  return {
    status: 200,
    body: { ...page, results: page.results.map((row) => ({ ...renderProfile(row.profile), ends_at: row.ends_at })) },
  };
}

/** The provider accepts a subscriber's request (a plan with optin_on_request): 200, then 404 for the same key. */
export function subscribers_accept(ctx: Ctx<'subscribers_accept'>): Reply<'subscribers_accept'> {
  requireProfileAccess(ctx.state, ctx.principal, ctx.params.organization, 'manage');
  const provider = profileOr404(ctx.state, ctx.params.organization);
  const { state } = ctx;
  const sub = state.subscriptions.find(
    (s) =>
      s.request_key === ctx.params.request_key &&
      state.plans.some((p) => p.slug === s.plan && p.organization === provider.slug),
  );
  if (!sub) throw notFound();
  const key = sub.request_key;
  sub.request_key = null;
  const subscriber = profileRecord(state, sub.organization)!;
  const to = managersOf(state, subscriber.slug).map((m) => m.email);
  sendEmail(state, ctx.now(), {
    template: 'subscription_request_accepted',
    to: to.length ? to : [subscriber.email],
    subject: `${printableName(provider)} accepted your subscription to ${sub.plan}`,
    body: `${subscriber.slug} is subscribed to ${sub.plan} until ${sub.ends_at}.\n`,
    context: { organization: subscriber.slug, plan: sub.plan, request_key: key },
  });
  return { status: 200, body: renderSubscriptionFor(ctx, sub) };
}

// --- the subscriber's side ---

export function subscriptions_list(ctx: Ctx<'subscriptions_list'>): Reply<'subscriptions_list'> {
  requireProfileAccess(ctx.state, ctx.principal, ctx.params.organization, 'read');
  const subscriber = profileOr404(ctx.state, ctx.params.organization);
  return listSubscriptions(
    ctx,
    ctx.state.subscriptions.filter((s) => s.organization === subscriber.slug),
  );
}

function subscriberSubscription(
  ctx: Ctx & { params: { organization: string; subscribed_plan: string } },
  access: 'read' | 'manage',
): SubscriptionRecord {
  requireProfileAccess(ctx.state, ctx.principal, ctx.params.organization, access);
  const subscriber = profileOr404(ctx.state, ctx.params.organization);
  const sub = currentSubscription(ctx.state, subscriber.slug, ctx.params.subscribed_plan, ctx.now());
  if (!sub) throw notFound();
  return sub;
}

export function subscription_retrieve(ctx: Ctx<'subscription_retrieve'>): Reply<'subscription_retrieve'> {
  return { status: 200, body: renderSubscriptionFor(ctx, subscriberSubscription(ctx, 'read')) };
}

export function subscription_update(ctx: Ctx<'subscription_update'>): Reply<'subscription_update'> {
  const sub = subscriberSubscription(ctx, 'manage');
  const plan = ctx.state.plans.find((p) => p.slug === sub.plan)!;
  applyUpdate(ctx, sub, editable(ctx, plan));
  return { status: 200, body: renderSubscriptionFor(ctx, sub) };
}

/** Unsubscribes now: the current subscriptions to the plan end (ends_at = now, no renewal). 204, repeatable. */
export function subscription_destroy(ctx: Ctx<'subscription_destroy'>): Reply<'subscription_destroy'> {
  requireProfileAccess(ctx.state, ctx.principal, ctx.params.organization, 'manage');
  const subscriber = profileOr404(ctx.state, ctx.params.organization);
  const now = ctx.now();
  for (const sub of ctx.state.subscriptions)
    if (sub.organization === subscriber.slug && sub.plan === ctx.params.subscribed_plan && isCurrent(sub, now))
      unsubscribe(sub, now);
  return { status: 204 };
}
