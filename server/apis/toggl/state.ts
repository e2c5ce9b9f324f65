/** The Toggl slice of a sandbox: users, organizations, workspaces, the plan catalogue and the billing records. */
import type { CleanContact } from './contact.ts';

export interface User {
  id: number;
  email: string;
  /** @standinHidden */
  password: string;
  /** @standinHidden */
  api_token: string;
  fullname: string;
}

export interface Organization {
  id: number;
  name: string;
  owner_id: number;
  /** Every user of the organization (admins included); the seat count of a new subscription. */
  user_ids: number[];
  admin_ids: number[];
  /** True once the organization had its trial (or a paid subscription): a trial is granted only once. */
  trial_used: boolean;
  /** What the organization falls back to without a running subscription. */
  fallback: 'free' | 'suspended';
  /** The organization's billing account, created by the first contact details. */
  customer_id: number | null;
  /** The subscription now running (trialing, active or cancelled at period end), if any. */
  subscription_id: number | null;
  /** When the organization was created: only its owner's first organization is offered a trial. */
  created_at: string;
}

export interface Workspace {
  id: number;
  organization_id: number;
  name: string;
  user_ids: number[];
  admin_ids: number[];
}

export interface Currency {
  currency_id: number;
  iso_code: string;
  symbol: string;
}

export interface PricingPlan {
  pricing_plan_id: number;
  name: string;
  /** Billing period in months: 1 or 12. */
  period: 1 | 12;
  /** The tag unified subscriptions name it by. */
  price_point_handle: string;
  /** List price of one seat for one month, in cents, per ISO currency code. */
  seat_month_cents: Record<string, number>;
}

export interface Plan {
  plan_id: number;
  name: string;
  /** Offered in the public catalogue (Enterprise is sold by contract only). */
  public: boolean;
  /** The Free plan: choosing its pricing plan cancels a subscription. */
  free: boolean;
  /** The feature set the plan unlocks. */
  feature_id: number;
  pricing_plans: PricingPlan[];
}

export interface Country {
  id: number;
  name: string;
  iso_code: string;
  eu: boolean;
  /** VAT charged to EU residents without a tax number, in percent. */
  vat_percentage: number;
  currency: string;
}

export interface Subdivision {
  country_subdivision_id: number;
  country_id: number;
  iso_code: string;
  name: string;
  /** First three digits every ZIP code of the subdivision starts with (US only), e.g. ["900", "961"]. */
  zip_prefixes?: string[];
}

/** A Toggl company that bills customers. */
export interface BillingCompany {
  company_id: number;
  name: string;
  address: string;
  bank_details: string;
  tax_number: string;
  tax_number_name: string;
  tax_type: string;
  /** True for Toggl Inc (customers outside the EU). */
  inc: boolean;
}

/** A stored contact detail: the checked fields plus who it belongs to and when it was written. */
export interface ContactDetail extends CleanContact {
  contact_detail_id: number;
  customer_id: number;
  user_id: number;
  created_at: string;
  updated_at: string;
}

export interface Customer {
  customer_id: number;
  organization_id: number;
  company_id: number;
  currency_id: number;
  created_at: string;
  purchase_order_enabled: boolean;
  contact_detail: ContactDetail;
  payment: { payment_type: 'card' | 'purchase_order'; reference: string; created_at: string; user_id: number } | null;
  card: {
    card_number: string;
    card_type: string;
    expiry_date: string;
    holder_name: string;
    added_at: string;
    creator_id: number;
  } | null;
  inc_terms_accepted_at: string | null;
}

export type SubscriptionStatus = 'trialing' | 'active' | 'canceled' | 'ended';

export interface SubscriptionPeriod {
  subscription_period_id: number;
  started_on: string;
  finished_on: string;
  trial: boolean;
  user_count: number;
  created_at: string;
}

export interface Subscription {
  subscription_id: number;
  organization_id: number;
  /** The workspace that bought it (the first admin workspace for unified subscriptions). */
  workspace_id: number;
  /** Created through the organization endpoints (unified) rather than a workspace's. */
  unified: boolean;
  status: SubscriptionStatus;
  pricing_plan_id: number;
  last_pricing_plan_id: number | null;
  seats: number;
  /** Seat count taking effect at the next renewal (a purchase order for fewer seats). */
  pending_seats: number | null;
  currency: string;
  created_at: string;
  trial_start: string | null;
  trial_end: string | null;
  current_period_start: string;
  current_period_end: string;
  /** When the cancellation was asked for, and when it takes (took) effect. */
  canceled_at: string | null;
  cancel_effective_at: string | null;
  ended_at: string | null;
  periods: SubscriptionPeriod[];
}

export interface InvoiceLine {
  description: string;
  quantity: number;
  unit_cents: number;
  amount_cents: number;
}

export interface Invoice {
  id: number;
  uid: string;
  organization_id: number;
  workspace_id: number;
  subscription_id: number;
  currency: string;
  lines: InvoiceLine[];
  amount: number;
  tax_percentage: number;
  tax_amount: number;
  total_amount: number;
  created_at: string;
  due: string;
  paid_at: string | null;
}

export interface Payment {
  id: number;
  invoice_id: number;
  organization_id: number;
  workspace_id: number;
  currency: string;
  amount: number;
  status: 'paid' | 'refunded';
  description: string;
  created_at: string;
}

export interface PurchaseOrder {
  id: number;
  organization_id: number;
  workspace_id: number;
  subscription_id: number;
  user_count: number;
  pricing_plan_id: number;
  currency: string;
  description: string;
  amount: number;
  tax_percentage: number;
  tax_amount: number;
  total_amount: number;
  created_at: string;
  due_date: string;
  paid_at: string | null;
}

export interface Feedback {
  organization_id: number;
  workspace_id: number | null;
  user_id: number;
  pricing_plan_id: number;
  comment: string;
  master_signup: boolean;
  selections: Record<string, string>[];
  created_at: string;
}

export interface TogglState {
  users: Record<string, User>;
  organizations: Record<string, Organization>;
  workspaces: Record<string, Workspace>;
  currencies: Currency[];
  plans: Plan[];
  features: Record<string, { id: number; name: string }>;
  countries: Record<string, Country>;
  subdivisions: Record<string, Subdivision>;
  companies: Record<string, BillingCompany>;
  customers: Record<string, Customer>;
  /** @standinMain */
  subscriptions: Record<string, Subscription>;
  invoices: Record<string, Invoice>;
  payments: Record<string, Payment>;
  purchase_orders: Record<string, PurchaseOrder>;
  feedback: Feedback[];
  /** @standinHidden */
  next_id: number;
}

export interface Principal {
  user: User | null;
}
