/**
 * One customer's money, end to end: xia puts premium in her cart, redeems cowork's 50% coupon, checks out with a
 * card, and cowork refunds part of the charge. Each step is read back through the API — the charge in the broker's
 * list, xia's history and balance, cowork's funds at the bank, cowork's metrics — and each must move by exactly the
 * amounts involved. Then the clock moves month by month and the 12-month tables move with it.
 * Mock only: the sandbox starts from the fixtures at a frozen clock.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { needsStandin, targetIsStandin } from '../support/target.ts';
import { openBillingWorld, resetAt, type BillingWorld } from './billing-world.ts';
import { djaoappTarget, login } from './target.ts';

const STANDIN_ONLY = "the fixtures' plans, card and coupons at the sandbox clock (admin API)";

const CHECKOUT_AT = '2030-03-10T09:00:00Z';
/** DIS50 takes 5000 hundredths of a percent (50%) off every cowork plan in the cart: premium and basic. */
const PREMIUM_PAID = 9000;
const BASIC_PAID = 1000;
const CHARGED = PREMIUM_PAID + BASIC_PAID;
/** What the monthly renewals bill at full price: xia's open-space on the 1st, basic and premium on the 10th. */
const OPEN_SPACE = 17999;
const BASIC = 2000;
const PREMIUM = 18000;

let w: BillingWorld;
let charge: string;
/** The premium line's number on the charge (lines follow the cart's order). */
let premiumLine: number;

/** Moves the sandbox clock, and signs donny and xia in again (a token lasts an hour of sandbox time). */
async function clockAt(set: string): Promise<void> {
  await w.t.admin('POST', '/clock', { set, freeze: true });
  const { credentials } = await djaoappTarget();
  w.donny = await login(w.t, credentials.manager);
  w.xia = await login(w.t, credentials.member);
}

beforeAll(async () => {
  if (!targetIsStandin) return;
  w = await openBillingWorld();
  await resetAt(w.t, CHECKOUT_AT);
  await clockAt(CHECKOUT_AT);
});
afterAll(() => w?.t.close());

/**
 * What a paid order line has earned at `at`: its amount spread evenly over the period it bills, to the cent (the
 * Income row recognizes each line so).
 */
function earned(amount: number, from: string, to: string, at: string): number {
  const elapsed = Math.min(Math.max(Date.parse(at) - Date.parse(from), 0), Date.parse(to) - Date.parse(from));
  return Math.round((amount * elapsed) / (Date.parse(to) - Date.parse(from)));
}

type Table = { key: string; values: [string, number][] }[];
/** The value of a row of a metrics table at its last point (now). */
const latest = (table: Table, key: string): number => table.find((row) => row.key === key)!.values.at(-1)![1];

async function snapshot() {
  const cowork = { organization: 'cowork' };
  const [history, balance, bank, funds, balances, plans, charges] = await Promise.all([
    w.t.call('billing_history_list', { params: { organization: 'xia' }, headers: w.xia }),
    w.t.call('billing_balance_retrieve', { params: { organization: 'xia' }, headers: w.xia }),
    w.t.call('bank_retrieve', { params: cowork, headers: w.donny }),
    w.t.call('metrics_funds', { params: cowork, headers: w.donny }),
    w.t.call('metrics_balances', { params: cowork, headers: w.donny }),
    w.t.call('metrics_plans', { params: cowork, headers: w.donny }),
    w.t.call('charges_list', { headers: w.donny }),
  ]);
  for (const res of [history, balance, bank, funds, balances, plans, charges]) expect(res.status).toBe(200);
  return {
    history: history.body.results as any[],
    historyCount: history.body.count as number,
    balanceDue: Number(balance.body.balance_amount),
    bankFunds: bank.body.balance_amount as number,
    payments: latest(funds.body.table, 'Payments'),
    refunds: latest(funds.body.table, 'Refunds'),
    sales: latest(funds.body.table, 'Total Sales'),
    backlog: latest(balances.body.table, 'Backlog'),
    income: latest(balances.body.table, 'Income'),
    premiumSubscribers: latest(plans.body.table, 'premium'),
    charges: charges.body.results as any[],
  };
}

