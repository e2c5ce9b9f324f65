/**
 * Subscriptions over time, by the sandbox clock: their state (pending, active, expired), the renewal job, and
 * unsubscribing.
 *
 * djaodjin renews with a job that runs through the day: a subscription that is still valid when its period ends
 * and is set to auto-renew (on a plan that renews) is extended by one period; one that had already ended when the
 * job last ran stays ended — it has churned. Standin runs that job lazily before every request: `renewals_at` is
 * the instant up to which it has run (the last write to the sandbox), so a subscription whose ends_at falls between
 * that instant and now is renewed, period by period, until it ends after now.
 */
import { isoInstant, periodEnd } from './periods.ts';
import type { DjaoappState, PlanRecord, SubscriptionRecord } from '../state.ts';

export type SubscriptionState = 'pending' | 'active' | 'expired' | 'upcoming';

const at = (iso: string): number => Date.parse(iso);

/** Waiting for the subscriber (grant_key) or the provider (request_key) to accept. */
export function isPending(sub: Pick<SubscriptionRecord, 'grant_key' | 'request_key'>): boolean {
  return sub.grant_key !== null || sub.request_key !== null;
}

/** Where a subscription stands at `now`. */
export function subscriptionState(sub: SubscriptionRecord, now: Date): SubscriptionState {
  if (at(sub.ends_at) <= now.getTime()) return 'expired';
  if (isPending(sub)) return 'pending';
  return at(sub.created_at) <= now.getTime() ? 'active' : 'upcoming';
}

export const isActive = (sub: SubscriptionRecord, now: Date): boolean => subscriptionState(sub, now) === 'active';

/** Not yet ended at `now` (active, pending or upcoming): what a subscriber's "current" subscription is. */
export const isCurrent = (sub: SubscriptionRecord, now: Date): boolean => at(sub.ends_at) > now.getTime();

/** Does this subscription renew when its period ends? */
export function renews(sub: SubscriptionRecord, plan: PlanRecord | undefined): boolean {
  return Boolean(plan && sub.auto_renew && !isPending(sub) && plan.renewal_type !== 'one-time');
}

/** One period added to a subscription by the renewal job: what part 3 bills (period_amount of the plan). */
export interface RenewalEvent {
  subscription: number;
  organization: string;
  plan: string;
  provider: string;
  period_start: string;
  period_end: string;
  amount: number;
  unit: string;
}

/** Guard against a runaway loop (an hourly plan renewed over centuries). */
const MAX_RENEWALS_PER_SUBSCRIPTION = 100_000;

/**
 * Runs the renewal job from `state.renewals_at` to `now`: extends every subscription due in between, period by
 * period, and returns the periods added, oldest first. A clock moved back rewinds the job to `now`.
 */
export function renewDue(state: DjaoappState, now: Date): RenewalEvent[] {
  const since = at(state.renewals_at);
  const until = now.getTime();
  if (until < since) {
    state.renewals_at = now.toISOString();
    return [];
  }
  const events: RenewalEvent[] = [];
  for (const sub of state.subscriptions) {
    const ends = at(sub.ends_at);
    if (ends <= since || ends > until) continue;
    const plan = state.plans.find((p) => p.slug === sub.plan);
    if (!renews(sub, plan)) continue;
    for (let i = 0; at(sub.ends_at) <= until && i < MAX_RENEWALS_PER_SUBSCRIPTION; i++) {
      const start = sub.ends_at;
      sub.ends_at = isoInstant(periodEnd(plan!, new Date(start)));
      events.push({
        subscription: sub.id,
        organization: sub.organization,
        plan: plan!.slug,
        provider: plan!.organization,
        period_start: start,
        period_end: sub.ends_at,
        amount: plan!.period_amount,
        unit: plan!.unit,
      });
    }
  }
  if (events.length) state.renewals_at = now.toISOString();
  events.sort((a, b) => at(a.period_start) - at(b.period_start) || a.subscription - b.subscription);
  return events;
}

/** The renewal job has seen every change up to `now` (called after each successful write). */
export function renewalsSeen(state: DjaoappState, now: Date): void {
  if (at(state.renewals_at) < now.getTime()) state.renewals_at = now.toISOString();
}

/** Ends a subscription at `now` (it expires, and does not renew). A subscription already ended is left alone. */
export function unsubscribe(sub: SubscriptionRecord, now: Date): boolean {
  if (!isCurrent(sub, now)) return false;
  sub.ends_at = isoInstant(now);
  sub.auto_renew = false;
  return true;
}

/** A subscriber's standing with a provider: active while any subscription is, churned once all have ended. */
export function subscriberState(subs: SubscriptionRecord[], now: Date): 'active' | 'pending' | 'churned' | 'upcoming' {
  const states = subs.map((s) => subscriptionState(s, now));
  if (states.includes('active')) return 'active';
  if (states.includes('pending')) return 'pending';
  if (states.includes('upcoming')) return 'upcoming';
  return 'churned';
}

/** The latest ends_at of a list of subscriptions (null for none). */
export function latestEnd(subs: SubscriptionRecord[]): string | null {
  return subs.reduce<string | null>((max, s) => (max === null || at(s.ends_at) > at(max) ? s.ends_at : max), null);
}
