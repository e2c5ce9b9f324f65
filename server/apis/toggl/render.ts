/** Records of the store as Toggl's JSON models. Dates that do not apply are left out: Toggl never sends null. */
import {
  billingCurrency,
  billingTax,
  currentSubscription,
  customerOf,
  freePlan,
  latestSubscription,
  pricingPlan,
  trialAvailable,
} from './billing.ts';
import { reportedState } from './lifecycle.ts';
import { seatMonthCents, withTax } from './pricing.ts';
import type { ContactDetail, Customer, Organization, Plan, Subscription, TogglState } from './state.ts';
import type { components } from './contract.d.ts';

type Json = Record<string, unknown>;
type Schemas = components['schemas'];

/** Drops undefined and null members, so optional fields are absent rather than null. */
export function compact<T extends Json>(value: T): { [K in keyof T]: Exclude<T[K], null> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== null)) as {
    [K in keyof T]: Exclude<T[K], null>;
  };
}

export function renderContactDetail(state: TogglState, contact: ContactDetail): Schemas['ModelsContactDetail'] {
  const country = state.countries[String(contact.country_id)];
  return compact({
    contact_detail_id: contact.contact_detail_id,
    customer_id: contact.customer_id,
    user_id: contact.user_id,
    company_name: contact.company_name,
    company_address: contact.company_address,
    company_city: contact.company_city,
    contact_email: contact.contact_email,
    contact_person: contact.contact_person,
    country_id: contact.country_id,
    country_subdivision_id: contact.country_subdivision_id,
    zip_code: contact.zip_code,
    vat_number: contact.vat_number,
    is_eu_resident: Boolean(country?.eu),
    created_at: contact.created_at,
    updated_at: contact.updated_at,
  });
}

function renderCardWithCreator(
  state: TogglState,
  customer: Customer | undefined,
): Schemas['ModelsCardDetails'] | undefined {
  if (!customer?.card) return undefined;
  return { ...customer.card, creator_name: state.users[String(customer.card.creator_id)]?.fullname ?? '' };
}

function renderPaymentDetail(
  customer: Customer | undefined,
  currency: string,
): Schemas['ModelsPaymentDetail'] | undefined {
  if (!customer?.payment) return undefined;
  return { ...customer.payment, customer_id: customer.customer_id, currency };
}

function renderPeriod(sub: Subscription): Schemas['ModelsPeriod'] | undefined {
  const last = sub.periods[sub.periods.length - 1];
  return last ? { ...last, subscription_id: sub.subscription_id } : undefined;
}

export function renderCustomer(state: TogglState, customer: Customer): Schemas['ModelsCustomer'] {
  const company = state.companies[String(customer.company_id)];
  const currency = state.currencies.find((c) => c.currency_id === customer.currency_id)?.iso_code ?? 'USD';
  return compact({
    customer_id: customer.customer_id,
    organization_id: customer.organization_id,
    company_id: customer.company_id,
    currency_id: customer.currency_id,
    created_at: customer.created_at,
    purchase_order_enabled: customer.purchase_order_enabled,
    company: company
      ? {
          company_id: company.company_id,
          name: company.name,
          address: company.address,
          bank_details: company.bank_details,
          tax_number: company.tax_number,
          tax_number_name: company.tax_number_name,
          tax_type: company.tax_type,
        }
      : undefined,
    contact_detail: renderContactDetail(state, customer.contact_detail),
    payment_detail: renderPaymentDetail(customer, currency),
  });
}

/** ModelsSubscription: the record POST /workspaces/{id}/subscription answers with. */
export function renderSubscription(state: TogglState, sub: Subscription): Schemas['ModelsSubscription'] {
  const org = state.organizations[String(sub.organization_id)]!;
  const customer = customerOf(state, org);
  return compact({
    subscription_id: sub.subscription_id,
    workspace_id: sub.workspace_id,
    organization_id: sub.organization_id,
    company_id: customer?.company_id,
    customer_id: customer?.customer_id,
    pricing_plan_id: sub.pricing_plan_id,
    last_pricing_plan_id: sub.last_pricing_plan_id,
    auto_renew: sub.status === 'active',
    currency: sub.currency,
    created_at: sub.created_at,
    renewal_at: sub.status === 'active' ? sub.current_period_end : undefined,
    deleted_at: sub.status === 'ended' ? sub.ended_at : undefined,
    card_details: renderCardWithCreator(state, customer),
    contact_detail: customer ? renderContactDetail(state, customer.contact_detail) : undefined,
    payment_details: renderPaymentDetail(customer, sub.currency),
    subscription_period: renderPeriod(sub),
  });
}