describe('xia buys premium with a coupon, and cowork refunds part of it', () => {
  beforeEach((ctx) => needsStandin(ctx, STANDIN_ONLY));
  let before: Awaited<ReturnType<typeof snapshot>>;

  it('the cart takes premium (201) and the 50% coupon applies to it', async () => {
    before = await snapshot();
    const add = await w.t.call('cart_add', { headers: w.xia, body: { plan: 'premium' } });
    expect(add.status).toBe(201);
    const redeem = await w.t.call('cart_redeem', { headers: w.xia, body: { code: 'DIS50' } });
    expect(redeem.status).toBe(200);
    expect(redeem.body).toEqual({ detail: "Coupon 'DIS50' was successfully applied." });
    const preview = await w.t.call('checkout_retrieve', { params: { organization: 'xia' }, headers: w.xia });
    const amounts = Object.fromEntries(
      preview.body.results.map((r: any) => [r.subscription.plan.slug, r.lines.map((l: any) => l.dest_amount)]),
    );
    expect(amounts).toEqual({ basic: [BASIC_PAID], premium: [PREMIUM_PAID] });
    premiumLine = preview.body.results.findIndex((r: any) => r.subscription.plan.slug === 'premium');
  });

  it('checkout charges the card the discounted amount, and the charge is listed for the broker', async () => {
    // The fixture cart also holds basic: checking out pays both.
    const res = await w.t.call('checkout_create', {
      params: { organization: 'xia' },
      headers: w.xia,
      body: { processor_token: 'xyz', remember_card: true },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ amount: CHARGED, unit: 'usd', state: 'done', last4: '1234' });
    charge = res.body.processor_key;
    const after = await snapshot();
    expect(after.charges.map((c) => c.processor_key)).toContain(charge);
    expect(after.charges).toHaveLength(before.charges.length + 1);
    expect(after.balanceDue).toBe(before.balanceDue);
    expect(after.bankFunds - before.bankFunds).toBe(CHARGED);
    expect(after.payments - before.payments).toBe(CHARGED);
    expect(after.sales - before.sales).toBe(CHARGED);
    // Paid for periods that start now: all of it is backlog, none of it earned yet.
    expect(after.backlog - before.backlog).toBe(CHARGED);
    expect(after.income).toBe(before.income);
    expect(after.premiumSubscribers - before.premiumSubscribers).toBe(1);
    // xia's history gains the two order lines and the charge on her card, nothing else.
    const added = after.history.slice(0, after.historyCount - before.historyCount);
    expect(added.map((tx) => [tx.description.split(' until')[0], tx.dest_amount]).sort()).toEqual([
      [`Charge ${charge} on credit card of Xia Lee`, CHARGED],
      ['Subscription to basic', BASIC_PAID],
      ['Subscription to premium', PREMIUM_PAID],
    ]);
    before = after;
  });

  it('a partial refund of $25.00 on the premium line moves history, funds and the refunds metric by exactly that', async () => {
    const receipt = await w.t.call('charges_retrieve', { params: { organization: charge }, headers: w.donny });
    expect(receipt.status).toBe(200);
    const res = await w.t.call('charges_refund', {
      params: { organization: charge },
      headers: w.donny,
      body: { lines: [{ num: premiumLine, refunded_amount: 2500 }] },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ processor_key: charge, state: 'done', amount: CHARGED });
    expect(res.body.detail).toBe(`$25.00 refunded successfully on charge ${charge}.`);
    const after = await snapshot();
    expect(after.bankFunds - before.bankFunds).toBe(-2500);
    expect(after.refunds - before.refunds).toBe(2500);
    expect(after.payments).toBe(before.payments);
    expect(after.sales).toBe(before.sales);
    expect(after.balanceDue).toBe(before.balanceDue);
    // As in djaodjin, a refund takes money back from the provider's funds; what was sold (and its backlog, recognized
    // as income over the period) is not undone.
    expect(after.backlog).toBe(before.backlog);
    expect(after.income).toBe(before.income);
    expect(after.historyCount).toBe(before.historyCount + 1);
    const refunded = after.history.filter((tx) => tx.orig_account === 'Refunded' && tx.orig_organization === 'xia');
    expect(refunded.map((tx) => [tx.dest_organization, tx.dest_account, tx.dest_amount, tx.amount])).toEqual([
      ['cowork', 'Refund', 2500, '$25.00'],
    ]);
    // The admin view of the ledger: the refund took the $25.00 from cowork's funds back into the processor's Refund account.
    const ledger = await w.t.admin<any>('GET', '/apis/djaoapp/billing');
    const refund = ledger.transactions.filter(
      (tx: any) => tx.event_id === charge && tx.orig_organization === 'cowork' && tx.orig_account === 'Funds',
    );
    expect(refund.map((tx: any) => [tx.dest_organization, tx.dest_account, tx.dest_amount])).toEqual([
      ['stripe', 'Refund', 2500],
    ]);
    before = after;
  });

  it('refunding more than is left on the line is refused with 405, and nothing moves', async () => {
    const left = PREMIUM_PAID - 2500;
    const res = await w.t.call('charges_refund', {
      params: { organization: charge },
      headers: w.donny,
      body: { lines: [{ num: premiumLine, refunded_amount: left + 1 }] },
    });
    expect(res.status).toBe(405);
    expect(res.body).toEqual({
      detail: `Cannot refund $${((left + 1) / 100).toFixed(2)} while there is only $${(left / 100).toFixed(2)} available on the line item.`,
    });
    const after = await snapshot();
    expect(after).toEqual(before);
  });

  it('as the clock moves month by month, the tables move with it: renewals are paid by the card kept at checkout', async () => {
    const seen: { month: string; payments: number; lastMonthPayments: number; income: number }[] = [];
    const { income: atCheckout } = await snapshot();
    const instants = ['2030-03-25T09:00:00Z', '2030-04-05T09:00:00Z', '2030-05-05T09:00:00Z'];
    for (const set of instants) {
      await clockAt(set);
      const [funds, balances] = await Promise.all([
        w.t.call('metrics_funds', { params: { organization: 'cowork' }, headers: w.donny }),
        w.t.call('metrics_balances', { params: { organization: 'cowork' }, headers: w.donny }),
      ]);
      expect(funds.status).toBe(200);
      expect(balances.status).toBe(200);
      const payments = funds.body.table.find((row: any) => row.key === 'Payments').values as [string, number][];
      expect(payments).toHaveLength(12);
      seen.push({
        month: payments.at(-2)![0],
        payments: payments.at(-1)![1],
        lastMonthPayments: payments.at(-2)![1],
        income: latest(balances.body.table, 'Income'),
      });
    }
    expect(seen.map((s) => s.month)).toEqual(['2030-03-01T00:00:00Z', '2030-04-01T00:00:00Z', '2030-05-01T00:00:00Z']);
    // March: the checkout's charge. April so far: open-space renewed on the 1st. May so far: open-space again, and
    // April as a whole: open-space, then basic and premium renewed on the 10th at their full price.
    expect(seen.map((s) => s.payments)).toEqual([CHARGED, OPEN_SPACE, OPEN_SPACE]);
    expect(seen[2]!.lastMonthPayments).toBe(OPEN_SPACE + BASIC + PREMIUM);
    // Income is recognized as the paid periods go by, each line evenly over its own period: the checkout's lines over
    // March 10 - April 10 (the refund takes nothing back), open-space's renewals over April and May, basic and
    // premium's renewals over April 10 - May 10.
    const checkoutLines = (at: string) =>
      earned(PREMIUM_PAID, CHECKOUT_AT, '2030-04-10T09:00:00Z', at) +
      earned(BASIC_PAID, CHECKOUT_AT, '2030-04-10T09:00:00Z', at);
    const renewals = (at: string) =>
      earned(OPEN_SPACE, '2030-04-01T00:00:00Z', '2030-05-01T00:00:00Z', at) +
      earned(OPEN_SPACE, '2030-05-01T00:00:00Z', '2030-06-01T00:00:00Z', at) +
      earned(PREMIUM, '2030-04-10T09:00:00Z', '2030-05-10T09:00:00Z', at) +
      earned(BASIC, '2030-04-10T09:00:00Z', '2030-05-10T09:00:00Z', at);
    expect(seen.map((s) => s.income - atCheckout)).toEqual(instants.map((at) => checkoutLines(at) + renewals(at)));
  });
});
