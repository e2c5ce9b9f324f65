/**
 * The metrics' arithmetic, called directly: the points of a series, the windows between them, flows and balances
 * over time, customers gained and lost, churn percentages; and the tables computed from a ledger built by hand.
 */
import { describe, expect, it } from 'vitest';
import { djaoappFixtures } from '../../../../fixtures/djaoapp/index.ts';
import {
  accountBalance,
  earnedBy,
  post,
  recognizedIncome,
  settleLine,
  type TransactionRecord,
} from '../model/ledger.ts';
import {
  churnPercent,
  countedUntil,
  customerChanges,
  monthBefore,
  monthStart,
  series,
  seriesPoints,
  timeline,
  totalBefore,
  totalWithin,
  windowsBetween,
  windowsEndingAt,
  within,
} from './series.ts';
import { balancesTable, customersTable, fundsTable, plansTable, selectorBalances } from './tables.ts';
import { placeLine } from './balance-sheet.ts';
import type { BalanceLineRecord, DjaoappState } from '../state.ts';

const d = (iso: string) => new Date(iso);
const iso = (dates: Date[]) => dates.map((x) => x.toISOString());

describe('series points and windows', () => {
  it('the first of each of the last 12 months (UTC), then now: 13 points', () => {
    const points = seriesPoints(d('2015-08-06T02:24:50.485Z'));
    expect(points).toHaveLength(13);
    expect(points[0]!.toISOString()).toBe('2014-09-01T00:00:00.000Z');
    expect(points[11]!.toISOString()).toBe('2015-08-01T00:00:00.000Z');
    expect(points[12]!.toISOString()).toBe('2015-08-06T02:24:50.485Z');
  });

  it('quarterly over a year: 5 firsts of months three months apart, then now (the balance sheet example)', () => {
    expect(iso(seriesPoints(d('2016-05-16T21:08:15.637Z'), 5, 3))).toEqual([
      '2015-05-01T00:00:00.000Z',
      '2015-08-01T00:00:00.000Z',
      '2015-11-01T00:00:00.000Z',
      '2016-02-01T00:00:00.000Z',
      '2016-05-01T00:00:00.000Z',
      '2016-05-16T21:08:15.637Z',
    ]);
  });

  it('month boundaries are UTC, across a year end; now on a first of month closes an empty window', () => {
    expect(monthStart(d('2020-01-31T23:59:59.999Z')).toISOString()).toBe('2020-01-01T00:00:00.000Z');
    const points = seriesPoints(d('2021-01-01T00:00:00Z'), 3);
    expect(iso(points)).toEqual([
      '2020-11-01T00:00:00.000Z',
      '2020-12-01T00:00:00.000Z',
      '2021-01-01T00:00:00.000Z',
      '2021-01-01T00:00:00.000Z',
    ]);
    expect(windowsBetween(points).at(-1)).toEqual({ start: points[2], end: points[3] });
  });

  it('n points make n - 1 windows; a window compares with the same stretch a month before', () => {
    const points = seriesPoints(d('2015-03-06T12:00:00Z'), 2);
    const windows = windowsBetween(points);
    expect(windows.map((w) => iso([w.start, w.end]))).toEqual([
      ['2015-02-01T00:00:00.000Z', '2015-03-01T00:00:00.000Z'],
      ['2015-03-01T00:00:00.000Z', '2015-03-06T12:00:00.000Z'],
    ]);
    expect(iso(Object.values(monthBefore(windows[1]!)))).toEqual([
      '2015-02-01T00:00:00.000Z',
      '2015-02-06T12:00:00.000Z',
    ]);
    expect(iso(Object.values(monthBefore(windows[0]!)))).toEqual([
      '2015-01-01T00:00:00.000Z',
      '2015-02-01T00:00:00.000Z',
    ]);
  });

  it('a point-in-time series closes windows since the previous point, the month before for the first', () => {
    const points = seriesPoints(d('2015-03-06T12:00:00Z'), 2);
    expect(windowsEndingAt(points).map((w) => iso([w.start, w.end]))).toEqual([
      ['2015-01-01T00:00:00.000Z', '2015-02-01T00:00:00.000Z'],
      ['2015-02-01T00:00:00.000Z', '2015-03-01T00:00:00.000Z'],
      ['2015-03-01T00:00:00.000Z', '2015-03-06T12:00:00.000Z'],
    ]);
  });

  it('a series counts what happened before each point, and at the last one (now) too', () => {
    const points = seriesPoints(d('2015-03-06T12:00:00Z'), 1);
    expect(iso(countedUntil(points))).toEqual(['2015-03-01T00:00:00.000Z', '2015-03-06T12:00:00.001Z']);
  });

  it('a series is written [[instant, value], ...], instants without zero milliseconds', () => {
    expect(series([d('2015-08-01T00:00:00Z'), d('2015-08-06T02:24:50.485Z')], [1, -2])).toEqual([
      ['2015-08-01T00:00:00Z', 1],
      ['2015-08-06T02:24:50.485Z', -2],
    ]);
  });
});

