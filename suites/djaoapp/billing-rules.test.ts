/**
 * The rules of charges and the ledger lists, called directly on the fixtures' ledger (charge ch_XAb124EF paid
 * cowork's order lines 1 and 2, 30000 and 82120 cents, for xia): refunds, write-offs, and which transactions each
 * list shows.
 */
import { describe, expect, it } from 'vitest';
import { djaoappFixtures } from '../../fixtures/djaoapp/index.ts';
import { planRefund } from '../../server/apis/djaoapp/billing/charges.ts';
import { fillEmptyAddress } from '../../server/apis/djaoapp/model/profiles-store.ts';
import { accountBalance, balanceDue, post, refundedOnLine, refundLine, unpaid, writeOffLine } from '../../server/apis/djaoapp/model/ledger.ts';
import {
  inHistory,
  isReceivable,
  isTransfer,
  netInto,
  nextBillingAt,
  orderingWithDate,
  providersOf,
} from '../../server/apis/djaoapp/billing/ledger-lists.ts';
import { dollarsToCents, subscriptionByReference } from '../../server/apis/djaoapp/billing/transfers.ts';

const now = new Date('2018-07-01T00:00:00Z');

function fixtureLines() {
  const state = djaoappFixtures();
  const line = (id: number) => state.transactions.find((tx) => tx.id === id)!;
  return { state, line0: line(1), line1: line(2) };
}

describe('refundLine', () => {
  it('returns the amount to the subscriber and takes it back from the provider\'s funds', () => {
    const { state, line0 } = fixtureLines();
    expect(accountBalance(state, 'cowork', 'Funds', 'usd')).toBe(112120);
    refundLine(state, now, line0, 4000, 'ch_XAb124EF', 'Refund');
    expect(accountBalance(state, 'cowork', 'Funds', 'usd')).toBe(108120);
    // As djaodjin keeps them: the subscriber's Refunded account gives, the Refund accounts receive.
    expect(accountBalance(state, 'xia', 'Refunded', 'usd')).toBe(-4000);
    expect(accountBalance(state, 'cowork', 'Refund', 'usd')).toBe(4000);
    expect(accountBalance(state, 'stripe', 'Refund', 'usd')).toBe(4000);
    // What the processor holds is unchanged (all of the charge was distributed).
    expect(accountBalance(state, 'stripe', 'Funds', 'usd')).toBe(0);
    expect(refundedOnLine(state, line0)).toBe(4000);
    refundLine(state, now, line0, 1000, 'ch_XAb124EF', 'Refund');
    expect(refundedOnLine(state, line0)).toBe(5000);
  });

  it('writes the refund to the subscriber, then the distribution cancelled, both naming the line, at the instant given', () => {
    const { state, line1 } = fixtureLines();
    const before = state.transactions.length;
    refundLine(state, now, line1, 82120, 'ch_XAb124EF', 'Refund of line 1');
    const written = state.transactions.slice(before);
    expect(written.map((tx) => [tx.orig_organization, tx.orig_account, tx.dest_organization, tx.dest_account, tx.orig_amount, tx.dest_amount, tx.line, tx.created_at])).toEqual([
      ['xia', 'Refunded', 'cowork', 'Refund', 82120, 82120, 2, now.toISOString()],
      ['cowork', 'Funds', 'stripe', 'Refund', 82120, 82120, 2, now.toISOString()],
    ]);
    expect(written.map((tx) => [tx.event_id, tx.descr])).toEqual([
      ['ch_XAb124EF', 'Refund of line 1'],
      ['ch_XAb124EF', 'Refund of line 1'],
    ]);
  });

  it('leaves what the subscriber owes alone: a refunded line stays paid', () => {
    const { state, line1 } = fixtureLines();
    refundLine(state, now, line1, 82120, 'ch_XAb124EF', 'Refund');
    expect(unpaid(state, line1)).toBe(0);
    expect(balanceDue(state, 'xia')).toEqual({ amount: 0, unit: 'usd' });
  });
});

