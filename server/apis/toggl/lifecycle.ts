/**
 * The subscription state machine, driven by the sandbox clock:
 *   (none) ──trial──► trialing ──30 days──► ended (→ free or suspended)
 *   trialing | free | suspended ──subscribe──► active ──renewal──► active …
 *   active ──cancel at period end──► canceled ──period end──► ended (→ free or suspended)
 *   trialing | active | canceled ──cancel now──► ended
 * After the end an organization with 5 users or fewer drops to Free; a bigger one is suspended.
 */
import { addDuration } from '../../core/sandbox/clock.ts';
import type { Organization, Subscription } from './state.ts';

export const TRIAL_DAYS = 30;
export const FREE_USER_LIMIT = 5;

/** RFC 3339 without milliseconds, as Toggl writes instants: 2026-11-22T10:00:00Z. */
export function formatInstant(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function addMonths(instant: string, months: number): string {
  return formatInstant(addDuration(new Date(instant), `P${months}M`));
}

export function trialEnd(start: string): string {
  return formatInstant(addDuration(new Date(start), `P${TRIAL_DAYS}D`));
}

/** Where an organization lands when its subscription ends. */
export function fallbackFor(userCount: number): Organization['fallback'] {
  return userCount <= FREE_USER_LIMIT ? 'free' : 'suspended';
}

/** The `immediateCancel` query value: only the string "true" (any case) cancels at once. */
export function isImmediate(value: unknown): boolean {
  return typeof value === 'string' && value.trim().toLowerCase() === 'true';
}

/** The state SubscriptionOutData reports for an organization. */
export function reportedState(
  org: Organization,
  sub: Subscription | undefined,
): 'free' | 'suspended' | 'trialing' | 'active' | 'canceled' {
  if (!sub || sub.status === 'ended') return org.fallback;
  return sub.status;
}

export type LifecycleEvent =
  | { kind: 'renewed'; at: string; period_start: string; period_end: string; seats: number }
  | { kind: 'ended'; at: string; reason: 'trial_expired' | 'canceled' };

/**
 * Brings a subscription up to `now`: ends an expired trial or a cancelled subscription at its period end, and
 * renews an active one period by period. Mutates `sub` and returns what happened, in order.
 */
export function settle(sub: Subscription, now: Date, periodMonths: number): LifecycleEvent[] {
  const events: LifecycleEvent[] = [];
  for (let guard = 0; guard < 10_000; guard++) {
    if (sub.status === 'trialing' && sub.trial_end && new Date(sub.trial_end) <= now) {
      sub.status = 'ended';
      sub.ended_at = sub.trial_end;
      sub.cancel_effective_at ??= sub.trial_end;
      events.push({ kind: 'ended', at: sub.trial_end, reason: 'trial_expired' });
      continue;
    }
    if (sub.status === 'canceled' && sub.cancel_effective_at && new Date(sub.cancel_effective_at) <= now) {
      sub.status = 'ended';
      sub.ended_at = sub.cancel_effective_at;
      events.push({ kind: 'ended', at: sub.cancel_effective_at, reason: 'canceled' });
      continue;
    }
    if (sub.status === 'active' && new Date(sub.current_period_end) <= now) {
      const start = sub.current_period_end;
      sub.current_period_start = start;
      sub.current_period_end = addMonths(start, periodMonths);
      if (sub.pending_seats !== null) {
        sub.seats = sub.pending_seats;
        sub.pending_seats = null;
      }
      events.push({
        kind: 'renewed',
        at: start,
        period_start: start,
        period_end: sub.current_period_end,
        seats: sub.seats,
      });
      continue;
    }
    break;
  }
  return events;
}

/**
 * Schedules or performs a cancellation. A trial always ends at once; `immediate` ends a paid subscription now,
 * otherwise it runs to the end of the current period.
 */
export function cancel(sub: Subscription, now: Date, immediate: boolean): void {
  const at = formatInstant(now);
  sub.canceled_at = at;
  if (immediate || sub.status === 'trialing') {
    sub.status = 'ended';
    sub.ended_at = at;
    sub.cancel_effective_at = at;
    if (sub.trial_end && new Date(sub.trial_end) > now) sub.trial_end = at;
    if (new Date(sub.current_period_end) > now) sub.current_period_end = at;
  } else {
    sub.status = 'canceled';
    sub.cancel_effective_at = sub.current_period_end;
  }
}
