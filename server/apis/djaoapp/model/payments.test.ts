/** Orders and payments on the ledger, called directly: order lines, charges (done and declined), renewal billing. */
import { describe, expect, it } from 'vitest';
import { djaoappFixtures } from '../../../../fixtures/djaoapp/index.ts';
import { accountBalance, balanceDue, unpaid } from './ledger.ts';
import { billRenewals, chargeCard, chargeExpDate, postOrderLine, renderCharge } from './payments.ts';
import { renewDue } from './renewals.ts';
import type { DjaoappState } from '../state.ts';

const at = new Date('2018-07-01T00:00:00Z');
const good = { token: 'tok_good', last4: '4242', exp_date: '6/2030', card_name: 'Xia Lee' };
const bad = { token: 'tok_bad', last4: '0002', exp_date: '06/2030', card_name: null };

/** The fixtures with an empty ledger, and a good and a declining test card. */
function world(): DjaoappState {
  const state = djaoappFixtures();
  state.transactions = [];
  state.charges = [];
  state.processor.tokens.push(
    { token: 'tok_good', last4: '4242', exp_date: '06/2030', declines: false },
    { token: 'tok_bad', last4: '0002', exp_date: '06/2030', declines: true },
  );
  return state;
}

function order(state: DjaoappState, amount: number, subscription = 1) {
  return postOrderLine(state, at, {
    provider: 'cowork',
    subscriber: 'xia',
    subscription,
    start: '2018-07-01T00:00:00Z',
    end: '2018-08-01T00:00:00Z',
    amount,
    unit: 'usd',
    descr: 'Subscription to open-space until 2018/08/01 (1 month)',
  });
}

describe('chargeCard', () => {
  it('a done charge pays its lines: the customer owes nothing, the provider has the funds, the processor keeps none', () => {
    const state = world();
    const a = order(state, 17999);
    const b = order(state, 2000, 2);
    expect(balanceDue(state, 'xia')).toEqual({ amount: 19999, unit: 'usd' });
    const charge = chargeCard(state, at, 'xia', [a.id, b.id], good);
    expect(charge).toMatchObject({
      customer: 'xia',
      amount: 19999,
      unit: 'usd',
      state: 'done',
      last4: '4242',
      exp_date: '2030-06-01',
      lines: [a.id, b.id],
    });
    expect(charge.processor_key).toMatch(/^ch_[A-Za-z0-9]{14}$/);
    expect(charge.description).toBe(`Charge ${charge.processor_key} on credit card of Xia Lee`);
    // Each line's distribution to the provider links the provider's receipt and names the subscription it bills.
    const receipt = `<a href='/billing/cowork/receipt/${charge.processor_key}'>${charge.processor_key}</a>`;
    expect(
      state.transactions
        .filter((tx) => tx.dest_account === 'Funds' && tx.dest_organization === 'cowork')
        .map((tx) => [tx.descr, tx.dest_amount]),
    ).toEqual([
      [`Charge ${receipt} distribution for xia-open-space`, 17999],
      [`Charge ${receipt} distribution for xia-premium`, 2000],
    ]);
    expect(unpaid(state, a)).toBe(0);
    expect(balanceDue(state, 'xia').amount).toBe(0);
    expect(accountBalance(state, 'cowork', 'Funds', 'usd')).toBe(19999);
    expect(accountBalance(state, 'stripe', 'Funds', 'usd')).toBe(0);
    // Paid: nothing left to receive; the Backlog account gave what the lines are worth, still to be earned.
    expect(accountBalance(state, 'cowork', 'Receivable', 'usd')).toBe(0);
    expect(accountBalance(state, 'cowork', 'Backlog', 'usd')).toBe(-19999);
    expect(accountBalance(state, 'xia', 'Liability', 'usd')).toBe(0);
  });

  it('charges only what is left on a line', () => {
    const state = world();
    const a = order(state, 17999);
    chargeCard(state, at, 'xia', [a.id], good);
    expect(chargeCard(state, at, 'xia', [a.id], good).amount).toBe(0);
  });

  it('a declined card gives a failed charge and writes nothing: the order is a balance due', () => {
    const state = world();
    const a = order(state, 17999);
    const count = state.transactions.length;
    const charge = chargeCard(state, at, 'xia', [a.id], bad);
    expect(charge.state).toBe('failed');
    expect(state.transactions).toHaveLength(count);
    expect(balanceDue(state, 'xia').amount).toBe(17999);
    expect(accountBalance(state, 'cowork', 'Funds', 'usd')).toBe(0);
  });

  it('renders as the billing API answers a charge', () => {
    const state = world();
    const charge = chargeCard(state, at, 'xia', [order(state, 112120).id], good);
    expect(renderCharge(charge)).toEqual({
      created_at: '2018-07-01T00:00:00.000Z',
      amount: 112120,
      unit: 'usd',
      readable_amount: '$1121.20',
      description: charge.description,
      last4: '4242',
      exp_date: '2030-06-01',
      processor_key: charge.processor_key,
      state: 'done',
    });
  });

  it('a charge records the card expiry as a date', () => {
    expect(chargeExpDate('12/2019')).toBe('2019-12-01');
    expect(chargeExpDate('6/2016')).toBe('2016-06-01');
  });
});

describe('billRenewals', () => {
  it('each renewed period is an order line dated at its start; without a card on file it stays due', () => {
    const state = world();
    const events = renewDue(state, new Date('2019-03-15T00:00:00Z'));
    billRenewals(state, events);
    const lines = state.transactions.filter((tx) => tx.period);
    expect(lines.map((l) => [l.created_at, l.dest_amount, l.descr])).toEqual([
      ['2019-01-01T00:00:00.000Z', 17999, 'Subscription to open-space until 2019/02/01 (1 month)'],
      ['2019-02-01T00:00:00.000Z', 17999, 'Subscription to open-space until 2019/03/01 (1 month)'],
      ['2019-03-01T00:00:00.000Z', 17999, 'Subscription to open-space until 2019/04/01 (1 month)'],
    ]);
    expect(balanceDue(state, 'xia').amount).toBe(3 * 17999);
    expect(state.charges).toEqual([]);
  });

  it('with a card on file each period is charged at its start; a declining card leaves failed charges and a balance due', () => {
    const paid = world();
    paid.cards.push({ organization: 'xia', ...good });
    billRenewals(paid, renewDue(paid, new Date('2019-02-15T00:00:00Z')));
    expect(paid.charges.map((c) => [c.created_at, c.amount, c.state])).toEqual([
      ['2019-01-01T00:00:00.000Z', 17999, 'done'],
      ['2019-02-01T00:00:00.000Z', 17999, 'done'],
    ]);
    expect(balanceDue(paid, 'xia').amount).toBe(0);
    expect(accountBalance(paid, 'cowork', 'Funds', 'usd')).toBe(2 * 17999);

    const declined = world();
    declined.cards.push({ organization: 'xia', ...bad });
    billRenewals(declined, renewDue(declined, new Date('2019-02-15T00:00:00Z')));
    expect(declined.charges.map((c) => c.state)).toEqual(['failed', 'failed']);
    expect(balanceDue(declined, 'xia').amount).toBe(2 * 17999);
  });
});
