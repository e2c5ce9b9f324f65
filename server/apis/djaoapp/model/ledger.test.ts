/** The ledger's rules, called directly: balances of accounts, what is left to pay, income recognized over time, refunds and write-offs. */
import { describe, expect, it } from 'vitest';
import { djaoappFixtures } from '../../../../fixtures/djaoapp/index.ts';
import {
  accountBalance,
  balanceDue,
  orderLinesOf,
  post,
  readableAmount,
  recognizedIncome,
  refundedOnLine,
  refundLine,
  renderTransaction,
  settleLine,
  unpaid,
  writeOffLine,
} from './ledger.ts';
import type { DjaoappState } from '../state.ts';

const now = new Date('2018-07-01T00:00:00Z');

function fixtureLines() {
  const state = djaoappFixtures();
  const line = (id: number) => state.transactions.find((tx) => tx.id === id)!;
  return { state, line0: line(1), line1: line(2) };
}

const jan = new Date('2030-01-01T00:00:00Z');
const feb = new Date('2030-02-01T00:00:00Z');

/** A sandbox with no money in it yet, and one order line of `amount` billed by cowork to xia for January 2030. */
function ordered(amount: number): { state: DjaoappState; line: ReturnType<typeof post> } {
  const state = djaoappFixtures();
  state.transactions = [];
  const line = post(state, jan, {
    descr: 'Subscription to open-space until 2030/02/01 (1 month)',
    event_id: 'sub_1',
    orig: ['cowork', 'Receivable'],
    dest: ['xia', 'Payable'],
    amount,
    unit: 'usd',
    period: { start: jan.toISOString(), end: feb.toISOString(), subscription: 1 },
  });
  return { state, line };
}

