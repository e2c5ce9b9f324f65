/**
 * The ledger: double-entry transactions in integer cents of a unit, the one source of truth for money. Every
 * amount Standin answers (balances due, charges' lines, funds, history, every metric) is computed from these
 * records; nothing stores a total.
 *
 * A transaction moves `amount` from (orig_organization, orig_account) to (dest_organization, dest_account). The
 * balance of an account is what it received minus what it gave. The flows, as djaodjin-saas writes them:
 *
 *   order (checkout, renewal)  provider:Receivable  → subscriber:Payable    one line per subscription period(s)
 *   payment (a charge done)    subscriber:Liability → processor:Funds      the charge's total
 *                              subscriber:Payable   → subscriber:Liability per line (settles it)
 *                              processor:Funds      → provider:Funds       per line (the distribution)
 *                              provider:Backlog     → provider:Receivable  per line (paid: nothing left to receive)
 *   refund (of a charge line)  subscriber:Refunded  → provider:Refund      returned to the subscriber's card
 *                              provider:Funds       → processor:Refund     taken back from the provider's funds
 *   balance cancelled          subscriber:Payable   → provider:Writeoff    per unpaid line (settles it)
 *   offline payment (import)   subscriber:Liability → provider:Funds       and Payable → Liability, per line settled
 *   payout (transfer)          provider:Funds       → provider:Withdraw
 *
 * Backlog becomes Income as the periods a line bills go by: `recognizedIncome()` computes it from the order lines'
 * periods at any instant, so the metrics move with the sandbox clock.
 */
import type { DjaoappState } from '../state.ts';
import { entryOf } from '../../../core/records.ts';

export type Account =
  | 'Funds'
  | 'Income'
  | 'Backlog'
  | 'Receivable'
  | 'Payable'
  | 'Liability'
  | 'Refunded'
  | 'Refund'
  | 'Writeoff'
  | 'Withdraw';

export interface TransactionRecord {
  id: number;
  created_at: string;
  descr: string;
  /** What the transaction is about: `sub_<id>` (a subscription's order line) or a charge's processor_key. */
  event_id: string | null;
  orig_organization: string;
  orig_account: Account;
  orig_amount: number;
  orig_unit: string;
  dest_organization: string;
  dest_account: Account;
  dest_amount: number;
  dest_unit: string;
  /** An order line: the subscription period(s) it bills, [start, end). */
  period?: { start: string; end: string; subscription: number };
  /** A payment, write-off or refund: the order line (transaction id) it settles or refunds. */
  line?: number;
}

export interface Entry {
  descr: string;
  event_id: string | null;
  orig: [organization: string, account: Account];
  dest: [organization: string, account: Account];
  amount: number;
  unit: string;
  period?: TransactionRecord['period'];
  line?: number;
}

/** Appends one transaction (amounts are integer cents; a zero amount is still recorded, as djaodjin does). */
export function post(state: DjaoappState, now: Date, entry: Entry): TransactionRecord {
  if (!Number.isInteger(entry.amount) || entry.amount < 0) throw new Error(`ledger: bad amount ${entry.amount}`);
  const tx: TransactionRecord = {
    id: state.next_ids.transaction++,
    created_at: now.toISOString(),
    descr: entry.descr,
    event_id: entry.event_id,
    orig_organization: entry.orig[0],
    orig_account: entry.orig[1],
    orig_amount: entry.amount,
    orig_unit: entry.unit,
    dest_organization: entry.dest[0],
    dest_account: entry.dest[1],
    dest_amount: entry.amount,
    dest_unit: entry.unit,
    ...(entry.period ? { period: entry.period } : {}),
    ...(entry.line !== undefined ? { line: entry.line } : {}),
  };
  state.transactions.push(tx);
  return tx;
}

const before = (tx: TransactionRecord, until: Date | undefined) =>
  until === undefined || Date.parse(tx.created_at) < until.getTime();

