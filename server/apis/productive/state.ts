/** The Productive slice of a sandbox: records as Productive stores them, keyed by id. */
export interface Organization {
  id: number;
  /** The organization's own company record (its default currency lives there). */
  company_id: string;
  default_currency: string;
  normalized_currency: string;
  /** Offset the organization's timestamps are written in, e.g. "+02:00". */
  utc_offset: string;
  organization_features: Record<string, unknown>;
  settings: Record<string, unknown>;
}

export interface Record_ {
  id: string;
  organization_id: number;
}

export interface ServiceType extends Record_ {
  attributes: { name: string; category_id: number | null; archived_at: string | null; description: string | null };
}

export interface Company extends Record_ {
  attributes: Record<string, unknown> & { name: string; default_currency: string | null };
  bill_to_id: string | null;
}

export interface Person extends Record_ {
  attributes: Record<string, unknown> & { first_name: string; last_name: string; email: string };
  company_id: string | null;
  subsidiary_id: string | null;
}

export interface Price extends Record_ {
  name: string;
  pricing_type_id: number | null;
  unit_id: number;
  /** Decimal as Productive writes it: "5.0", "5.12". */
  quantity: string;
  updated_at: string;
  description: string | null;
  currency: string;
  rate: number;
  fixed_amount: number | null;
  hourly_rate: number | null;
  service_type_id: string | null;
  company_id: string;
  updater_id: string;
}

export interface ApiToken {
  person_id: string;
  organization_id: number;
}

export interface ProductiveState {
  organizations: Record<string, Organization>;
  tokens: Record<string, ApiToken>;
  service_types: Record<string, ServiceType>;
  companies: Record<string, Company>;
  people: Record<string, Person>;
  prices: Record<string, Price>;
  /** Currency → value of one unit in USD, for *_default and *_normalized amounts. */
  exchange_rates: Record<string, number>;
  next_price_id: number;
}

export interface Principal {
  person: Person;
  organization: Organization;
}