function lastInvoice(state: TogglState, org: Organization): Schemas['SubscriptionInvoiceInfo'] | undefined {
  const invoice = Object.values(state.invoices)
    .filter((i) => i.organization_id === org.id)
    .sort((a, b) => b.created_at.localeCompare(a.created_at) || b.id - a.id)[0];
  if (!invoice) return undefined;
  return compact({
    id: invoice.id,
    amount: invoice.amount,
    tax_percentage: invoice.tax_percentage,
    total_amount: invoice.total_amount,
    currency_id: state.currencies.find((c) => c.iso_code === invoice.currency)?.currency_id,
    created_at: invoice.created_at,
    due: invoice.due,
    paid_at: invoice.paid_at,
  });
}

function lastPayment(state: TogglState, org: Organization): Schemas['ModelsPaymentInfo'] | undefined {
  const payment = Object.values(state.payments)
    .filter((p) => p.organization_id === org.id)
    .sort((a, b) => b.created_at.localeCompare(a.created_at) || b.id - a.id)[0];
  return payment
    ? { id: payment.id, created_at: payment.created_at, description: payment.description, status: payment.status }
    : undefined;
}

/** SubscriptionOutData of an organization as it stands now (settle it to the clock first). */
export function renderOutData(state: TogglState, org: Organization): Schemas['SubscriptionOutData'] {
  const running = currentSubscription(state, org);
  const latest = running ?? latestSubscription(state, org);
  const customer = customerOf(state, org);
  const currency = running?.currency ?? billingCurrency(state, org);
  const status = reportedState(org, running);
  // Free shows the Free plan; a suspended organization still shows the plan it has to pay for.
  const shown = running ?? (status === 'suspended' ? latest : undefined);
  const ref = shown ? pricingPlan(state, shown.pricing_plan_id)! : freePlan(state);
  const seatMonth = seatMonthCents(ref.pricing, currency) ?? 0;
  const renews = running?.status === 'active';
  const base = {
    state: status,
    plan_name: ref.plan.name,
    pricing_plan_id: ref.pricing.pricing_plan_id,
    last_pricing_plan_id: running ? running.last_pricing_plan_id : latest?.pricing_plan_id,
    auto_renew: renews,
    billing_period_in_months: ref.pricing.period,
    seats: running?.seats ?? org.user_ids.length,
    seat_cost_in_cents: seatMonth * ref.pricing.period,
    currency,
    enterprise: ref.plan.name === 'Enterprise',
    is_unified: Boolean(running?.unified),
    new_signup_trial: running?.status === 'trialing',
    trial_available: trialAvailable(state, org),
    campaign_available: false,
    is_subscription_beta: false,
    company_id: customer?.company_id,
    customer_id: customer?.customer_id,
    contact_details: customer ? renderContactDetail(state, customer.contact_detail) : undefined,
    card_details: renderCardWithCreator(state, customer),
    payment_method: customer?.payment?.payment_type,
    last_invoice: lastInvoice(state, org),
    last_payment: lastPayment(state, org),
  };
  if (!running) {
    return compact({
      ...base,
      cancel_date: latest?.ended_at ?? undefined,
      subscription_created_at: latest?.created_at,
    });
  }
  return compact({
    ...base,
    subscription_created_at: running.created_at,
    current_period_starts_at: running.current_period_start,
    current_period_ends_at: running.current_period_end,
    start_date: running.current_period_start,
    end_date: running.current_period_end,
    next_payment_date: renews
      ? running.current_period_end
      : running.status === 'trialing'
        ? running.trial_end
        : undefined,
    renewal_at: renews ? running.current_period_end : undefined,
    renewal_date: renews ? running.current_period_end.slice(0, 10) : undefined,
    cancel_date: running.status === 'canceled' ? running.cancel_effective_at : undefined,
    trial_start_date: running.trial_start,
    trial_end_date: running.trial_end,
    subscription_period: renderPeriod(running),
  });
}

/** BillingFancyPlan list priced in a currency with a tax rate (the public catalogue: US dollars, no tax). */
export function renderPlans(plans: Plan[], currency: string, taxPct: number): Schemas['BillingFancyPlan'][] {
  return plans.map((plan) => ({
    plan_id: plan.plan_id,
    name: plan.name,
    pricing_plans: plan.pricing_plans.map((p) => {
      const month = seatMonthCents(p, currency) ?? 0;
      const usdPeriod = (seatMonthCents(p, 'USD') ?? 0) * p.period;
      return {
        pricing_plan_id: p.pricing_plan_id,
        name: p.name,
        period: p.period,
        price_point_handle: p.price_point_handle,
        list_price_in_usd_cents: usdPeriod,
        actual_price_in_usd_cents: usdPeriod,
        prices_month: { base: month, actual: month, with_tax: withTax(month, taxPct).total },
        prices_period: {
          base: month * p.period,
          actual: month * p.period,
          with_tax: withTax(month * p.period, taxPct).total,
        },
      };
    }),
  }));
}

export function workspacePlans(state: TogglState, org: Organization): Schemas['BillingFancyPlan'][] {
  return renderPlans(
    state.plans.filter((p) => p.public),
    billingCurrency(state, org),
    billingTax(state, org),
  );
}
