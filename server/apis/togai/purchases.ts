/**
 * Handlers of purchases: initiate_one_time_entitlement_plan, list_account_purchases, get_purchase; and the
 * purchase rules proposals share (what a purchase of each type needs, costs and grants).
 */
import { findAccount, newId, nowIso, tenantOf, writableAccount, type Ctx, type Reply } from './context.ts';
import { grantEntitlements, roundMoney, type EntitlementCard } from './entitlements.ts';
import { badRequest, notFound } from './errors.ts';
import { expireProposals } from './lifecycle.ts';
import { dayOf, FOREVER } from './periods.ts';
import { editSchedule } from './pricing-schedules.ts';
import { cleanOverride } from './schedule.ts';
import { renderPurchase, renderPurchaseDetail, renderPurchaseListItem } from './render.ts';
import type { PricePlan, PurchaseType, StoredAccount, StoredPurchase } from './state.ts';
import { entryOf } from '../../core/records.ts';

/** What a purchase or proposal request may say (the core has checked types and required fields). */
export type PurchaseInput = Partial<
  Pick<
    StoredPurchase,
    | 'type'
    | 'pricePlanId'
    | 'quantity'
    | 'rateCardQuantities'
    | 'idempotencyKey'
    | 'purchasePlanOverride'
    | 'associationOverride'
    | 'walletTopupDetails'
    | 'effectiveFrom'
    | 'effectiveUntil'
    | 'expiryDate'
    | 'paymentMode'
  >
>;

function planOf(ctx: Ctx, id: string | undefined, type: PurchaseType): PricePlan {
  if (!id) throw badRequest(`pricePlanId is required for a ${type} purchase`);
  const plan = entryOf(ctx.state.pricePlans[tenantOf(ctx)], id);
  if (!plan) throw badRequest(`Price plan ${id} does not exist`);
  return plan;
}

/** The purchase an input describes, checked but not stored; `proposal` purchases take no effect yet. */
export function describePurchase(
  ctx: Ctx,
  account: StoredAccount,
  input: PurchaseInput,
  proposal: boolean,
): StoredPurchase {
  const type = input.type ?? 'ENTITLEMENT_GRANT';
  const now = nowIso(ctx);
  if (input.effectiveFrom && input.effectiveUntil && input.effectiveUntil < input.effectiveFrom)
    throw badRequest('effectiveUntil must not be before effectiveFrom');
  if (input.expiryDate && proposal && new Date(input.expiryDate).getTime() <= ctx.now().getTime())
    throw badRequest('expiryDate must be in the future');
  if (input.quantity !== undefined && input.quantity < 1) throw badRequest('quantity must be at least 1');
  for (const [feature, q] of Object.entries(input.rateCardQuantities ?? {}))
    if (!(q > 0)) throw badRequest(`rateCardQuantities.${feature} must be greater than 0`);

  const purchase: StoredPurchase = {
    id: '',
    tenant: tenantOf(ctx),
    accountId: account.id,
    type,
    status: proposal ? 'PROPOSAL_ACTIVE' : 'SUCCESS',
    createdAt: now,
    updatedAt: now,
  };
  const copy = <K extends keyof PurchaseInput>(...keys: K[]) => {
    for (const key of keys) {
      const value = input[key];
      if (value !== undefined) purchase[key] = structuredClone(value);
    }
  };
  copy('quantity', 'rateCardQuantities', 'idempotencyKey', 'expiryDate', 'paymentMode');

  if (type === 'WALLET_TOPUP') {
    const topup = input.walletTopupDetails;
    if (!topup) throw badRequest('walletTopupDetails is required for a WALLET_TOPUP purchase');
    if (!(topup.topupAmount > 0)) throw badRequest('walletTopupDetails.topupAmount must be greater than 0');
    if (topup.purchaseAmount !== undefined && topup.purchaseAmount < 0)
      throw badRequest('walletTopupDetails.purchaseAmount must not be negative');
    purchase.walletTopupDetails = { ...topup };
    purchase.price = roundMoney(topup.purchaseAmount ?? topup.topupAmount);
    purchase.invoiceCurrency = account.invoiceCurrency;
    return purchase;
  }

  const plan = planOf(ctx, input.pricePlanId, type);
  purchase.pricePlanId = plan.id;
  purchase.pricePlanVersion = plan.version;
  if (type === 'ASSOCIATION') {
    if (plan.details.type === 'PURCHASE')
      throw badRequest(`Price plan ${plan.id} is a purchase plan; an ASSOCIATION needs a billing plan`);
    purchase.effectiveFrom = input.effectiveFrom ?? dayOf(now);
    purchase.effectiveUntil = input.effectiveUntil ?? dayOf(FOREVER);
    const override = cleanOverride(input.associationOverride);
    if (override) purchase.associationOverride = override;
    // Refuse now what the schedule would refuse later (different interval, ...): a dry run of the edit.
    editSchedule(ctx, account, [associationEdit(purchase)], true);
    return purchase;
  }

  // ENTITLEMENT_GRANT and PREPAID buy a purchase plan's entitlements.
  if (plan.details.type === 'BILLING')
    throw badRequest(`Price plan ${plan.id} is a billing plan; use an ASSOCIATION to put it on the account`);
  if (!plan.details.supportedCurrencies.includes(account.invoiceCurrency))
    throw badRequest(`Price plan ${plan.id} has no rates in the account's invoice currency ${account.invoiceCurrency}`);
  const override = cleanOverride(input.purchasePlanOverride);
  if (override) purchase.purchasePlanOverride = override;
  if (input.effectiveFrom) purchase.effectiveFrom = input.effectiveFrom;
  if (input.effectiveUntil) purchase.effectiveUntil = input.effectiveUntil;
  const cards = (override?.billingEntitlementRateCards ??
    plan.details.billingEntitlementRateCards ??
    []) as EntitlementCard[];
  const { price } = grantEntitlements(cards, {
    quantity: input.quantity,
    rateCardQuantities: input.rateCardQuantities,
    currency: account.invoiceCurrency,
    now: ctx.now(),
  });
  purchase.price = price;
  purchase.invoiceCurrency = account.invoiceCurrency;
  return purchase;
}

