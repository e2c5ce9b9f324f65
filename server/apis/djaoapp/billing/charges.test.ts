/** Planning a refund of a charge's line items. */
import { describe, expect, it } from 'vitest';
import { djaoappFixtures } from '../../../../fixtures/djaoapp/index.ts';
import { planRefund } from './charges.ts';
import { post, refundLine } from '../model/ledger.ts';

const now = new Date('2018-07-01T00:00:00Z');

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
    const state = djaoappFixtures();
    const [line0, line1] = [1, 2].map((id) => state.transactions.find((tx) => tx.id === id)!);
    const plan = planRefund(state, charge(state), [
      { num: 0, refunded_amount: 4000 },
      { num: 1, refunded_amount: 82120 },
      { num: 0, refunded_amount: 1000 },
    ]);
    expect(plan).toEqual([
      { line: line0, amount: 5000 },
      { line: line1, amount: 82120 },
    ]);
  });

  it("refuses in order: no lines, unknown lines (400), a charge not done, too much on a line, the provider's funds (405)", () => {
    const state = djaoappFixtures();
    expect(refused(() => planRefund(state, charge(state), []))).toEqual({
      status: 400,
      body: { lines: ['This list may not be empty.'] },
    });
    expect(refused(() => planRefund(state, charge(state), [{ num: 3, refunded_amount: 1 }]))).toEqual({
      status: 400,
      body: { lines: [{ num: ['Charge ch_XAb124EF has no line item 3.'] }] },
    });
    charge(state).state = 'created';
    expect(refused(() => planRefund(state, charge(state), [{ num: 0, refunded_amount: 1 }]))).toEqual({
      status: 405,
      body: { detail: 'You cannot refund a pending charge.' },
    });
    charge(state).state = 'done';
    refundLine(state, now, state.transactions[0]!, 29000, 'ch_XAb124EF', 'Refund');
    expect(refused(() => planRefund(state, charge(state), [{ num: 0, refunded_amount: 1001 }]))).toEqual({
      status: 405,
      body: { detail: 'Cannot refund $10.01 while there is only $10.00 available on the line item.' },
    });
    post(state, now, {
      descr: 'Payout',
      event_id: null,
      orig: ['cowork', 'Funds'],
      dest: ['cowork', 'Withdraw'],
      amount: 83000,
      unit: 'usd',
    });
    expect(refused(() => planRefund(state, charge(state), [{ num: 1, refunded_amount: 200 }]))).toEqual({
      status: 405,
      body: { detail: 'Cannot refund $2.00: the funds of cowork are only $1.20.' },
    });
  });
});