/** What (organization, account) received minus what it gave, in cents of `unit`, over transactions before `until`. */
export function accountBalance(
  state: DjaoappState,
  organization: string,
  account: Account,
  unit: string,
  until?: Date,
): number {
  let total = 0;
  for (const tx of state.transactions) {
    if (!before(tx, until)) continue;
    if (tx.dest_organization === organization && tx.dest_account === account && tx.dest_unit === unit)
      total += tx.dest_amount;
    if (tx.orig_organization === organization && tx.orig_account === account && tx.orig_unit === unit)
      total -= tx.orig_amount;
  }
  return total;
}

/** A subscription as the ledger's descriptions and the offline import name it: "<subscriber>-<plan>" (xia-open-space). */
export const subscriptionReference = (sub: { organization: string; plan: string }): string =>
  `${sub.organization}-${sub.plan}`;

/** An order line: the provider invoices the subscriber (provider:Receivable → subscriber:Payable). */
export const isOrderLine = (tx: TransactionRecord): boolean =>
  tx.orig_account === 'Receivable' && tx.dest_account === 'Payable' && tx.period !== undefined;

/** The order lines billed to `subscriber`, oldest first. */
export function orderLinesOf(state: DjaoappState, subscriber: string): TransactionRecord[] {
  return state.transactions.filter((tx) => isOrderLine(tx) && tx.dest_organization === subscriber);
}

/** What is left to pay on an order line: its amount minus what settled it (payments, offline payments, write-offs). */
export function unpaid(state: DjaoappState, line: TransactionRecord): number {
  let settled = 0;
  for (const tx of state.transactions) {
    if (tx.line === line.id && tx.orig_account === 'Payable') settled += tx.orig_amount;
  }
  return line.dest_amount - settled;
}

/** The statement balance due by `organization` (its unpaid order lines), per unit; usd when it owes nothing. */
export function balanceDue(state: DjaoappState, organization: string): { amount: number; unit: string } {
  const lines = orderLinesOf(state, organization);
  const unit = lines[0]?.dest_unit ?? 'usd';
  return { amount: lines.filter((l) => l.dest_unit === unit).reduce((sum, l) => sum + unpaid(state, l), 0), unit };
}

/** Settles a line with what the subscriber paid, as a charge does (the processor holds the funds until distributed). */
export function settleLine(
  state: DjaoappState,
  now: Date,
  line: TransactionRecord,
  amount: number,
  event_id: string,
  descr: string,
): void {
  const subscriber = line.dest_organization;
  const provider = line.orig_organization;
  const unit = line.dest_unit;
  post(state, now, {
    descr,
    event_id,
    orig: [subscriber, 'Payable'],
    dest: [subscriber, 'Liability'],
    amount,
    unit,
    line: line.id,
  });
  post(state, now, {
    descr,
    event_id,
    orig: [provider, 'Backlog'],
    dest: [provider, 'Receivable'],
    amount,
    unit,
    line: line.id,
  });
}

/** The provider's side of a settlement: what it was paid (or wrote off) on an order line, now backlog to earn. */
export const isLineSettlement = (tx: TransactionRecord, provider: string): boolean =>
  tx.line !== undefined &&
  tx.orig_organization === provider &&
  tx.orig_account === 'Backlog' &&
  tx.dest_account === 'Receivable';

/** The amount already refunded on an order line (what its refunds returned to the subscriber). */
export function refundedOnLine(state: DjaoappState, line: TransactionRecord): number {
  return state.transactions
    .filter((tx) => tx.line === line.id && tx.orig_account === 'Refunded')
    .reduce((sum, tx) => sum + tx.orig_amount, 0);
}

/**
 * Refunds `amount` of a paid order line as djaodjin does: the refund to the subscriber (subscriber:Refunded →
 * provider:Refund), then the distribution cancelled (provider:Funds → processor:Refund). Both name the line.
 */
