/** Handler of /api/billing/transactions/: every transaction of the ledger, for the broker's managers. */
import type { Ctx, Reply } from '../model/context.ts';
import { requireBrokerManager } from '../model/permissions.ts';
import { dateRange, ledgerPage, netInto, nextBillingAt } from './ledger-lists.ts';

export function transactions_list(ctx: Ctx<'transactions_list'>): Reply<'transactions_list'> {
  requireBrokerManager(ctx.state, ctx.principal);
  const { matched, unit, page } = ledgerPage(ctx, ctx.state.transactions, null);
  const selector = ctx.query.selector?.toLowerCase();
  const balance = netInto(matched, unit, (_org, account) => !selector || account.toLowerCase().includes(selector));
  return {
    status: 200,
    body: {
      ...dateRange(ctx),
      next_billing_at: nextBillingAt(ctx.state, ctx.now()),
      balance_amount: balance,
      balance_unit: unit,
      balance,
      unit,
      ...page,
    },
  };
}