describe('flows and balances over time', () => {
  const items = [
    { at: Date.parse('2015-01-15T00:00:00Z'), amount: 100 },
    { at: Date.parse('2015-02-01T00:00:00Z'), amount: 50 },
    { at: Date.parse('2014-12-31T23:59:59Z'), amount: -30 },
    { at: Date.parse('2015-02-20T00:00:00Z'), amount: 7 },
  ];
  const line = timeline(items);

  it('a balance counts what happened strictly before the instant', () => {
    expect(totalBefore(line, d('2014-12-01T00:00:00Z'))).toBe(0);
    expect(totalBefore(line, d('2015-01-01T00:00:00Z'))).toBe(-30);
    expect(totalBefore(line, d('2015-02-01T00:00:00Z'))).toBe(70);
    expect(totalBefore(line, d('2015-02-01T00:00:00.001Z'))).toBe(120);
    expect(totalBefore(line, d('2016-01-01T00:00:00Z'))).toBe(127);
  });

  it('a flow counts what happened in [start, end)', () => {
    expect(totalWithin(line, { start: d('2015-01-01T00:00:00Z'), end: d('2015-02-01T00:00:00Z') })).toBe(100);
    expect(totalWithin(line, { start: d('2015-02-01T00:00:00Z'), end: d('2015-03-01T00:00:00Z') })).toBe(57);
    const sorted = [...items].sort((a, b) => a.at - b.at);
    expect(within(sorted, { start: d('2015-02-01T00:00:00Z'), end: d('2015-02-20T00:00:00Z') })).toEqual([items[1]]);
  });

  it('customers gained and lost between two windows; churn as a percentage to two decimals', () => {
    expect(customerChanges(new Set(['a', 'b', 'c']), new Set(['b', 'd']))).toEqual({
      total: 3,
      added: ['a', 'c'],
      lost: ['d'],
    });
    // The seed's customers example: 1 lost of 48 is 2.08%, 60 of 54 is 111.11%.
    expect(churnPercent(1, 48)).toBe(2.08);
    expect(churnPercent(60, 54)).toBe(111.11);
    expect(churnPercent(1, 3)).toBe(33.33);
    expect(churnPercent(2, 3)).toBe(66.67);
    expect(churnPercent(0, 0)).toBe(0);
  });
});

describe('earnedBy (ledger): a paid line earns evenly over its period', () => {
  const period = { start: '2030-01-01T00:00:00Z', end: '2030-01-11T00:00:00Z' };
  it('nothing before the period, a share during it, everything after', () => {
    expect(earnedBy(1000, period, d('2029-12-31T00:00:00Z'))).toBe(0);
    expect(earnedBy(1000, period, d('2030-01-04T00:00:00Z'))).toBe(300);
    expect(earnedBy(999, period, d('2030-01-02T00:00:00Z'))).toBe(100);
    expect(earnedBy(1000, period, d('2031-01-01T00:00:00Z'))).toBe(1000);
    expect(earnedBy(1000, { start: period.start, end: period.start }, d('2000-01-01T00:00:00Z'))).toBe(1000);
  });
});

/**
 * cowork bills `subscriber` `amount` for the month from `start` (ordered at `orderedAt`, by default `start`), paid
 * (settled and distributed by the processor) at `paidAt` if given.
 */
function bill(
  state: DjaoappState,
  subscriber: string,
  start: string,
  amount: number,
  paidAt?: string,
  orderedAt = start,
): TransactionRecord {
  const end = new Date(start);
  end.setUTCMonth(end.getUTCMonth() + 1);
  const line = post(state, d(orderedAt), {
    descr: `open-space for ${subscriber}`,
    event_id: 'sub_1',
    orig: ['cowork', 'Receivable'],
    dest: [subscriber, 'Payable'],
    amount,
    unit: 'usd',
    period: { start, end: end.toISOString(), subscription: 1 },
  });
  if (paidAt) {
    settleLine(state, d(paidAt), line, amount, 'ch_1', 'payment');
    post(state, d(paidAt), {
      descr: 'funds',
      event_id: 'ch_1',
      orig: ['stripe', 'Funds'],
      dest: ['cowork', 'Funds'],
      amount,
      unit: 'usd',
      line: line.id,
    });
  }
  return line;
}

function emptyLedger(): DjaoappState {
  const state = djaoappFixtures();
  state.transactions = [];
  state.subscriptions = [];
  return state;
}

const values = (rows: Array<{ key: string; values: Array<[string, number]> }>, key: string) =>
  rows.find((r) => r.key === key)!.values.map(([, v]) => v);