describe('writeOffLine', () => {
  it('settles what is left on an unpaid line into the provider\'s Writeoff account', () => {
    const { state } = fixtureLines();
    const base = state.transactions.find((tx) => tx.id === 1)!;
    const line = { ...base, id: 99, dest_amount: 1200, orig_amount: 1200 };
    state.transactions.push(line);
    expect(balanceDue(state, 'xia')).toEqual({ amount: 1200, unit: 'usd' });
    const tx = writeOffLine(state, now, line, 'Balance written off');
    expect(tx).toMatchObject({ orig_organization: 'xia', orig_account: 'Payable', dest_organization: 'cowork', dest_account: 'Writeoff', orig_amount: 1200, line: 99 });
    expect(unpaid(state, line)).toBe(0);
    expect(balanceDue(state, 'xia').amount).toBe(0);
    expect(accountBalance(state, 'cowork', 'Writeoff', 'usd')).toBe(1200);
  });

  it('writes nothing for a line already paid', () => {
    const { state, line0 } = fixtureLines();
    const before = state.transactions.length;
    expect(writeOffLine(state, now, line0, 'Balance written off')).toBeUndefined();
    expect(state.transactions).toHaveLength(before);
  });
});

describe('which transactions each list shows', () => {
  const ids = (state: ReturnType<typeof djaoappFixtures>, keep: (tx: (typeof state.transactions)[number]) => boolean) =>
    state.transactions.filter(keep).map((tx) => tx.id);

  it('history: the subscriber\'s orders, payment and refunds, not its own moves from Payable to Liability', () => {
    const { state } = fixtureLines();
    expect(ids(state, (tx) => inHistory(tx, 'xia'))).toEqual([1, 2, 3]);
    refundLine(state, now, state.transactions[0]!, 100, 'ch_XAb124EF', 'Refund');
    // The refund to xia (10) is hers; the distribution cancelled (11) is between cowork and the processor.
    expect(ids(state, (tx) => inHistory(tx, 'xia'))).toEqual([1, 2, 3, 10]);
    expect(ids(state, (tx) => inHistory(tx, 'cowork'))).toEqual([]);
  });

  it('receivables: the provider\'s order lines; transfers: its Funds, in and out (payouts, refunds)', () => {
    const { state } = fixtureLines();
    expect(ids(state, (tx) => isReceivable(tx, 'cowork'))).toEqual([1, 2]);
    expect(ids(state, (tx) => isReceivable(tx, 'xia'))).toEqual([]);
    expect(ids(state, (tx) => isTransfer(tx, 'cowork'))).toEqual([6, 9]);
    post(state, now, { descr: 'Payout', event_id: null, orig: ['cowork', 'Funds'], dest: ['cowork', 'Withdraw'], amount: 500, unit: 'usd' });
    expect(ids(state, (tx) => isTransfer(tx, 'cowork'))).toEqual([6, 9, 10]);
    refundLine(state, now, state.transactions[0]!, 100, 'ch_XAb124EF', 'Refund');
    // Of a refund, the funds taken back (12); the refund to xia (11) goes into cowork's Refund account, not its Funds.
    expect(ids(state, (tx) => isTransfer(tx, 'cowork'))).toEqual([6, 9, 10, 12]);
  });

  it('netInto: what went into the accounts selected minus what left them, in one unit', () => {
    const { state } = fixtureLines();
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

describe('offline payments', () => {
  it('dollarsToCents takes a decimal string or a number above 0 with at most two decimals', () => {
    expect(dollarsToCents('10.00')).toBe(1000);
    expect(dollarsToCents('10')).toBe(1000);
    expect(dollarsToCents('0.5')).toBe(50);
    expect(dollarsToCents(12.34)).toBe(1234);
    expect(dollarsToCents(' 7.05 ')).toBe(705);
    for (const bad of ['10.001', '0', '0.00', '-1', '1e3', 'ten', '', 0, -2, 1.005]) expect(dollarsToCents(bad), String(bad)).toBeNull();
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

describe('planRefund', () => {
  const charge = (state: ReturnType<typeof djaoappFixtures>) => state.charges[0]!;
  const refused = (run: () => unknown) => {
    try {
      run();
    } catch (error) {
      const { status, body } = error as { status: number; body: unknown };
      return { status, body };
    }
    throw new Error('the refund was accepted');
  };

  it('answers the order line and amount of each line item asked, adding up a line asked twice', () => {
    const { state, line0, line1 } = fixtureLines();
    const plan = planRefund(state, charge(state), [{ num: 0, refunded_amount: 4000 }, { num: 1, refunded_amount: 82120 }, { num: 0, refunded_amount: 1000 }]);
    expect(plan).toEqual([{ line: line0, amount: 5000 }, { line: line1, amount: 82120 }]);
  });

  it('refuses in order: no lines, unknown lines (400), a charge not done, too much on a line, the provider\'s funds (405)', () => {
    const { state } = fixtureLines();
    expect(refused(() => planRefund(state, charge(state), []))).toEqual({ status: 400, body: { lines: ['This list may not be empty.'] } });
    expect(refused(() => planRefund(state, charge(state), [{ num: 3, refunded_amount: 1 }]))).toEqual({ status: 400, body: { lines: [{ num: ['Charge ch_XAb124EF has no line item 3.'] }] } });
    charge(state).state = 'created';
    expect(refused(() => planRefund(state, charge(state), [{ num: 0, refunded_amount: 1 }]))).toEqual({ status: 405, body: { detail: 'You cannot refund a pending charge.' } });
    charge(state).state = 'done';
    refundLine(state, now, state.transactions[0]!, 29000, 'ch_XAb124EF', 'Refund');
    expect(refused(() => planRefund(state, charge(state), [{ num: 0, refunded_amount: 1001 }]))).toEqual({
      status: 405,
      body: { detail: 'Cannot refund $10.01 while there is only $10.00 available on the line item.' },
    });
    post(state, now, { descr: 'Payout', event_id: null, orig: ['cowork', 'Funds'], dest: ['cowork', 'Withdraw'], amount: 83000, unit: 'usd' });
    expect(refused(() => planRefund(state, charge(state), [{ num: 1, refunded_amount: 200 }]))).toEqual({
      status: 405,
      body: { detail: 'Cannot refund $2.00: the funds of cowork are only $1.20.' },
    });
  });
});

describe('fillEmptyAddress', () => {
  const profileWith = (address: Record<string, string>) => ({ ...djaoappFixtures().profiles.find((p) => p.slug === 'xia')!, street_address: '', locality: '', region: '', postal_code: '', country: '', ...address });
  const given = { street_address: '1 Rue de la Paix', locality: 'Paris', region: 'IDF', postal_code: '75002', country: 'FR' };

  it('fills every empty field of the profile', () => {
    const profile = profileWith({});
    fillEmptyAddress(profile, given);
    expect(profile).toMatchObject(given);
  });

  it('replaces no field the profile has', () => {
    const profile = profileWith({ street_address: '185 Berry St', locality: 'San Francisco', region: 'CA', country: 'US' });
    fillEmptyAddress(profile, given);
    expect(profile).toMatchObject({ street_address: '185 Berry St', locality: 'San Francisco', region: 'CA', postal_code: '75002', country: 'US' });
  });

  it('takes country and region together: not when the profile has either, nor when one is missing from the order', () => {
    const withRegion = profileWith({ region: 'CA' });
    fillEmptyAddress(withRegion, given);
    expect(withRegion).toMatchObject({ region: 'CA', country: '' });
    const noRegion = profileWith({});
    fillEmptyAddress(noRegion, { country: 'FR' });
    expect(noRegion).toMatchObject({ region: '', country: '' });
  });
});