function associationEdit(purchase: StoredPurchase) {
  return {
    mode: 'ASSOCIATE' as const,
    pricePlanId: purchase.pricePlanId,
    effectiveFrom: purchase.effectiveFrom!,
    effectiveUntil: purchase.effectiveUntil!,
    pricePlanDetailsOverride: purchase.associationOverride,
  };
}

/** Makes a described purchase take effect: grants, invoices, or the plan on the schedule. */
export function fulfil(ctx: Ctx, account: StoredAccount, purchase: StoredPurchase): void {
  if (purchase.type === 'ASSOCIATION') {
    editSchedule(ctx, account, [associationEdit(purchase)], false);
    return;
  }
  if (purchase.type === 'ENTITLEMENT_GRANT' || purchase.type === 'PREPAID') {
    const plan = ctx.state.pricePlans[purchase.tenant]![purchase.pricePlanId!]!;
    const cards = (purchase.purchasePlanOverride?.billingEntitlementRateCards ??
      plan.details.billingEntitlementRateCards ??
      []) as EntitlementCard[];
    const granted = grantEntitlements(cards, {
      quantity: purchase.quantity,
      rateCardQuantities: purchase.rateCardQuantities,
      currency: account.invoiceCurrency,
      now: ctx.now(),
    });
    purchase.features = granted.features;
    purchase.price = granted.price;
  }
  purchase.invoiceId = newId(ctx, 'inv');
}

/** The tenant's purchase with this id (proposals included), expiring proposals on the way; 404 otherwise. */
export function findPurchase(ctx: Ctx, id: string, what = 'Purchase'): StoredPurchase {
  expireTenantProposals(ctx);
  const purchase = entryOf(ctx.state.purchases, id);
  if (!purchase || purchase.tenant !== tenantOf(ctx)) throw notFound(`${what} with id ${id} does not exist`);
  return purchase;
}

/** Lazily applies the clock to the tenant's proposals; a GET that expires one marks the sandbox changed. */
export function expireTenantProposals(ctx: Ctx): void {
  const tenant = tenantOf(ctx);
  const moved = expireProposals(
    Object.values(ctx.state.purchases).filter((p) => p.tenant === tenant),
    ctx.now(),
  );
  if (moved && ctx.request.method === 'GET') ctx.changed();
}

/** A purchase of the account already made with this idempotency key (purchases and proposals are separate). */
export function idempotentMatch(
  ctx: Ctx,
  accountId: string,
  key: string | undefined,
  proposal: boolean,
): StoredPurchase | undefined {
  if (!key) return undefined;
  return Object.values(ctx.state.purchases).find(
    (p) =>
      p.tenant === tenantOf(ctx) &&
      p.accountId === accountId &&
      p.idempotencyKey === key &&
      Boolean(p.paymentMode) === proposal,
  );
}

export function newestFirst(a: StoredPurchase, b: StoredPurchase): number {
  return a.createdAt !== b.createdAt ? (a.createdAt < b.createdAt ? 1 : -1) : a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

export function initiate_one_time_entitlement_plan(
  ctx: Ctx<'initiate_one_time_entitlement_plan'>,
): Reply<'initiate_one_time_entitlement_plan'> {
  const account = writableAccount(ctx, ctx.params.account_id);
  const input = ctx.body;
  const previous = idempotentMatch(ctx, account.id, input.idempotencyKey, false);
  if (previous) return { status: 200, body: renderPurchase(previous) };
  const purchase = describePurchase(ctx, account, input, false);
  purchase.id = newId(ctx, 'purchase');
  fulfil(ctx, account, purchase);
  ctx.state.purchases[purchase.id] = purchase;
  return { status: 200, body: renderPurchase(purchase) };
}

export function list_account_purchases(ctx: Ctx<'list_account_purchases'>): Reply<'list_account_purchases'> {
  const account = findAccount(ctx, ctx.params.account_id);
  const tenant = tenantOf(ctx);
  const purchases = Object.values(ctx.state.purchases)
    .filter((p) => p.tenant === tenant && p.accountId === account.id && !p.paymentMode)
    .sort(newestFirst);
  return { status: 200, body: { data: purchases.map((p) => renderPurchaseListItem(ctx.state, p)) } };
}

export function get_purchase(ctx: Ctx<'get_purchase'>): Reply<'get_purchase'> {
  return { status: 200, body: renderPurchaseDetail(ctx.state, findPurchase(ctx, ctx.params.purchase_id)) };
}