describe('tables from a ledger built by hand', () => {
  const now = d('2030-04-16T00:00:00Z');
  const points = seriesPoints(now, 3); // 2030-02-01, 03-01, 04-01, then 04-16

  it('balances agree with accountBalance and recognizedIncome at every point', () => {
    const state = emptyLedger();
    bill(state, 'xia', '2030-01-01T00:00:00Z', 3100, '2030-01-02T00:00:00Z');
    bill(state, 'xia', '2030-02-01T00:00:00Z', 2800, '2030-01-26T00:00:00Z', '2030-01-25T00:00:00Z');
    bill(state, 'joe', '2030-03-01T00:00:00Z', 3100);
    bill(state, 'xia', '2030-04-01T00:00:00Z', 3000, '2030-04-10T00:00:00Z');
    const rows = balancesTable(state, 'cowork', 'usd', points);
    const income = points.map((p) => recognizedIncome(state, 'cowork', 'usd', p));
    expect(values(rows, 'Income')).toEqual(income);
    expect(values(rows, 'Income')).toEqual([3100, 5900, 5900, 5900 + 1500]);
    expect(values(rows, 'Backlog')).toEqual(
      points.map((p, i) => Math.abs(accountBalance(state, 'cowork', 'Backlog', 'usd', p)) - income[i]!),
    );
    // February is paid in advance (January 26th): backlog until it is earned.
    expect(values(rows, 'Backlog')).toEqual([2800, 0, 0, 1500]);
    // joe's March line is never paid; xia's April line is receivable from April 1st to 10th.
    expect(values(rows, 'Receivable')).toEqual([0, 0, 3100, 3100]);
  });

  it('funds and customers per window: sales, new and churned sales, payments, refunds', () => {
    const state = emptyLedger();
    bill(state, 'xia', '2030-01-05T00:00:00Z', 1000, '2030-01-05T00:00:00Z');
    bill(state, 'xia', '2030-02-05T00:00:00Z', 1000, '2030-02-05T00:00:00Z');
    bill(state, 'joe', '2030-02-10T00:00:00Z', 500, '2030-03-02T00:00:00Z');
    bill(state, 'xia', '2030-03-05T00:00:00Z', 1000);
    bill(state, 'ann', '2030-04-03T00:00:00Z', 700, '2030-04-03T00:00:00Z');
    post(state, d('2030-04-04T00:00:00Z'), {
      descr: 'refund',
      event_id: 'ch_1',
      orig: ['ann', 'Refunded'],
      dest: ['cowork', 'Refund'],
      amount: 200,
      unit: 'usd',
    });
    post(state, d('2030-04-04T00:00:00Z'), {
      descr: 'refund',
      event_id: 'ch_1',
      orig: ['cowork', 'Funds'],
      dest: ['stripe', 'Refund'],
      amount: 200,
      unit: 'usd',
    });
    post(state, d('2030-04-05T00:00:00Z'), {
      descr: 'payout',
      event_id: null,
      orig: ['cowork', 'Funds'],
      dest: ['cowork', 'Withdraw'],
      amount: 900,
      unit: 'usd',
    });
    // Windows: February, March, April 1-16 (compared with March 1-16).
    const funds = fundsTable(state, 'cowork', 'usd', points);
    expect(funds.map((r) => r.values.map(([at]) => at))[0]).toEqual([
      '2030-03-01T00:00:00Z',
      '2030-04-01T00:00:00Z',
      '2030-04-16T00:00:00Z',
    ]);
    expect(values(funds, 'Total Sales')).toEqual([1500, 1000, 700]);
    expect(values(funds, 'New Sales')).toEqual([500, 0, 700]);
    expect(values(funds, 'Churned Sales')).toEqual([0, 500, 1000]);
    // joe pays his February on March 2nd; the payout to the bank is not a payment.
    expect(values(funds, 'Payments')).toEqual([1000, 500, 700]);
    // A refund counts once: what was taken back from cowork's funds (ann's refund itself does not touch them).
    expect(values(funds, 'Refunds')).toEqual([0, 0, 200]);
    const customers = customersTable(state, 'cowork', 'usd', points);
    expect(values(customers.table, 'Total # of Customers')).toEqual([2, 1, 1]);
    expect(values(customers.table, '# of new Customers')).toEqual([1, 0, 1]);
    expect(values(customers.table, '# of churned Customers')).toEqual([0, 1, 1]);
    expect(values(customers.table, 'Net New Customers')).toEqual([1, -1, 0]);
    expect(values(customers.extra, '% Customer Churn')).toEqual([0, 50, 100]);
  });

  it('what happens at this very instant (a frozen clock) is in the last point; what happens on a first of month, in its month', () => {
    const state = emptyLedger();
    bill(state, 'xia', '2030-04-01T00:00:00Z', 1000, '2030-04-16T00:00:00Z');
    bill(state, 'ann', '2030-04-16T00:00:00Z', 500, '2030-04-16T00:00:00Z');
    const funds = fundsTable(state, 'cowork', 'usd', points);
    expect(values(funds, 'Total Sales')).toEqual([0, 0, 1500]);
    expect(values(funds, 'Payments')).toEqual([0, 0, 1500]);
    const balances = balancesTable(state, 'cowork', 'usd', points);
    // At April 1st, xia's April is not ordered yet; at now, both lines are ordered and paid.
    expect(values(balances, 'Receivable')).toEqual([0, 0, 0, 0]);
    expect(values(balances, 'Income')).toEqual([0, 0, 0, 500]);
    expect(values(balances, 'Backlog')).toEqual([0, 0, 0, 1000]);
    expect(values(customersTable(state, 'cowork', 'usd', points).table, 'Total # of Customers')).toEqual([0, 0, 2]);
    expect(selectorBalances(state, 'Backlog', 'usd', points).map(([, v]) => v)).toEqual([0, 0, 0, 1500]);
  });

  it('active subscribers per plan at each point, and the subscriptions that ended before each', () => {
    const state = emptyLedger();
    const sub = (id: number, plan: string, created_at: string, ends_at: string, grant_key: string | null = null) =>
      state.subscriptions.push({
        id,
        organization: `org${id}`,
        plan,
        created_at,
        ends_at,
        auto_renew: false,
        description: null,
        extra: null,
        grant_key,
        request_key: null,
      });
    sub(1, 'open-space', '2030-01-10T00:00:00Z', '2030-03-10T00:00:00Z');
    sub(2, 'open-space', '2030-02-15T00:00:00Z', '2031-01-01T00:00:00Z');
    sub(3, 'premium', '2030-01-01T00:00:00Z', '2030-04-01T00:00:00Z');
    sub(4, 'premium', '2030-01-01T00:00:00Z', '2030-04-02T00:00:00Z', 'never-accepted');
    const { table, extra } = plansTable(state, 'cowork', points);
    expect(table.map((r) => r.key)).toEqual(state.plans.filter((p) => p.organization === 'cowork').map((p) => p.slug));
    expect(table[0]).toMatchObject({ is_active: true, location: '/profile/plan/open-space/' });
    expect(values(table, 'open-space')).toEqual([1, 2, 1, 1]);
    expect(values(table, 'premium')).toEqual([1, 1, 0, 0]);
    // Ended by April 1st: sub 1 (March 10th) and sub 3 (April 1st, no longer active then); sub 4 was never accepted.
    expect(values(extra, 'churn')).toEqual([0, 0, 2, 0]);
  });

  it('a selector sums the accounts whose names start with it, in every organization', () => {
    const state = emptyLedger();
    bill(state, 'xia', '2030-01-01T00:00:00Z', 3100, '2030-02-02T00:00:00Z');
    const balances = (selector: string, unit = 'usd') =>
      selectorBalances(state, selector, unit, points).map(([, v]) => v);
    expect(balances('Payable')).toEqual([3100, 0, 0, 0]);
    expect(balances('Backlog')).toEqual([0, 3100, 3100, 3100]);
    expect(balances('Liab')).toEqual([0, 3100, 3100, 3100]);
    // The processor's funds went to cowork's: across organizations, they net out.
    expect(balances('Funds')).toEqual([0, 0, 0, 0]);
    expect(balances('Backlog', 'eur')).toEqual([0, 0, 0, 0]);
  });
});

