/** Subscription grants and requests: their keys, accepted once. */
import { describe, expect, it } from 'vitest';
import { djaoappFixtures } from '../../../../fixtures/djaoapp/index.ts';
import { newSubscriptionKeys, optinKey, subscribe } from './optins.ts';
import type { DjaoappState, PlanRecord, SubscriptionRecord } from '../state.ts';
import { updatedEndsAt } from '../subscriptions/subscriptions.ts';

const d = (iso: string) => new Date(iso);
const plan = (state: DjaoappState, slug: string) => state.plans.find((p) => p.slug === slug)!;
const sub = (state: DjaoappState, id: number) => state.subscriptions.find((s) => s.id === id)!;

describe('subscription grants and requests', () => {
  it("keys: a provider's grant waits unless skip_optin_on_grant; a subscriber's request waits only with optin_on_request", () => {
    const base = djaoappFixtures().plans[0]!;
    expect(optinKey()).toMatch(/^[0-9a-f]{40}$/);
    expect(optinKey()).not.toBe(optinKey());
    expect(newSubscriptionKeys(base, 'provider')).toEqual({
      grant_key: expect.stringMatching(/^[0-9a-f]{40}$/),
      request_key: null,
    });
    expect(newSubscriptionKeys({ ...base, skip_optin_on_grant: true }, 'provider')).toEqual({
      grant_key: null,
      request_key: null,
    });
    expect(newSubscriptionKeys(base, 'subscriber')).toEqual({ grant_key: null, request_key: null });
    expect(newSubscriptionKeys({ ...base, optin_on_request: true }, 'subscriber')).toEqual({
      grant_key: null,
      request_key: expect.any(String),
    });
  });

  it('subscribe starts one period from now, or answers the current subscription', () => {
    const state = djaoappFixtures();
    const now = d('2018-06-01T00:00:00Z');
    const premium = plan(state, 'premium');
    const first = subscribe(state, 'xia', premium, now, 'provider');
    expect(first.created).toBe(true);
    expect(first.subscription).toMatchObject({
      id: 3,
      created_at: '2018-06-01T00:00:00.000Z',
      ends_at: '2018-07-01T00:00:00Z',
      auto_renew: true,
      request_key: null,
    });
    expect(first.subscription.grant_key).toMatch(/^[0-9a-f]{40}$/);
    expect(subscribe(state, 'xia', premium, now, 'provider')).toEqual({
      subscription: first.subscription,
      created: false,
    });
    expect(subscribe(state, 'xia', plan(state, 'open-space'), now, 'provider')).toEqual({
      subscription: sub(state, 1),
      created: false,
    });
    const once: PlanRecord = { ...premium, slug: 'once', renewal_type: 'one-time' };
    state.plans.push(once);
    expect(subscribe(state, 'xia', once, now, 'subscriber').subscription).toMatchObject({
      auto_renew: false,
      grant_key: null,
    });
  });

  it('a subscriber brings the end closer only; the provider sets any end', () => {
    const s = { ends_at: '2019-01-01T00:00:00Z' } as SubscriptionRecord;
    const now = d('2018-06-01T00:00:00Z');
    expect(updatedEndsAt(s, d('2020-01-01T00:00:00Z'), true, now)).toBe('2020-01-01T00:00:00Z');
    expect(updatedEndsAt(s, d('2020-01-01T00:00:00Z'), false, now)).toBe('2019-01-01T00:00:00Z');
    expect(updatedEndsAt(s, d('2018-09-01T00:00:00Z'), false, now)).toBe('2018-09-01T00:00:00Z');
    expect(updatedEndsAt(s, d('2018-02-01T00:00:00Z'), false, now)).toBe('2018-06-01T00:00:00Z');
  });
});
