/** Handler of /api/billing/{organization}/receivables/: a provider's sales, paid or not. */
import type { Ctx, Reply } from '../model/context.ts';
import { requireProfileAccess } from '../model/permissions.ts';
import { profileOr404 } from '../model/profiles-store.ts';
import { dateRange, isReceivable, ledgerPage } from './ledger-lists.ts';

export function billing_receivables_list(ctx: Ctx<'billing_receivables_list'>): Reply<'billing_receivables_list'> {
  requireProfileAccess(ctx.state, ctx.principal, ctx.params.organization, 'manage');
  const provider = profileOr404(ctx.state, ctx.params.organization);
  const { matched, unit, page } = ledgerPage(
    ctx,
    ctx.state.transactions.filter((tx) => isReceivable(tx, provider.slug)),
    provider.slug,
  );
  const total = matched.filter((tx) => tx.orig_unit === unit).reduce((sum, tx) => sum + tx.orig_amount, 0);
  return {
    status: 200,
    body: { ...dateRange(ctx), balance_amount: total, balance_unit: unit, total: String(total), unit, ...page },
  };
}
