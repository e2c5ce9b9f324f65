/**
 * The ledger as the billing lists show it: every transaction (the broker's), a subscriber's history, a provider's
 * receivables and transfers; the balance due and its write-off; offline payments. Every amount is computed from
 * state.transactions (ledger.ts).
 */
import type { HandlerContext, Reply } from '../../../core/plugin.ts';
import { bodyInstant } from '../model/dates.ts';
import { fieldErrors, forbidden } from '../model/errors.ts';
import {
  balanceDue,
  isOrderLine,
  orderLinesOf,
  post,
  renderTransaction,
  settleLine,
  subscriptionReference,
  unpaid,
  writeOffLine,
  type Account,
  type TransactionRecord,
} from '../model/ledger.ts';
import { inDateRange, matchesSearch, order, paginate, parseDate, searchTerms } from '../model/lists.ts';
import { canManageProfile, isBrokerManager, isManager, requireBrokerManager, requireProfileAccess, signedIn } from '../model/permissions.ts';
import { isoInstant } from '../model/periods.ts';
import { profileOr404 } from '../model/profiles-store.ts';
import { isCurrent, renews } from '../model/renewals.ts';
import type { DjaoappState, Principal, ProfileRecord, SubscriptionRecord, UserRecord } from '../state.ts';

type Ctx = HandlerContext<DjaoappState, Principal>;

// --- who sees what ---

/** The providers whose plans `subscriber` subscribes or subscribed to. */
export function providersOf(state: DjaoappState, subscriber: string): string[] {
  const plans = new Set(state.subscriptions.filter((s) => s.organization === subscriber).map((s) => s.plan));
  return [...new Set(state.plans.filter((p) => plans.has(p.slug)).map((p) => p.organization))];
}

/** A profile's billing is read by its managers, the broker's, and the managers of the providers it subscribes to. */
export function canReadBilling(state: DjaoappState, user: UserRecord, organization: string): boolean {
  return canManageProfile(state, user, organization) || providersOf(state, organization).some((p) => isManager(state, user.slug, p));
}

// --- which transactions each list shows ---

const SUBSCRIBER_ACCOUNTS: readonly Account[] = ['Payable', 'Liability', 'Refunded'];

/** A subscriber's history: money between its subscriber accounts and another organization (orders, payments, refunds, write-offs). */
export function inHistory(tx: TransactionRecord, organization: string): boolean {
  if (tx.orig_organization === tx.dest_organization) return false;
  return (
    (tx.orig_organization === organization && SUBSCRIBER_ACCOUNTS.includes(tx.orig_account)) ||
    (tx.dest_organization === organization && SUBSCRIBER_ACCOUNTS.includes(tx.dest_account))
  );
}

/** A provider's receivables: its sales, the order lines it invoiced, paid or not. */
export function isReceivable(tx: TransactionRecord, provider: string): boolean {
  return isOrderLine(tx) && tx.orig_organization === provider && tx.orig_amount > 0;
}

/** A provider's transfers: whatever went into or out of its Funds. */
export function isTransfer(tx: TransactionRecord, provider: string): boolean {
  return (tx.orig_organization === provider && tx.orig_account === 'Funds') || (tx.dest_organization === provider && tx.dest_account === 'Funds');
}

/** What `txs` put into the accounts `counts` selects minus what they took out of them, in cents of `unit`. */
export function netInto(txs: TransactionRecord[], unit: string, counts: (organization: string, account: Account) => boolean): number {
  let net = 0;
  for (const tx of txs) {
    if (tx.dest_unit === unit && counts(tx.dest_organization, tx.dest_account)) net += tx.dest_amount;
    if (tx.orig_unit === unit && counts(tx.orig_organization, tx.orig_account)) net -= tx.orig_amount;
  }
  return net;
}

/** The soonest end of a period that will renew (what is billed next), or null. */
export function nextBillingAt(state: DjaoappState, now: Date): string | null {
  const ends = state.subscriptions
    .filter((s) => isCurrent(s, now) && renews(s, state.plans.find((p) => p.slug === s.plan)))
    .map((s) => s.ends_at)
    .sort((a, b) => Date.parse(a) - Date.parse(b));
  return ends[0] ?? null;
}

// --- one page of transactions ---

const ORDER_FIELDS = ['created_at', 'description', 'amount', 'orig_organization', 'orig_account', 'dest_organization', 'dest_account'];
const SEARCH_FIELDS = ['description', 'orig_organization', 'orig_account', 'dest_organization', 'dest_account'];

