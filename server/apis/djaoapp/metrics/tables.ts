/**
 * A provider's metric tables, computed from the ledger and the subscriptions at the points of a series
 * (series.ts). Balances are read at each instant; sales, payments, refunds and customers are flows over the
 * window that ends at each point (the first of the previous month to the first of this one; the month so far for the
 * last point).
 */
import { earnedBy, isLineSettlement, isOrderLine, type Account, type TransactionRecord } from '../model/ledger.ts';
import {
  churnPercent,
  countedUntil,
  customerChanges,
  monthBefore,
  series,
  timeline,
  totalBefore,
  totalWithin,
  windowsBetween,
  windowsEndingAt,
  within,
  type Window,
} from './series.ts';
import { isActive, isPending } from '../model/renewals.ts';
import type { DjaoappState, SubscriptionRecord } from '../state.ts';

export interface MetricRow {
  key: string;
  values: Array<[string, number]>;
}

/** The unit a provider reports in: its plans' (usd when it has none). */
export function providerUnit(state: DjaoappState, provider: string): string {
  return state.plans.find((p) => p.organization === provider)?.unit ?? 'usd';
}

/** The provider's order lines in `unit`. */
function ordersOf(state: DjaoappState, provider: string, unit: string): TransactionRecord[] {
  return state.transactions.filter(
    (tx) => isOrderLine(tx) && tx.orig_organization === provider && tx.orig_unit === unit,
  );
}

const at = (tx: TransactionRecord) => Date.parse(tx.created_at);

/** What each transaction adds to (organization, account): received minus given, as accountBalance() counts it. */
function moves(transactions: TransactionRecord[], organization: string, account: Account, unit: string) {
  return transactions.flatMap((tx) => [
    ...(tx.dest_organization === organization && tx.dest_account === account && tx.dest_unit === unit
      ? [{ at: at(tx), amount: tx.dest_amount }]
      : []),
    ...(tx.orig_organization === organization && tx.orig_account === account && tx.orig_unit === unit
      ? [{ at: at(tx), amount: -tx.orig_amount }]
      : []),
  ]);
}

/**
 * Income, Backlog and Receivable at each point. Income is what the paid order lines have earned by then (spread over
 * the periods they bill, as recognizedIncome() counts it); Backlog is what was paid and not earned yet; Receivable is
 * what was ordered and not settled yet (paid, or written off).
 */
export function balancesTable(state: DjaoappState, provider: string, unit: string, points: Date[]): MetricRow[] {
  const orders = ordersOf(state, provider, unit);
  const byId = new Map(orders.map((line) => [line.id, line]));
  const settlements = state.transactions.filter(
    (tx) => tx.line !== undefined && byId.has(tx.line) && tx.orig_account === 'Payable',
  );
  const receivable = timeline([
    ...orders.map((line) => ({ at: at(line), amount: line.dest_amount })),
    ...settlements.map((tx) => ({ at: at(tx), amount: -tx.orig_amount })),
  ]);
  const paid = state.transactions.filter((tx) => byId.has(tx.line!) && isLineSettlement(tx, provider));
  const backlogAccount = timeline(moves(state.transactions, provider, 'Backlog', unit));
  const until = countedUntil(points);
  const income = points.map((point, i) => {
    const paidByLine = new Map<number, number>();
    for (const tx of paid)
      if (at(tx) < until[i]!.getTime()) paidByLine.set(tx.line!, (paidByLine.get(tx.line!) ?? 0) + tx.orig_amount);
    let earned = 0;
    for (const [line, amount] of paidByLine) earned += earnedBy(amount, byId.get(line)!.period!, point);
    return earned;
  });
  return [
    { key: 'Income', values: series(points, income) },
    // The Backlog account only gives (what each settled line is worth): what it gave minus what was earned.
    {
      key: 'Backlog',
      values: series(
        points,
        until.map((u, i) => Math.abs(totalBefore(backlogAccount, u)) - income[i]!),
      ),
    },
    {
      key: 'Receivable',
      values: series(
        points,
        until.map((u) => totalBefore(receivable, u)),
      ),
    },
  ];
}

interface Order {
  at: number;
  customer: string;
  amount: number;
}

/** Each window's orders, the orders of the same stretch a month earlier, and the customers gained and lost. */
function customerWindows(state: DjaoappState, provider: string, unit: string, windows: Window[]) {
  const orders: Order[] = ordersOf(state, provider, unit)
    .map((line) => ({ at: at(line), customer: line.dest_organization, amount: line.dest_amount }))
    .sort((a, b) => a.at - b.at);
  const customers = (list: Order[]) => new Set(list.map((o) => o.customer));
  return windows.map((window) => {
    const current = within(orders, window);
    const previous = within(orders, monthBefore(window));
    const before = customers(previous);
    return { current, previous, before: before.size, ...customerChanges(customers(current), before) };
  });
}

const sum = (orders: Order[]) => orders.reduce((total, o) => total + o.amount, 0);

/**
 * Sales (order lines), payments (money into the provider's funds from outside: the processor's distributions and
 * offline payments) and refunds (the provider's funds taken back into the processor's Refund account), per window.
 * New sales are those to customers new in the window; churned sales what the customers lost in the window bought the
 * month before.
 */
