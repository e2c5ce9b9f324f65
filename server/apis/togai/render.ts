/** How records go out on the wire: only the fields Togai writes, never null, timestamps in ISO form. */
import { copyOfState } from '../../core/sandbox/transaction.ts';
import { aliasesAt } from './alias-rules.ts';
import type { AliasRecord, PricePlan, ScheduleSegment, StoredAccount, StoredPurchase, TogaiState } from './state.ts';

function defined<T extends Record<string, unknown>>(object: T): T {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined)) as T;
}

export function renderAccount(
  state: TogaiState,
  tenant: string,
  account: StoredAccount,
  options: { at: string; includeGroupDetails?: boolean },
): Record<string, unknown> {
  const aliases = aliasesAt(state.aliases[tenant] ?? [], account.id, options.at).map((r) => ({ alias: r.value }));
  const group =
    options.includeGroupDetails && account.invoiceGroupId
      ? state.invoiceGroups[tenant]?.[account.invoiceGroupId]
      : undefined;
  return defined({
    id: account.id,
    togaiAccountId: account.togaiAccountId,
    togaiCustomerId: account.togaiCustomerId,
    name: account.name,
    customerId: account.customerId,
    invoiceCurrency: account.invoiceCurrency,
    aliases,
    netTermDays: account.netTermDays,
    address: account.address,
    primaryEmail: account.primaryEmail,
    billingInformation: account.billingInformation,
    status: account.status,
    settings: account.settings,
    invoiceGroupDetails: group ? defined({ ...group }) : undefined,
    metadata: account.metadata,
    tags: account.tags,
  });
}

export function renderAlias(record: AliasRecord): Record<string, unknown> {
  const { id, value, effectiveFrom, effectiveUntil, createdAt, updatedAt } = record;
  return { id, value, effectiveFrom, effectiveUntil, createdAt, updatedAt };
}

/** A plan's details with a schedule's override laid over them. */
export function effectiveDetails(
  plan: PricePlan | undefined,
  override: Record<string, unknown> | undefined,
): Record<string, unknown> {
  const base = copyOfState(plan?.details ?? { supportedCurrencies: [], activeCurrencies: [] });
  return override ? { ...base, ...copyOfState(override) } : base;
}

/** A segment in UpdatePricingScheduleResponse (PlanOverride). */
export function renderPlanOverride(
  state: TogaiState,
  tenant: string,
  segment: ScheduleSegment,
): Record<string, unknown> {
  const plan = state.pricePlans[tenant]?.[segment.pricePlanId];
  return defined({
    id: segment.id,
    pricePlanId: segment.pricePlanId,
    pricePlanName: plan?.name ?? segment.pricePlanId,
    pricePlanDetailsOverride: segment.pricePlanDetailsOverride,
    pricingRulesOverride: segment.pricingRulesOverride,
    startDate: segment.startDate,
    endDate: segment.endDate,
  });
}

/** A segment in get_pricing_schedules (PricingScheduleWithPricePlanId). */
export function renderSchedule(
  state: TogaiState,
  tenant: string,
  segment: ScheduleSegment,
  options: { compact?: boolean; includePricePlanInfo?: boolean },
): Record<string, unknown> {
  const plan = state.pricePlans[tenant]?.[segment.pricePlanId];
  return defined({
    id: segment.id,
    pricePlanId: segment.pricePlanId,
    pricePlanName: plan?.name,
    pricePlanInfo: options.includePricePlanInfo && plan ? { name: plan.name } : undefined,
    version: segment.version,
    startDate: segment.startDate,
    endDate: segment.endDate,
    isOverriden: Boolean(segment.pricePlanDetailsOverride || segment.pricingRulesOverride),
    pricePlanDetails: options.compact ? undefined : effectiveDetails(plan, segment.pricePlanDetailsOverride),
    pricingRules: options.compact ? undefined : segment.pricingRulesOverride,
  });
}

/** The fields a Purchase carries (create response, and the base of get_purchase). */
export function renderPurchase(p: StoredPurchase): Record<string, unknown> {
  return defined({
    id: p.id,
    accountId: p.accountId,
    pricePlanId: p.pricePlanId,
    quantity: p.quantity,
    rateCardQuantities: p.rateCardQuantities,
    idempotencyKey: p.idempotencyKey,
    pricePlanVersion: p.pricePlanVersion,
    purchasePlanOverride: p.purchasePlanOverride,
    associationOverride: p.associationOverride,
    walletTopupDetails: p.walletTopupDetails,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
    effectiveFrom: p.effectiveFrom,
    effectiveUntil: p.effectiveUntil,
    expiryDate: p.expiryDate,
    price: p.price,
    invoiceId: p.invoiceId,
    invoiceCurrency: p.invoiceCurrency,
    status: p.status,
    type: p.type,
    comment: p.comment,
  });
}

/** The plan a purchase bought, with its override applied, when it bought one. */
export function purchasedPlan(state: TogaiState, p: StoredPurchase): Record<string, unknown> | undefined {
  if (!p.pricePlanId || p.type === 'ASSOCIATION') return undefined;
  const plan = state.pricePlans[p.tenant]?.[p.pricePlanId];
  return plan ? effectiveDetails(plan, p.purchasePlanOverride) : undefined;
}

export function renderPurchaseDetail(state: TogaiState, p: StoredPurchase): Record<string, unknown> {
  return defined({
    ...renderPurchase(p),
    purchasePlan: purchasedPlan(state, p),
    features: p.features?.length ? p.features : undefined,
  });
}

/** Name of the plan a purchase names, when it names one the tenant has. */
function planName(state: TogaiState, p: StoredPurchase): string | undefined {
  return p.pricePlanId ? state.pricePlans[p.tenant]?.[p.pricePlanId]?.name : undefined;
}

export function renderPurchaseListItem(state: TogaiState, p: StoredPurchase): Record<string, unknown> {
  return defined({
    id: p.id,
    pricePlanId: p.pricePlanId,
    pricePlanName: planName(state, p),
    quantity: p.quantity,
    rateCardQuantities: p.rateCardQuantities,
    pricePlanVersion: p.pricePlanVersion,
    status: p.status,
    idempotencyKey: p.idempotencyKey,
    purchasePlan: purchasedPlan(state, p),
    walletTopupDetails: p.walletTopupDetails,
    price: p.price,
    invoiceCurrency: p.invoiceCurrency,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
    type: p.type,
  });
}

export function renderProposal(p: StoredPurchase): Record<string, unknown> {
  return defined({ ...renderPurchase(p), paymentMode: p.paymentMode, proposalResponseDate: p.proposalResponseDate });
}

export function renderProposalListItem(state: TogaiState, p: StoredPurchase): Record<string, unknown> {
  return defined({
    id: p.id,
    pricePlanId: p.pricePlanId,
    pricePlanName: planName(state, p),
    pricePlanVersion: p.pricePlanVersion,
    status: p.status,
    walletTopupDetails: p.walletTopupDetails,
    idempotencyKey: p.idempotencyKey,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
    expiryDate: p.expiryDate,
    paymentMode: p.paymentMode,
    type: p.type,
  });
}