/** The seed orders billing lists with `o=date`: the record's created_at. */
export function orderingWithDate(o: string[] | undefined): string[] | undefined {
  return o?.flatMap((v) => v.split(',')).map((v) => v.trim().replace(/^(-?)date$/, '$1created_at'));
}

/** start_at and ends_at as the list resolved them (ends_at defaults to now; start_at null when not asked). */
export function dateRange(ctx: Ctx): { start_at: string | null; ends_at: string } {
  const now = ctx.now();
  return {
    start_at: ctx.query.start_at === undefined ? null : isoInstant(parseDate(ctx.query.start_at, now)!),
    ends_at: isoInstant(parseDate(ctx.query.ends_at, now)!),
  };
}

/** In the query's date range (lists.inDateRange). */
export function listedAt(ctx: Ctx, createdAt: string): boolean {
  return inDateRange(createdAt, ctx.query.start_at, ctx.query.ends_at, ctx.now());
}

/** The transactions matching the query's dates and search, in its order, and the page of them `seenFrom` sees. */
function ledgerPage(ctx: Ctx, txs: TransactionRecord[], seenFrom: string | null) {
  const terms = searchTerms(ctx.query.q);
  const rows = txs
    .filter((tx) => listedAt(ctx, tx.created_at))
    .map((tx) => ({ tx, id: tx.id, ...renderTransaction(tx, seenFrom), amount: tx.dest_amount }))
    .filter((row) => matchesSearch(row, SEARCH_FIELDS, terms, ctx.query.q_f));
  const sorted = order(rows, orderingWithDate(ctx.query.o), ctx.query.ot, ORDER_FIELDS, ['-created_at', '-id']);
  const page = paginate(sorted, ctx.request, ctx.query.page, ctx.query.page_size);
  const matched = sorted.map((row) => row.tx);
  return { matched, unit: matched[0]?.dest_unit ?? 'usd', page: { ...page, results: page.results.map((row) => renderTransaction(row.tx, seenFrom)) } };
}

export function transactions_list(ctx: Ctx): Reply {
  requireBrokerManager(ctx.state, ctx.principal);
  const { matched, unit, page } = ledgerPage(ctx, ctx.state.transactions, null);
  const selector = ctx.query.selector?.toLowerCase();
  const balance = netInto(matched, unit, (_org, account) => !selector || account.toLowerCase().includes(selector));
  return {
    status: 200,
    body: { ...dateRange(ctx), next_billing_at: nextBillingAt(ctx.state, ctx.now()), balance_amount: balance, balance_unit: unit, balance, unit, ...page },
  };
}

/** The profile in the URL, whose billing the caller may read (403 first, then 404 for no such profile). */
function billingProfileToRead(ctx: Ctx): ProfileRecord {
  if (!canReadBilling(ctx.state, signedIn(ctx.principal), ctx.params.organization)) throw forbidden();
  return profileOr404(ctx.state, ctx.params.organization);
}

export function billing_history_list(ctx: Ctx): Reply {
  const profile = billingProfileToRead(ctx);
  const { page } = ledgerPage(ctx, ctx.state.transactions.filter((tx) => inHistory(tx, profile.slug)), profile.slug);
  const due = balanceDue(ctx.state, profile.slug);
  return { status: 200, body: { ...dateRange(ctx), balance_amount: due.amount, balance_unit: due.unit, balance: due.amount, unit: due.unit, ...page } };
}

export function billing_receivables_list(ctx: Ctx): Reply {
  requireProfileAccess(ctx.state, ctx.principal, ctx.params.organization, 'manage');
  const provider = profileOr404(ctx.state, ctx.params.organization);
  const { matched, unit, page } = ledgerPage(ctx, ctx.state.transactions.filter((tx) => isReceivable(tx, provider.slug)), provider.slug);
  const total = matched.filter((tx) => tx.orig_unit === unit).reduce((sum, tx) => sum + tx.orig_amount, 0);
  return { status: 200, body: { ...dateRange(ctx), balance_amount: total, balance_unit: unit, total: String(total), unit, ...page } };
}

