/**
 * Handlers of /api/billing/{organization}/transfers/: what went into or out of a provider's Funds, and the offline
 * payments it imports.
 */
import type { Ctx, Reply } from '../model/context.ts';
import { bodyInstant } from '../model/dates.ts';
import { fieldErrors } from '../model/errors.ts';
import { orderLinesOf, post, settleLine, subscriptionReference, unpaid } from '../model/ledger.ts';
import { isoInstant } from '../model/periods.ts';
import { requireProfileAccess } from '../model/permissions.ts';
import { profileOr404 } from '../model/profiles-store.ts';
import type { DjaoappState, SubscriptionRecord } from '../state.ts';
import { dateRange, isTransfer, ledgerPage, netInto } from './ledger-lists.ts';

export function billing_transfers_list(ctx: Ctx<'billing_transfers_list'>): Reply<'billing_transfers_list'> {
  requireProfileAccess(ctx.state, ctx.principal, ctx.params.organization, 'manage');
  const provider = profileOr404(ctx.state, ctx.params.organization);
  const { matched, unit, page } = ledgerPage(
    ctx,
    ctx.state.transactions.filter((tx) => isTransfer(tx, provider.slug)),
    provider.slug,
  );
  const balance = netInto(matched, unit, (org, account) => org === provider.slug && account === 'Funds');
  return {
    status: 200,
    body: { ...dateRange(ctx), balance_amount: balance, balance_unit: unit, balance, unit, ...page },
  };
}

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
export function subscriptionByReference(
  state: DjaoappState,
  provider: string,
  reference: string,
): SubscriptionRecord | undefined {
  const plans = new Set(state.plans.filter((p) => p.organization === provider).map((p) => p.slug));
  return state.subscriptions
    .filter((s) => plans.has(s.plan) && subscriptionReference(s) === reference)
    .sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at) || b.id - a.id)[0];
}

/**
 * A payment received outside the processor (ledger.ts's offline payment): the subscriber's Liability pays the
 * provider's Funds, and the payment settles the subscription's unpaid order lines, oldest first.
 */
export function billing_transfers_import(ctx: Ctx<'billing_transfers_import'>): Reply<'billing_transfers_import'> {
  requireProfileAccess(ctx.state, ctx.principal, ctx.params.organization, 'manage');
  const { state } = ctx;
  const provider = profileOr404(state, ctx.params.organization);
  const input = ctx.body;
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
  post(state, at, {
    descr,
    event_id,
    orig: [sub.organization, 'Liability'],
    dest: [provider.slug, 'Funds'],
    amount: cents,
    unit,
  });
  let left = cents;
  const lines = orderLinesOf(state, sub.organization).filter(
    (l) => l.period?.subscription === sub.id && l.dest_unit === unit,
  );
  for (const line of lines) {
    if (left === 0) break;
    const settled = Math.min(left, unpaid(state, line));
    if (settled <= 0) continue;
    settleLine(state, at, line, settled, event_id, descr);
    left -= settled;
  }
  return {
    status: 200,
    body: { subscription: reference, created_at: isoInstant(at), amount: (cents / 100).toFixed(2), descr },
  };
}
