/** The workspace's customer: GET customer, POST contact details, and the Toggl Inc terms acceptance. */
import { caller, type Ctx, type Reply, workspaceFor, wsAdmin } from './access.ts';
import { customerOf, nextId } from './billing.ts';
import { checkContact, type CleanContact, type ContactInput } from './contact.ts';
import { badRequest, forbidden, notFound } from './errors.ts';
import { formatInstant } from './lifecycle.ts';
import { renderContactDetail, renderCustomer } from './render.ts';
import type { Customer, Organization, TogglState, User } from './state.ts';

/** Validates contact input with Toggl's messages; throws the first one as a 400. */
export function cleanContact(state: TogglState, input: ContactInput): CleanContact {
  const result = checkContact(input, state.countries, state.subdivisions);
  if ('error' in result) throw badRequest(result.error);
  return result.contact;
}

/** The currency a new customer from this country is billed in. */
export function currencyForCountry(state: TogglState, countryId: number): number {
  const code = state.countries[String(countryId)]?.currency ?? 'USD';
  return (state.currencies.find((c) => c.iso_code === code) ?? state.currencies[0]!).currency_id;
}

/**
 * Saves the organization's contact details, creating its customer on first use: EU customers are billed by
 * Toggl OÜ, everybody else by Toggl Inc, in their country's currency (fixed once the customer exists).
 */
export function saveContact(
  state: TogglState,
  org: Organization,
  user: User,
  contact: CleanContact,
  now: Date,
): Customer {
  const at = formatInstant(now);
  const existing = customerOf(state, org);
  if (existing) {
    existing.contact_detail = { ...existing.contact_detail, ...contact, user_id: user.id, updated_at: at };
    return existing;
  }
  const eu = Boolean(state.countries[String(contact.country_id)]?.eu);
  const company = Object.values(state.companies).find((c) => c.inc === !eu)!;
  const customerId = nextId(state);
  const customer: Customer = {
    customer_id: customerId,
    organization_id: org.id,
    company_id: company.company_id,
    currency_id: currencyForCountry(state, contact.country_id),
    created_at: at,
    purchase_order_enabled: false,
    contact_detail: {
      contact_detail_id: nextId(state),
      customer_id: customerId,
      user_id: user.id,
      ...contact,
      created_at: at,
      updated_at: at,
    },
    payment: { payment_type: 'card', reference: `card-${user.id}`, created_at: at, user_id: user.id },
    card: null,
    inc_terms_accepted_at: null,
  };
  state.customers[String(customerId)] = customer;
  org.customer_id = customerId;
  return customer;
}

export function get_workspace_customer(ctx: Ctx<'get_workspace_customer'>): Reply<'get_workspace_customer'> {
  const { organization } = workspaceFor(ctx, wsAdmin());
  const customer = customerOf(ctx.state, organization);
  if (!customer) throw notFound('workspace has no customer');
  return { status: 200, body: renderCustomer(ctx.state, customer) };
}

export function post_workspace_customer(ctx: Ctx<'post_workspace_customer'>): Reply<'post_workspace_customer'> {
  const { organization } = workspaceFor(ctx, wsAdmin());
  const contact = cleanContact(ctx.state, ctx.body);
  const customer = saveContact(ctx.state, organization, caller(ctx), contact, ctx.now());
  return { status: 200, body: renderContactDetail(ctx.state, customer.contact_detail) };
}

export function post_workspace_subscription_inc_accept(
  ctx: Ctx<'post_workspace_subscription_inc_accept'>,
): Reply<'post_workspace_subscription_inc_accept'> {
  const { organization } = workspaceFor(ctx, wsAdmin());
  const customer = customerOf(ctx.state, organization);
  if (!customer) throw forbidden('No active relationship with Toggl Inc');
  if (!ctx.state.companies[String(customer.company_id)]?.inc) throw forbidden('Company not managed by Toggl Inc');
  customer.inc_terms_accepted_at = formatInstant(ctx.now());
  return { status: 204 };
}
