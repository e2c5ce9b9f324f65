/**
 * The ledger as the billing lists show it (transactions, history, receivables, transfers): who may read a profile's
 * billing, which transactions each list shows, and one page of them. Every amount is computed from
 * state.transactions (model/ledger.ts).
 */
import { forbidden } from '../model/errors.ts';
import { isOrderLine, renderTransaction, type Account, type TransactionRecord } from '../model/ledger.ts';
import { inDateRange, matchesSearch, order, paginate, parseDate, searchTerms } from '../model/lists.ts';
import { canManageProfile, isManager, signedIn } from '../model/permissions.ts';
import { isoInstant } from '../model/periods.ts';
import { profileOr404 } from '../model/profiles-store.ts';
import { isCurrent, renews } from '../model/renewals.ts';
import type { DjaoappState, ProfileRecord, UserRecord } from '../state.ts';
import type { Ctx, Query } from '../model/context.ts';

// --- who sees what ---

/** The providers whose plans `subscriber` subscribes or subscribed to. */
export function providersOf(state: DjaoappState, subscriber: string): string[] {
  const plans = new Set(state.subscriptions.filter((s) => s.organization === subscriber).map((s) => s.plan));
  return [...new Set(state.plans.filter((p) => plans.has(p.slug)).map((p) => p.organization))];
}

/** A profile's billing is read by its managers, the broker's, and the managers of the providers it subscribes to. */
export function canReadBilling(state: DjaoappState, user: UserRecord, organization: string): boolean {
  return (
    canManageProfile(state, user, organization) ||
    providersOf(state, organization).some((p) => isManager(state, user.slug, p))
  );
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
  return (
    (tx.orig_organization === provider && tx.orig_account === 'Funds') ||
    (tx.dest_organization === provider && tx.dest_account === 'Funds')
  );
}

/** What `txs` put into the accounts `counts` selects minus what they took out of them, in cents of `unit`. */
export function netInto(
  txs: TransactionRecord[],
  unit: string,
  counts: (organization: string, account: Account) => boolean,
): number {
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
    .filter(
      (s) =>
        isCurrent(s, now) &&
        renews(
          s,
          state.plans.find((p) => p.slug === s.plan),
        ),
    )
    .map((s) => s.ends_at)
    .sort((a, b) => Date.parse(a) - Date.parse(b));
  return ends[0] ?? null;
}

// --- one page of transactions ---

const ORDER_FIELDS = [
  'created_at',
  'description',
  'amount',
  'orig_organization',
  'orig_account',
  'dest_organization',
  'dest_account',
];
const SEARCH_FIELDS = ['description', 'orig_organization', 'orig_account', 'dest_organization', 'dest_account'];

/** The seed orders billing lists with `o=date`: the record's created_at. */
export function orderingWithDate(o: string[] | undefined): string[] | undefined {
  return o?.flatMap((v) => v.split(',')).map((v) => v.trim().replace(/^(-?)date$/, '$1created_at'));
}

/** start_at and ends_at as the list resolved them (ends_at defaults to now; start_at null when not asked). */
export function dateRange(ctx: Ctx & { query: Query }): { start_at: string | null; ends_at: string } {
  const now = ctx.now();
  return {
    start_at: ctx.query.start_at === undefined ? null : isoInstant(parseDate(ctx.query.start_at, now)!),
    ends_at: isoInstant(parseDate(ctx.query.ends_at, now)!),
  };
}

/** In the query's date range (lists.inDateRange). */
export function listedAt(ctx: Ctx & { query: Query }, createdAt: string): boolean {
  return inDateRange(createdAt, ctx.query.start_at, ctx.query.ends_at, ctx.now());
}

/** The transactions matching the query's dates and search, in its order, and the page of them `seenFrom` sees. */
export function ledgerPage(ctx: Ctx & { query: Query }, txs: TransactionRecord[], seenFrom: string | null) {
  const terms = searchTerms(ctx.query.q);
  const rows = txs
    .filter((tx) => listedAt(ctx, tx.created_at))
    .map((tx) => ({ tx, id: tx.id, ...renderTransaction(tx, seenFrom), amount: tx.dest_amount }))
    .filter((row) => matchesSearch(row, SEARCH_FIELDS, terms, ctx.query.q_f));
  const sorted = order(rows, orderingWithDate(ctx.query.o), ctx.query.ot, ORDER_FIELDS, ['-created_at', '-id']);
  const page = paginate(sorted, ctx.request, ctx.query.page, ctx.query.page_size);
  const matched = sorted.map((row) => row.tx);
  return {
    matched,
    unit: matched[0]?.dest_unit ?? 'usd',
    page: { ...page, results: page.results.map((row) => renderTransaction(row.tx, seenFrom)) },
  };
}

/** The profile in the URL, whose billing the caller may read (403 first, then 404 for no such profile). */
export function billingProfileToRead(ctx: Ctx & { params: { organization: string } }): ProfileRecord {
  if (!canReadBilling(ctx.state, signedIn(ctx.principal), ctx.params.organization)) throw forbidden();
  return profileOr404(ctx.state, ctx.params.organization);
}