export function billing_transfers_list(ctx: Ctx): Reply {
  requireProfileAccess(ctx.state, ctx.principal, ctx.params.organization, 'manage');
  const provider = profileOr404(ctx.state, ctx.params.organization);
  const { matched, unit, page } = ledgerPage(ctx, ctx.state.transactions.filter((tx) => isTransfer(tx, provider.slug)), provider.slug);
  const balance = netInto(matched, unit, (org, account) => org === provider.slug && account === 'Funds');
  return { status: 200, body: { ...dateRange(ctx), balance_amount: balance, balance_unit: unit, balance, unit, ...page } };
}

// --- the balance due ---

export function billing_balance_retrieve(ctx: Ctx): Reply {
  const profile = billingProfileToRead(ctx);
  const due = balanceDue(ctx.state, profile.slug);
  return { status: 200, body: { balance_amount: String(due.amount), balance_unit: due.unit } };
}

/** Writing a balance off is the provider's call: the broker's managers write off every line, a provider's its own. */
export function billing_balance_destroy(ctx: Ctx): Reply {
  const user = signedIn(ctx.principal);
  const { state } = ctx;
  const broker = isBrokerManager(state, user);
  const managed = providersOf(state, ctx.params.organization).filter((p) => isManager(state, user.slug, p));
  if (!broker && !managed.length) throw forbidden();
  const profile = profileOr404(state, ctx.params.organization);
  const now = ctx.now();
  for (const line of orderLinesOf(state, profile.slug)) {
    if (broker || managed.includes(line.orig_organization)) writeOffLine(state, now, line, `Balance of ${line.descr} written off`);
  }
  return { status: 204 };
}

// --- offline payments ---

/** Dollars as the import takes them ("10.00", "10", 10.5) in integer cents; null unless above 0 with at most two decimals. */
export function dollarsToCents(amount: string | number): number | null {
  const text = typeof amount === 'number' ? String(amount) : amount.trim();
  const match = /^(\d+)(?:\.(\d{1,2}))?$/.exec(text);
  if (!match) return null;
  const cents = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
  return cents > 0 && Number.isSafeInteger(cents) ? cents : null;
}

/**
 * The subscription an import names as the seed does, "<subscriber>-<plan>" (e.g. xia-open-space), among the
 * provider's plans: the latest one when the subscriber had several.
 */
export function subscriptionByReference(state: DjaoappState, provider: string, reference: string): SubscriptionRecord | undefined {
  const plans = new Set(state.plans.filter((p) => p.organization === provider).map((p) => p.slug));
  return state.subscriptions
    .filter((s) => plans.has(s.plan) && subscriptionReference(s) === reference)
    .sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at) || b.id - a.id)[0];
}

interface ImportInput {
  subscription: string;
  created_at: string;
  amount: string | number;
  descr?: string | null;
}

/**
 * A payment received outside the processor (ledger.ts's offline payment): the subscriber's Liability pays the
 * provider's Funds, and the payment settles the subscription's unpaid order lines, oldest first.
 */
export function billing_transfers_import(ctx: Ctx): Reply {
  requireProfileAccess(ctx.state, ctx.principal, ctx.params.organization, 'manage');
  const { state } = ctx;
  const provider = profileOr404(state, ctx.params.organization);
  const input = ctx.body as ImportInput;
  const at = bodyInstant('created_at', input.created_at);
  const sub = subscriptionByReference(state, provider.slug, input.subscription);
  const cents = dollarsToCents(input.amount);
  const errors: Record<string, string[]> = {};
  if (!sub) errors.subscription = [`No subscription '${input.subscription}' to a plan of ${provider.slug}.`];
  if (cents === null) errors.amount = ['Enter an amount above 0 with at most two decimal places.'];
  if (!sub || cents === null) throw fieldErrors(errors);
  const unit = state.plans.find((p) => p.slug === sub.plan)!.unit;
  const reference = input.subscription;
  const descr = input.descr || `Offline payment for ${reference}`;
  const event_id = `sub_${sub.id}`;
  post(state, at, { descr, event_id, orig: [sub.organization, 'Liability'], dest: [provider.slug, 'Funds'], amount: cents, unit });
  let left = cents;
  const lines = orderLinesOf(state, sub.organization).filter((l) => l.period?.subscription === sub.id && l.dest_unit === unit);
  for (const line of lines) {
    if (left === 0) break;
    const settled = Math.min(left, unpaid(state, line));
    if (settled <= 0) continue;
    settleLine(state, at, line, settled, event_id, descr);
    left -= settled;
  }
  return { status: 200, body: { subscription: reference, created_at: isoInstant(at), amount: (cents / 100).toFixed(2), descr } };
}
