/** Subscriptions by the sandbox clock: their states, and the renewals that come due. */
import { describe, expect, it } from 'vitest';
import { djaoappFixtures } from '../../../../fixtures/djaoapp/index.ts';
import { optinKey } from './optins.ts';
import {
  isActive,
  latestEnd,
  renewalsSeen,
  renewDue,
  subscriberState,
  subscriptionState,
  unsubscribe,
} from './renewals.ts';
import type { DjaoappState } from '../state.ts';

const d = (iso: string) => new Date(iso);
const plan = (state: DjaoappState, slug: string) => state.plans.find((p) => p.slug === slug)!;
const sub = (state: DjaoappState, id: number) => state.subscriptions.find((s) => s.id === id)!;

describe('subscription states by the clock', () => {
  it('pending while a key waits, active within its period, expired (churned) once ends_at is reached', () => {
    const state = djaoappFixtures();
    const openSpace = sub(state, 1);
    expect(subscriptionState(openSpace, d('2018-06-01T00:00:00Z'))).toBe('active');
    expect(subscriptionState(openSpace, d('2019-01-01T00:00:00Z'))).toBe('expired');
    expect(subscriptionState(openSpace, d('2017-06-01T00:00:00Z'))).toBe('upcoming');
    expect(subscriptionState({ ...openSpace, grant_key: 'k' }, d('2018-06-01T00:00:00Z'))).toBe('pending');
    expect(subscriptionState({ ...openSpace, request_key: 'k' }, d('2019-06-01T00:00:00Z'))).toBe('expired');
    expect(isActive(openSpace, d('2018-06-01T00:00:00Z'))).toBe(true);
  });

  it('a subscriber is active while any subscription is, churned once all have ended', () => {
    const state = djaoappFixtures();
    const subs = state.subscriptions.filter((s) => s.organization === 'xia');
    expect(subscriberState(subs, d('2018-06-01T00:00:00Z'))).toBe('active');
    expect(subscriberState(subs, d('2019-06-01T00:00:00Z'))).toBe('churned');
    expect(subscriberState([{ ...subs[0]!, grant_key: 'k' }], d('2018-06-01T00:00:00Z'))).toBe('pending');
    expect(latestEnd(subs)).toBe('2019-01-01T00:00:00Z');
    expect(latestEnd([])).toBeNull();
  });
});

describe('renewals', () => {
  it('renew an auto-renewing subscription period by period once the clock passes its end', () => {
    const state = djaoappFixtures();
    const events = renewDue(state, d('2019-03-15T00:00:00Z'));
    expect(events.map((e) => [e.period_start, e.period_end])).toEqual([
      ['2019-01-01T00:00:00Z', '2019-02-01T00:00:00Z'],
      ['2019-02-01T00:00:00Z', '2019-03-01T00:00:00Z'],
      ['2019-03-01T00:00:00Z', '2019-04-01T00:00:00Z'],
    ]);
    expect(events[0]).toMatchObject({
      subscription: 1,
      organization: 'xia',
      plan: 'open-space',
      provider: 'cowork',
      amount: 17999,
      unit: 'usd',
    });
    expect(sub(state, 1).ends_at).toBe('2019-04-01T00:00:00Z');
    expect(state.renewals_at).toBe('2019-03-15T00:00:00.000Z');
    expect(renewDue(state, d('2019-03-20T00:00:00Z'))).toEqual([]);
  });

  it("leave churned what had ended before the job last ran (the fixture's 2017 subscription to premium)", () => {
    const state = djaoappFixtures();
    renewDue(state, d('2019-03-15T00:00:00Z'));
    expect(sub(state, 2).ends_at).toBe('2017-01-14T23:16:55Z');
  });

  it('never renew a cancelled, pending, one-time or no longer auto-renewing subscription', () => {
    for (const change of [
      (s: DjaoappState) => unsubscribe(sub(s, 1), d('2018-06-01T00:00:00Z')),
      (s: DjaoappState) => void (sub(s, 1).grant_key = optinKey()),
      (s: DjaoappState) => void (sub(s, 1).request_key = optinKey()),
      (s: DjaoappState) => void (sub(s, 1).auto_renew = false),
      (s: DjaoappState) => void (plan(s, 'open-space').renewal_type = 'one-time'),
    ]) {
      const state = djaoappFixtures();
      const before = sub(state, 1).ends_at;
      change(state);
      const ends = sub(state, 1).ends_at;
      expect(renewDue(state, d('2019-06-01T00:00:00Z'))).toEqual([]);
      expect(sub(state, 1).ends_at).toBe(ends);
      expect(ends <= before).toBe(true);
    }
  });

  it('a subscription moved into the past by a write does not renew: the job has seen the write', () => {
    const state = djaoappFixtures();
    const now = d('2018-06-01T00:00:00Z');
    sub(state, 1).ends_at = '2018-05-01T00:00:00Z';
    renewalsSeen(state, now);
    expect(renewDue(state, d('2018-08-01T00:00:00Z'))).toEqual([]);
  });

  it('a clock moved back rewinds the job: what is valid then renews when the clock passes its end again', () => {
    const state = djaoappFixtures();
    state.renewals_at = '2030-01-01T00:00:00Z';
    expect(renewDue(state, d('2018-06-01T00:00:00Z'))).toEqual([]);
    expect(state.renewals_at).toBe('2018-06-01T00:00:00.000Z');
    expect(renewDue(state, d('2019-01-02T00:00:00Z'))).toHaveLength(1);
  });

  it("use the plan's current period and amount", () => {
    const state = djaoappFixtures();
    Object.assign(plan(state, 'open-space'), { period_type: 'weekly', period_length: 2, period_amount: 5000 });
    const events = renewDue(state, d('2019-01-10T00:00:00Z'));
    expect(events).toEqual([
      expect.objectContaining({
        period_start: '2019-01-01T00:00:00Z',
        period_end: '2019-01-15T00:00:00Z',
        amount: 5000,
      }),
    ]);
  });

  it('unsubscribe ends a current subscription now and stops its renewal; an ended one is left alone', () => {
    const state = djaoappFixtures();
    expect(unsubscribe(sub(state, 1), d('2018-06-01T00:00:00Z'))).toBe(true);
    expect(sub(state, 1)).toMatchObject({ ends_at: '2018-06-01T00:00:00Z', auto_renew: false });
    expect(unsubscribe(sub(state, 2), d('2018-06-01T00:00:00Z'))).toBe(false);
    expect(sub(state, 2).ends_at).toBe('2017-01-14T23:16:55Z');
  });
});
