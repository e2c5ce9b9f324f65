/**
 * Opt-ins: the keys of grants (a manager or provider offers, the user or subscriber accepts) and requests (the
 * user or subscriber asks, a manager or provider accepts), for roles and subscriptions alike.
 */
import { randomBytes } from 'node:crypto';
import { isoInstant, periodEnd } from './periods.ts';
import { isCurrent } from './renewals.ts';
import type { DjaoappState, PlanRecord, SubscriptionRecord } from '../state.ts';

/** A grant or request key: 40 hexadecimal characters, as djaodjin's generate_random_slug. */
export function optinKey(): string {
  return randomBytes(20).toString('hex');
}

/** Who starts a subscription: the plan's provider (a grant) or the subscriber (a request, e.g. at checkout). */
export type SubscriptionOrigin = 'provider' | 'subscriber';

/**
 * The keys a new subscription starts with: a provider's grant waits for the subscriber unless the plan has
 * skip_optin_on_grant; a subscriber's request waits for the provider when the plan has optin_on_request.
 */
export function newSubscriptionKeys(
  plan: PlanRecord,
  origin: SubscriptionOrigin,
): { grant_key: string | null; request_key: string | null } {
  if (origin === 'provider') return { grant_key: plan.skip_optin_on_grant ? null : optinKey(), request_key: null };
  return { grant_key: null, request_key: plan.optin_on_request ? optinKey() : null };
}

/** The subscriber's current (not yet ended) subscription to the plan, the one ending first. */
export function currentSubscription(
  state: DjaoappState,
  subscriber: string,
  plan: string,
  now: Date,
): SubscriptionRecord | undefined {
  return state.subscriptions
    .filter((s) => s.organization === subscriber && s.plan === plan && isCurrent(s, now))
    .sort((a, b) => Date.parse(a.ends_at) - Date.parse(b.ends_at))[0];
}

/**
 * Subscribes `subscriber` to `plan` for one period from `now`, unless a current subscription exists (that one is
 * returned, `created` false). Keys per `newSubscriptionKeys`; auto_renew unless the plan is one-time.
 */
export function subscribe(
  state: DjaoappState,
  subscriber: string,
  plan: PlanRecord,
  now: Date,
  origin: SubscriptionOrigin,
): { subscription: SubscriptionRecord; created: boolean } {
  const existing = currentSubscription(state, subscriber, plan.slug, now);
  if (existing) return { subscription: existing, created: false };
  const subscription: SubscriptionRecord = {
    id: state.next_ids.subscription++,
    organization: subscriber,
    plan: plan.slug,
    created_at: now.toISOString(),
    ends_at: isoInstant(periodEnd(plan, now)),
    auto_renew: plan.renewal_type !== 'one-time',
    description: null,
    extra: null,
    ...newSubscriptionKeys(plan, origin),
  };
  state.subscriptions.push(subscription);
  return { subscription, created: true };
}