export function refundLine(
  state: DjaoappState,
  now: Date,
  line: TransactionRecord,
  amount: number,
  event_id: string,
  descr: string,
): void {
  const unit = line.dest_unit;
  const provider = line.orig_organization;
  post(state, now, {
    descr,
    event_id,
    orig: [line.dest_organization, 'Refunded'],
    dest: [provider, 'Refund'],
    amount,
    unit,
    line: line.id,
  });
  post(state, now, {
    descr,
    event_id,
    orig: [provider, 'Funds'],
    dest: [state.processor.slug, 'Refund'],
    amount,
    unit,
    line: line.id,
  });
}

/** Cancels what is left to pay on an order line: the provider writes it off (subscriber:Payable → provider:Writeoff). */
export function writeOffLine(
  state: DjaoappState,
  now: Date,
  line: TransactionRecord,
  descr: string,
): TransactionRecord | undefined {
  const amount = unpaid(state, line);
  if (amount <= 0) return undefined;
  return post(state, now, {
    descr,
    event_id: line.event_id,
    orig: [line.dest_organization, 'Payable'],
    dest: [line.orig_organization, 'Writeoff'],
    amount,
    unit: line.dest_unit,
    line: line.id,
  });
}

/**
 * Income recognized from `provider`'s paid order lines by `at`: each line's settled amount spread evenly over the
 * period it bills (the rest is still Backlog).
 */
export function recognizedIncome(state: DjaoappState, provider: string, unit: string, at: Date): number {
  let income = 0;
  for (const line of state.transactions) {
    if (!isOrderLine(line) || line.orig_organization !== provider || line.orig_unit !== unit) continue;
    const paid = state.transactions
      .filter((tx) => tx.line === line.id && isLineSettlement(tx, provider) && before(tx, at))
      .reduce((sum, tx) => sum + tx.orig_amount, 0);
    if (paid) income += earnedBy(paid, line.period!, at);
  }
  return income;
}

/** The part of `paid` on an order line earned by `at`: spread evenly over the period the line bills. */
export function earnedBy(paid: number, period: { start: string; end: string }, at: Date): number {
  const start = Date.parse(period.start);
  const end = Date.parse(period.end);
  const elapsed = end <= start ? 1 : Math.min(1, Math.max(0, (at.getTime() - start) / (end - start)));
  return Math.round(paid * elapsed);
}

const SYMBOLS: Record<string, string> = { usd: '$', cad: '$', aud: '$', eur: '€', gbp: '£', jpy: '¥', inr: '₹' };

/** Cents as djaodjin shows them: `$1121.20`; a debit in parentheses, `($356.00)`. */
export function readableAmount(cents: number, unit: string, debit = false): string {
  const value = (Math.abs(cents) / 100).toFixed(2);
  const symbol = entryOf(SYMBOLS, unit.toLowerCase());
  const text = symbol ? `${symbol}${value}` : `${value} ${unit.toLowerCase()}`;
  return debit || cents < 0 ? `(${text})` : text;
}

/**
 * djaodjin's rule: a debit to `organization` is cash it pays out, from its own Funds (a provider's payout, refund or
 * distribution) or into someone's Funds (a subscriber's charge or offline payment). Orders, write-offs and refunds
 * seen from the subscriber move no cash of theirs, so they are not.
 */
function isDebit(tx: TransactionRecord, organization: string | null): boolean {
  return (
    organization !== null &&
    tx.orig_organization === organization &&
    (tx.orig_account === 'Funds' || tx.dest_account === 'Funds')
  );
}

/** A transaction as the billing lists answer it, seen from `organization`. */
export function renderTransaction(tx: TransactionRecord, organization: string | null) {
  const is_debit = isDebit(tx, organization);
  return {
    created_at: tx.created_at,
    description: tx.descr,
    amount: readableAmount(tx.dest_amount, tx.dest_unit, is_debit),
    is_debit,
    orig_account: tx.orig_account,
    orig_organization: tx.orig_organization,
    orig_amount: tx.orig_amount,
    orig_unit: tx.orig_unit,
    dest_account: tx.dest_account,
    dest_organization: tx.dest_organization,
    dest_amount: tx.dest_amount,
    dest_unit: tx.dest_unit,
  };
}
