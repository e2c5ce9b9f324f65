/** The Productive slice of a sandbox: records as Productive stores them, keyed by id. */
export interface Organization {
  id: number;
  /** The organization's own company record (its default currency lives there). */
  company_id: string;
  default_currency: string;
  normalized_currency: string;
  /** Offset the organization's timestamps are written in, e.g. "+02:00". */
  utc_offset: string;
  organization_features: Record<string, OrganizationFeature>;
  settings: Record<string, unknown>;
}

/** A feature of the organization's plan, as every answer's meta lists it: an allowance or a switch. */
export type OrganizationFeature =
  | { type: 'metered'; limit: number; used: number }
  | { type: 'switch'; available: boolean };

export interface Record_ {
  id: string;
  organization_id: number;
}

export interface ServiceType extends Record_ {
  attributes: {
    name: string;
    category_id: number | null;
    /** @format date-time */
    archived_at: string | null;
    description: string | null;
  };
}

/** A company's attributes as Productive answers them (the contract's Company). */
export interface CompanyAttributes {
  name: string;
  billing_name: string | null;
  vat: string | null;
  default_currency: string | null;
  /** @format date-time */
  created_at: string;
  /** @format date-time */
  archived_at: string | null;
  avatar_url: string | null;
  invoice_email_recipients: Record<string, unknown>;
  custom_fields: Record<string, unknown> | null;
  description: string | null;
  due_days: number | null;
  tag_list: string[];
  contact: Record<string, unknown>;
}

export interface Company extends Record_ {
  attributes: CompanyAttributes;
  bill_to_id: string | null;
}

/** A person's attributes as Productive answers them (the contract's Person). */
export interface PersonAttributes {
  first_name: string;
  last_name: string;
  email: string;
  title: string | null;
  /** @format date-time */
  joined_at: string | null;
  /** @format date-time */
  last_seen_at: string | null;
  /** @format date-time */
  deactivated_at: string | null;
  /** @format date-time */
  archived_at: string | null;
  role_id: number | null;
  /** @format date-time */
  invited_at: string | null;
  is_user: boolean;
  user_id: number | null;
  tag_list: string[];
  avatar_url: string | null;
  virtual: boolean;
  custom_fields: Record<string, unknown> | null;
  autotracking: boolean;
  /** @format date-time */
  created_at: string;
  placeholder: boolean;
  color_id: number | null;
  private_custom_reports_used: number;
  contact: Record<string, unknown>;
}

export interface Person extends Record_ {
  attributes: PersonAttributes;
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
  /** @standinHidden */
  tokens: Record<string, ApiToken>;
  service_types: Record<string, ServiceType>;
  companies: Record<string, Company>;
  people: Record<string, Person>;
  /** @standinMain */
  prices: Record<string, Price>;
  /** Currency → value of one unit in USD, for *_default and *_normalized amounts. */
  exchange_rates: Record<string, number>;
  /** @standinHidden */
  next_price_id: number;
}

export interface Principal {
  person: Person;
  organization: Organization;
}