describe('balance lines keep ranks 1..n', () => {
  const lines = (...titles: string[]): BalanceLineRecord[] =>
    titles.map((title, i) => ({ report: 'r', title, selector: '', rank: i + 1 }));
  const order = (list: BalanceLineRecord[]) =>
    [...list].sort((a, b) => a.rank - b.rank).map((l) => `${l.rank}:${l.title}`);

  it('inserting at a rank shifts the rows from there; past the end goes to the end', () => {
    const list = lines('a', 'b');
    const c = { report: 'r', title: 'c', selector: '', rank: 1 };
    placeLine(list, c, 1);
    expect(order([...list, c])).toEqual(['1:c', '2:a', '3:b']);
    const e = { report: 'r', title: 'e', selector: '', rank: 9 };
    const all = [...list, c];
    placeLine(all, e, 9);
    expect(order([...all, e])).toEqual(['1:c', '2:a', '3:b', '4:e']);
  });

  it('moving a row closes the gap it leaves', () => {
    const list = lines('a', 'b', 'c', 'd');
    placeLine(list, list[0]!, 3);
    expect(order(list)).toEqual(['1:b', '2:c', '3:a', '4:d']);
    placeLine(list, list[3]!, 1);
    expect(order(list)).toEqual(['1:d', '2:b', '3:c', '4:a']);
  });
});
