/** Which ledger transactions each billing list shows. */
import { describe, expect, it } from 'vitest';
import { djaoappFixtures } from '../../../../fixtures/djaoapp/index.ts';
import { post, refundLine } from '../model/ledger.ts';
import {
  inHistory,
  isReceivable,
  isTransfer,
  netInto,
  nextBillingAt,
  orderingWithDate,
  providersOf,
} from './ledger-lists.ts';

const now = new Date('2018-07-01T00:00:00Z');

describe('which transactions each list shows', () => {
  const ids = (state: ReturnType<typeof djaoappFixtures>, keep: (tx: (typeof state.transactions)[number]) => boolean) =>
    state.transactions.filter(keep).map((tx) => tx.id);

  it("history: the subscriber's orders, payment and refunds, not its own moves from Payable to Liability", () => {
    const state = djaoappFixtures();
    expect(ids(state, (tx) => inHistory(tx, 'xia'))).toEqual([1, 2, 3]);
    refundLine(state, now, state.transactions[0]!, 100, 'ch_XAb124EF', 'Refund');
    // The refund to xia (10) is hers; the distribution cancelled (11) is between cowork and the processor.
    expect(ids(state, (tx) => inHistory(tx, 'xia'))).toEqual([1, 2, 3, 10]);
    expect(ids(state, (tx) => inHistory(tx, 'cowork'))).toEqual([]);
  });

  it("receivables: the provider's order lines; transfers: its Funds, in and out (payouts, refunds)", () => {
    const state = djaoappFixtures();
    expect(ids(state, (tx) => isReceivable(tx, 'cowork'))).toEqual([1, 2]);
    expect(ids(state, (tx) => isReceivable(tx, 'xia'))).toEqual([]);
    expect(ids(state, (tx) => isTransfer(tx, 'cowork'))).toEqual([6, 9]);
    post(state, now, {
      descr: 'Payout',
      event_id: null,
      orig: ['cowork', 'Funds'],
      dest: ['cowork', 'Withdraw'],
      amount: 500,
      unit: 'usd',
    });
    expect(ids(state, (tx) => isTransfer(tx, 'cowork'))).toEqual([6, 9, 10]);
    refundLine(state, now, state.transactions[0]!, 100, 'ch_XAb124EF', 'Refund');
    // Of a refund, the funds taken back (12); the refund to xia (11) goes into cowork's Refund account, not its Funds.
    expect(ids(state, (tx) => isTransfer(tx, 'cowork'))).toEqual([6, 9, 10, 12]);
  });

  it('netInto: what went into the accounts selected minus what left them, in one unit', () => {
    const state = djaoappFixtures();
    const txs = state.transactions;
    expect(netInto(txs, 'usd', (org, account) => org === 'cowork' && account === 'Funds')).toBe(112120);
    expect(netInto(txs, 'usd', (_org, account) => account === 'Funds')).toBe(112120);
    expect(netInto(txs, 'usd', () => true)).toBe(0);
    expect(netInto(txs, 'eur', () => true)).toBe(0);
  });

  it('o=date orders by created_at, either way', () => {
    expect(orderingWithDate(['date'])).toEqual(['created_at']);
    expect(orderingWithDate(['-date,amount'])).toEqual(['-created_at', 'amount']);
    expect(orderingWithDate(undefined)).toBeUndefined();
  });

  it('next_billing_at: the soonest end of a period that renews', () => {
    const state = djaoappFixtures();
    expect(nextBillingAt(state, now)).toBe('2019-01-01T00:00:00Z');
    state.subscriptions[0]!.auto_renew = false;
    expect(nextBillingAt(state, now)).toBeNull();
  });

  it('providersOf: the providers of the plans a profile subscribes or subscribed to', () => {
    const state = djaoappFixtures();
    expect(providersOf(state, 'xia')).toEqual(['cowork']);
    expect(providersOf(state, 'cowork')).toEqual([]);
  });
});
