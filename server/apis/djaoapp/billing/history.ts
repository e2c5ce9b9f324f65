/** Handler of /api/billing/{organization}/history/: a subscriber's transactions and its balance due. */
import type { Ctx, Reply } from '../model/context.ts';
import { balanceDue } from '../model/ledger.ts';
import { billingProfileToRead, dateRange, inHistory, ledgerPage } from './ledger-lists.ts';

export function billing_history_list(ctx: Ctx<'billing_history_list'>): Reply<'billing_history_list'> {
  const profile = billingProfileToRead(ctx);
  const { page } = ledgerPage(
    ctx,
    ctx.state.transactions.filter((tx) => inHistory(tx, profile.slug)),
    profile.slug,
  );
  const due = balanceDue(ctx.state, profile.slug);
  return {
    status: 200,
    body: {
      ...dateRange(ctx),
      balance_amount: due.amount,
      balance_unit: due.unit,
      balance: due.amount,
      unit: due.unit,
      ...page,
    },
  };
}
