/** Handlers of /api/billing/{organization}/balance/: a subscriber's balance due, and its write-off. */
import type { Ctx, Reply } from '../model/context.ts';
import { forbidden } from '../model/errors.ts';
import { balanceDue, orderLinesOf, writeOffLine } from '../model/ledger.ts';
import { isBrokerManager, isManager, signedIn } from '../model/permissions.ts';
import { profileOr404 } from '../model/profiles-store.ts';
import { billingProfileToRead, providersOf } from './ledger-lists.ts';

export function billing_balance_retrieve(ctx: Ctx<'billing_balance_retrieve'>): Reply<'billing_balance_retrieve'> {
  const profile = billingProfileToRead(ctx);
  const due = balanceDue(ctx.state, profile.slug);
  return { status: 200, body: { balance_amount: String(due.amount), balance_unit: due.unit } };
}

/** Writing a balance off is the provider's call: the broker's managers write off every line, a provider's its own. */
export function billing_balance_destroy(ctx: Ctx<'billing_balance_destroy'>): Reply<'billing_balance_destroy'> {
  const user = signedIn(ctx.principal);
  const { state } = ctx;
  const broker = isBrokerManager(state, user);
  const managed = providersOf(state, ctx.params.organization).filter((p) => isManager(state, user.slug, p));
  if (!broker && !managed.length) throw forbidden();
  const profile = profileOr404(state, ctx.params.organization);
  const now = ctx.now();
  for (const line of orderLinesOf(state, profile.slug)) {
    if (broker || managed.includes(line.orig_organization))
      writeOffLine(state, now, line, `Balance of ${line.descr} written off`);
  }
  return { status: 204 };
}
