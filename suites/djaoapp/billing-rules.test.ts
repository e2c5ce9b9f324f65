/**
 * The rules of charges and the ledger lists, called directly on the fixtures' ledger (charge ch_XAb124EF paid
 * cowork's order lines 1 and 2, 30000 and 82120 cents, for xia): refunds, write-offs, and which transactions each
 * list shows.
 */
import { describe, expect, it } from 'vitest';
import { djaoappFixtures } from '../../fixtures/djaoapp/index.ts';
import { accountBalance, balanceDue, refundedOnLine, refundLine, unpaid, writeOffLine } from '../../server/apis/djaoapp/ledger.ts';

const now = new Date('2018-07-01T00:00:00Z');

function fixtureLines() {
  const state = djaoappFixtures();
  const line = (id: number) => state.transactions.find((tx) => tx.id === id)!;
  return { state, line0: line(1), line1: line(2) };
}

describe('refundLine', () => {
  it('takes the amount back from the provider\'s funds and returns it to the subscriber through the processor', () => {
    const { state, line0 } = fixtureLines();
    expect(accountBalance(state, 'cowork', 'Funds', 'usd')).toBe(112120);
    refundLine(state, now, line0, 4000, 'ch_XAb124EF', 'Refund');
    expect(accountBalance(state, 'cowork', 'Funds', 'usd')).toBe(108120);
    expect(accountBalance(state, 'xia', 'Refunded', 'usd')).toBe(4000);
    // The processor passed the money through: what it still holds is unchanged (all distributed).
    expect(accountBalance(state, 'stripe', 'Funds', 'usd')).toBe(0);
    expect(refundedOnLine(state, line0)).toBe(4000);
    refundLine(state, now, line0, 1000, 'ch_XAb124EF', 'Refund');
    expect(refundedOnLine(state, line0)).toBe(5000);
  });

  it('writes two transactions naming the line, at the instant given', () => {
    const { state, line1 } = fixtureLines();
    const before = state.transactions.length;
    refundLine(state, now, line1, 82120, 'ch_XAb124EF', 'Refund of line 1');
    const written = state.transactions.slice(before);
    expect(written.map((tx) => [tx.orig_organization, tx.orig_account, tx.dest_organization, tx.dest_account, tx.orig_amount, tx.line, tx.created_at])).toEqual([
      ['cowork', 'Funds', 'stripe', 'Funds', 82120, 2, now.toISOString()],
      ['stripe', 'Funds', 'xia', 'Refunded', 82120, 2, now.toISOString()],
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