export function fundsTable(state: DjaoappState, provider: string, unit: string, points: Date[]): MetricRow[] {
  const windows = windowsBetween(countedUntil(points));
  const labels = points.slice(1);
  const changes = customerWindows(state, provider, unit, windows);
  const funds = state.transactions.filter((tx) => tx.dest_unit === unit);
  const payments = timeline(
    funds
      .filter(
        (tx) => tx.dest_organization === provider && tx.dest_account === 'Funds' && tx.orig_organization !== provider,
      )
      .map((tx) => ({ at: at(tx), amount: tx.dest_amount })),
  );
  const refunds = timeline(
    funds
      .filter((tx) => tx.orig_organization === provider && tx.orig_account === 'Funds' && tx.dest_account === 'Refund')
      .map((tx) => ({ at: at(tx), amount: tx.orig_amount })),
  );
  return [
    {
      key: 'Total Sales',
      values: series(
        labels,
        changes.map((c) => sum(c.current)),
      ),
    },
    {
      key: 'New Sales',
      values: series(
        labels,
        changes.map((c) => sum(c.current.filter((o) => c.added.includes(o.customer)))),
      ),
    },
    {
      key: 'Churned Sales',
      values: series(
        labels,
        changes.map((c) => sum(c.previous.filter((o) => c.lost.includes(o.customer)))),
      ),
    },
    {
      key: 'Payments',
      values: series(
        labels,
        windows.map((w) => totalWithin(payments, w)),
      ),
    },
    {
      key: 'Refunds',
      values: series(
        labels,
        windows.map((w) => totalWithin(refunds, w)),
      ),
    },
  ];
}

/** Customers (profiles the provider billed in the window), those gained and lost since the month before, and churn. */
export function customersTable(
  state: DjaoappState,
  provider: string,
  unit: string,
  points: Date[],
): { table: MetricRow[]; extra: MetricRow[] } {
  const labels = points.slice(1);
  const changes = customerWindows(state, provider, unit, windowsBetween(countedUntil(points)));
  return {
    table: [
      {
        key: 'Total # of Customers',
        values: series(
          labels,
          changes.map((c) => c.total),
        ),
      },
      {
        key: '# of new Customers',
        values: series(
          labels,
          changes.map((c) => c.added.length),
        ),
      },
      {
        key: '# of churned Customers',
        values: series(
          labels,
          changes.map((c) => c.lost.length),
        ),
      },
      {
        key: 'Net New Customers',
        values: series(
          labels,
          changes.map((c) => c.added.length - c.lost.length),
        ),
      },
    ],
    extra: [
      {
        key: '% Customer Churn',
        values: series(
          labels,
          changes.map((c) => churnPercent(c.lost.length, c.before)),
        ),
      },
    ],
  };
}

/**
 * A subscription that ended after the window's start and by its end: expired at the end, still running at the start
 * (as subscriptionState() sees it). A grant or request never accepted never started, so it never churned.
 */
export function endedWithin(sub: SubscriptionRecord, window: Window): boolean {
  const ends = Date.parse(sub.ends_at);
  return !isPending(sub) && ends > window.start.getTime() && ends <= window.end.getTime();
}

/** Active subscribers of each of the provider's plans at each point, and the subscriptions that ended before each. */
export function plansTable(state: DjaoappState, provider: string, points: Date[]) {
  const plans = state.plans.filter((p) => p.organization === provider);
  const slugs = new Set(plans.map((p) => p.slug));
  const subs = state.subscriptions.filter((s) => slugs.has(s.plan));
  const table = plans.map((plan) => {
    const ofPlan = subs.filter((s) => s.plan === plan.slug);
    return {
      key: plan.slug,
      is_active: plan.is_active,
      location: `/profile/plan/${plan.slug}/`,
      values: series(
        points,
        points.map((p) => ofPlan.filter((s) => isActive(s, p)).length),
      ),
    };
  });
  const churn = windowsEndingAt(points).map((w) => subs.filter((s) => endedWithin(s, w)).length);
  return { table, extra: [{ key: 'churn', values: series(points, churn) }] };
}

/** Whether an account name is picked by a balance line's selector (a prefix of the account name). */
export const selects = (selector: string, account: string): boolean => account.startsWith(selector);

/**
 * The balance, across every organization, of the accounts a selector picks, at each point, as an absolute amount
 * (as djaodjin's balance sheets report it: a provider's Receivable or Backlog gives more than it receives).
 */
export function selectorBalances(
  state: DjaoappState,
  selector: string,
  unit: string,
  points: Date[],
): Array<[string, number]> {
  const line = timeline(
    state.transactions.flatMap((tx) => [
      ...(selects(selector, tx.dest_account) && tx.dest_unit === unit ? [{ at: at(tx), amount: tx.dest_amount }] : []),
      ...(selects(selector, tx.orig_account) && tx.orig_unit === unit ? [{ at: at(tx), amount: -tx.orig_amount }] : []),
    ]),
  );
  return series(
    points,
    countedUntil(points).map((u) => Math.abs(totalBefore(line, u))),
  );
}
