/** Offline payments: amounts in dollars, the subscription a reference names. */
import { describe, expect, it } from 'vitest';
import { djaoappFixtures } from '../../../../fixtures/djaoapp/index.ts';
import { dollarsToCents, subscriptionByReference } from './transfers.ts';

describe('offline payments', () => {
  it('dollarsToCents takes a decimal string or a number above 0 with at most two decimals', () => {
    expect(dollarsToCents('10.00')).toBe(1000);
    expect(dollarsToCents('10')).toBe(1000);
    expect(dollarsToCents('0.5')).toBe(50);
    expect(dollarsToCents(12.34)).toBe(1234);
    expect(dollarsToCents(' 7.05 ')).toBe(705);
    for (const bad of ['10.001', '0', '0.00', '-1', '1e3', 'ten', '', 0, -2, 1.005])
      expect(dollarsToCents(bad), String(bad)).toBeNull();
  });

  it('subscriptionByReference reads "<subscriber>-<plan>" among the provider\'s plans, the latest first', () => {
    const state = djaoappFixtures();
    expect(subscriptionByReference(state, 'cowork', 'xia-open-space')?.id).toBe(1);
    expect(subscriptionByReference(state, 'cowork', 'xia-premium')?.id).toBe(2);
    expect(subscriptionByReference(state, 'xia', 'xia-open-space')).toBeUndefined();
    expect(subscriptionByReference(state, 'cowork', 'demo562-open-plus')).toBeUndefined();
    state.subscriptions.push({ ...state.subscriptions[0]!, id: 7, created_at: '2019-06-01T00:00:00Z' });
    expect(subscriptionByReference(state, 'cowork', 'xia-open-space')?.id).toBe(7);
  });
});
