/** The subscription state machine: periods, trials, cancellation, settling, and the state an organization reports. */
import { describe, expect, it } from 'vitest';
import {
  addMonths,
  cancel,
  fallbackFor,
  formatInstant,
  isImmediate,
  reportedState,
  settle,
  trialEnd,
} from './lifecycle.ts';
import type { Organization, Subscription } from './state.ts';

function subscription(over: Partial<Subscription> = {}): Subscription {
  return {
    subscription_id: 1,
    organization_id: 1,
    workspace_id: 1,
    unified: false,
    status: 'active',
    pricing_plan_id: 56,
    last_pricing_plan_id: null,
    seats: 2,
    pending_seats: null,
    currency: 'USD',
    created_at: '2026-01-31T00:00:00Z',
    trial_start: null,
    trial_end: null,
    current_period_start: '2026-01-31T00:00:00Z',
    current_period_end: '2026-02-28T00:00:00Z',
    canceled_at: null,
    cancel_effective_at: null,
    ended_at: null,
    periods: [],
    ...over,
  };
}

describe('lifecycle', () => {
  it('dates: RFC 3339 without milliseconds, calendar months, 30-day trials', () => {
    expect(formatInstant(new Date('2026-11-15T12:00:00.123Z'))).toBe('2026-11-15T12:00:00Z');
    expect(addMonths('2026-11-01T00:00:00Z', 12)).toBe('2027-11-01T00:00:00Z');
    expect(trialEnd('2026-11-15T12:00:00Z')).toBe('2026-12-15T12:00:00Z');
  });

  it('5 users or fewer fall back to Free, more are suspended', () => {
    expect(fallbackFor(1)).toBe('free');
    expect(fallbackFor(5)).toBe('free');
    expect(fallbackFor(6)).toBe('suspended');
  });

  it('immediateCancel: only "true" cancels at once', () => {
    expect(isImmediate('true')).toBe(true);
    expect(isImmediate('TRUE')).toBe(true);
    expect(isImmediate('false')).toBe(false);
    expect(isImmediate('immediate_cancel_example')).toBe(false);
    expect(isImmediate(undefined)).toBe(false);
  });

  it('renews period by period and applies pending seats at the renewal', () => {
    const sub = subscription({
      pending_seats: 4,
      current_period_start: '2026-01-01T00:00:00Z',
      current_period_end: '2026-02-01T00:00:00Z',
    });
    const events = settle(sub, new Date('2026-03-15T00:00:00Z'), 1);
    expect(events).toEqual([
      {
        kind: 'renewed',
        at: '2026-02-01T00:00:00Z',
        period_start: '2026-02-01T00:00:00Z',
        period_end: '2026-03-01T00:00:00Z',
        seats: 4,
      },
      {
        kind: 'renewed',
        at: '2026-03-01T00:00:00Z',
        period_start: '2026-03-01T00:00:00Z',
        period_end: '2026-04-01T00:00:00Z',
        seats: 4,
      },
    ]);
    expect(sub).toMatchObject({ status: 'active', seats: 4, pending_seats: null });
    expect(settle(sub, new Date('2026-03-15T00:00:00Z'), 1)).toEqual([]);
  });

  it('ends an expired trial and a cancellation at its effective date', () => {
    const trial = subscription({
      status: 'trialing',
      trial_start: '2026-01-01T00:00:00Z',
      trial_end: '2026-01-31T00:00:00Z',
    });
    expect(settle(trial, new Date('2026-01-30T23:59:59Z'), 1)).toEqual([]);
    expect(settle(trial, new Date('2026-01-31T00:00:00Z'), 1)).toEqual([
      { kind: 'ended', at: '2026-01-31T00:00:00Z', reason: 'trial_expired' },
    ]);
    const paid = subscription();
    cancel(paid, new Date('2026-02-10T00:00:00Z'), false);
    expect(paid).toMatchObject({
      status: 'canceled',
      cancel_effective_at: '2026-02-28T00:00:00Z',
      canceled_at: '2026-02-10T00:00:00Z',
    });
    expect(settle(paid, new Date('2026-03-10T00:00:00Z'), 1)).toEqual([
      { kind: 'ended', at: '2026-02-28T00:00:00Z', reason: 'canceled' },
    ]);
  });

  it('cancels now when asked, and a trial always at once', () => {
    const paid = subscription();
    cancel(paid, new Date('2026-02-10T00:00:00Z'), true);
    expect(paid).toMatchObject({
      status: 'ended',
      ended_at: '2026-02-10T00:00:00Z',
      current_period_end: '2026-02-10T00:00:00Z',
    });
    const trial = subscription({ status: 'trialing', trial_end: '2026-03-01T00:00:00Z' });
    cancel(trial, new Date('2026-02-10T00:00:00Z'), false);
    expect(trial).toMatchObject({ status: 'ended', trial_end: '2026-02-10T00:00:00Z' });
  });

  it('reports the organization fallback when nothing runs', () => {
    const org = { fallback: 'suspended' } as Organization;
    expect(reportedState(org, undefined)).toBe('suspended');
    expect(reportedState(org, subscription({ status: 'ended' }))).toBe('suspended');
    expect(reportedState(org, subscription({ status: 'canceled' }))).toBe('canceled');
  });
});