describe('ledger', () => {
  it('an order line is owed by the subscriber and receivable by the provider, and both sides balance', () => {
    const { state, line } = ordered(17999);
    expect(orderLinesOf(state, 'xia')).toEqual([line]);
    expect(accountBalance(state, 'xia', 'Payable', 'usd')).toBe(17999);
    expect(accountBalance(state, 'cowork', 'Receivable', 'usd')).toBe(-17999);
    expect(balanceDue(state, 'xia')).toEqual({ amount: 17999, unit: 'usd' });
    expect(balanceDue(state, 'cowork')).toEqual({ amount: 0, unit: 'usd' });
  });

  it('settling part of a line leaves the rest due; a balance before the settlement still shows it all', () => {
    const { state, line } = ordered(17999);
    const later = new Date('2030-01-15T00:00:00Z');
    settleLine(state, later, line, 7999, 'ch_test', 'Charge ch_test');
    expect(unpaid(state, line)).toBe(10000);
    expect(balanceDue(state, 'xia').amount).toBe(10000);
    expect(accountBalance(state, 'xia', 'Payable', 'usd', later)).toBe(17999);
    expect(accountBalance(state, 'cowork', 'Receivable', 'usd')).toBe(-10000);
    expect(accountBalance(state, 'cowork', 'Backlog', 'usd')).toBe(-7999);
  });

  it('income is recognized as the paid period goes by', () => {
    const { state, line } = ordered(3100);
    settleLine(state, jan, line, 3100, 'ch_test', 'Charge ch_test');
    expect(recognizedIncome(state, 'cowork', 'usd', jan)).toBe(0);
    expect(recognizedIncome(state, 'cowork', 'usd', new Date('2030-01-11T00:00:00Z'))).toBe(1000);
    expect(recognizedIncome(state, 'cowork', 'usd', feb)).toBe(3100);
    expect(recognizedIncome(state, 'cowork', 'usd', new Date('2031-01-01T00:00:00Z'))).toBe(3100);
  });

  it('an unpaid line recognizes no income', () => {
    const { state } = ordered(3100);
    expect(recognizedIncome(state, 'cowork', 'usd', feb)).toBe(0);
  });

  it('refuses amounts that are not whole cents', () => {
    const { state } = ordered(100);
    expect(() =>
      post(state, jan, {
        descr: 'x',
        event_id: null,
        orig: ['a', 'Funds'],
        dest: ['b', 'Funds'],
        amount: 1.5,
        unit: 'usd',
      }),
    ).toThrow();
    expect(() =>
      post(state, jan, {
        descr: 'x',
        event_id: null,
        orig: ['a', 'Funds'],
        dest: ['b', 'Funds'],
        amount: -1,
        unit: 'usd',
      }),
    ).toThrow();
  });

  it('writes amounts as djaodjin does: symbol, two decimals, debits in parentheses', () => {
    expect(readableAmount(112120, 'usd')).toBe('$1121.20');
    expect(readableAmount(35600, 'usd', true)).toBe('($356.00)');
    expect(readableAmount(-5, 'eur')).toBe('(€0.05)');
    expect(readableAmount(1000, 'chf')).toBe('10.00 chf');
  });

  it('renders as a debit only the cash an organization pays out, as djaodjin does', () => {
    const { state, line } = ordered(2000);
    // An order moves no cash: a debit to neither side.
    expect(renderTransaction(line, 'cowork')).toMatchObject({
      is_debit: false,
      amount: '$20.00',
      orig_account: 'Receivable',
    });
    expect(renderTransaction(line, 'xia')).toMatchObject({
      is_debit: false,
      amount: '$20.00',
      dest_account: 'Payable',
    });
    // A charge is cash out of the subscriber into the processor's funds; the distribution, out of the processor's.
    const charge = post(state, jan, {
      descr: 'Charge ch_test',
      event_id: 'ch_test',
      orig: ['xia', 'Liability'],
      dest: ['stripe', 'Funds'],
      amount: 2000,
      unit: 'usd',
    });
    const distribution = post(state, jan, {
      descr: 'ch_test distribution',
      event_id: 'ch_test',
      orig: ['stripe', 'Funds'],
      dest: ['cowork', 'Funds'],
      amount: 2000,
      unit: 'usd',
    });
    expect(renderTransaction(charge, 'xia')).toMatchObject({ is_debit: true, amount: '($20.00)' });
    expect(renderTransaction(charge, 'stripe')).toMatchObject({ is_debit: false, amount: '$20.00' });
    expect(renderTransaction(distribution, 'stripe')).toMatchObject({ is_debit: true, amount: '($20.00)' });
    expect(renderTransaction(distribution, 'cowork')).toMatchObject({ is_debit: false, amount: '$20.00' });
  });

  it('renders a refund as money back to the subscriber, and its funds taken back as a debit to the provider', () => {
    const { state, line } = ordered(2000);
    settleLine(state, jan, line, 2000, 'ch_test', 'Charge ch_test');
    refundLine(state, feb, line, 500, 'ch_test', 'Refund of $5.00 on charge ch_test');
    const [toSubscriber, fromFunds] = state.transactions.slice(-2);
    expect(renderTransaction(toSubscriber!, 'xia')).toMatchObject({
      is_debit: false,
      amount: '$5.00',
      orig_account: 'Refunded',
      dest_account: 'Refund',
    });
    expect(renderTransaction(fromFunds!, 'cowork')).toMatchObject({
      is_debit: true,
      amount: '($5.00)',
      orig_account: 'Funds',
      dest_account: 'Refund',
    });
  });
});

describe('refundLine', () => {
  it("returns the amount to the subscriber and takes it back from the provider's funds", () => {
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
    expect(
      written.map((tx) => [
        tx.orig_organization,
        tx.orig_account,
        tx.dest_organization,
        tx.dest_account,
        tx.orig_amount,
        tx.dest_amount,
        tx.line,
        tx.created_at,
      ]),
    ).toEqual([
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
  it("settles what is left on an unpaid line into the provider's Writeoff account", () => {
    const { state } = fixtureLines();
    const base = state.transactions.find((tx) => tx.id === 1)!;
    const line = { ...base, id: 99, dest_amount: 1200, orig_amount: 1200 };
    state.transactions.push(line);
    expect(balanceDue(state, 'xia')).toEqual({ amount: 1200, unit: 'usd' });
    const tx = writeOffLine(state, now, line, 'Balance written off');
    expect(tx).toMatchObject({
      orig_organization: 'xia',
      orig_account: 'Payable',
      dest_organization: 'cowork',
      dest_account: 'Writeoff',
      orig_amount: 1200,
      line: 99,
    });
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
