/**
 * The DjaoApp slice of a sandbox: records as djaodjin keeps them, plain JSON (lowdb persists it).
 * Part 1 (identity, users, contacts, rules, themes) owns users, credentials, activities and the proxy app; part 2
 * profiles, role descriptions, roles, plans and subscriptions (with their renewals by the clock); billing (part 3)
 * builds on plans and subscriptions: optins.subscribe() for checkout, renewals.renewDue()'s events for what renews.
 */
import type { TransactionRecord } from './model/ledger.ts';

/** A login profile (djaodjin User). A contact is a user without credentials. */
export interface UserRecord {
  slug: string;
  email: string;
  full_name: string;
  nick_name: string | null;
  picture: string | null;
  extra: string | Record<string, unknown> | null;
  created_at: string;
  /**
   * `salt$sha256hex`, or null for a contact that never set a password.
   * @standinHidden
   */
  password: string | null;
  last_login: string | null;
  /** Notification (e-mail template) names the user receives. */
  notifications: string[];
  ssh_pubkey: string | null;
}

/** A billing profile (djaodjin Organization); a personal profile has its user's slug. */
export interface ProfileRecord {
  slug: string;
  full_name: string;
  email: string;
  phone: string;
  street_address: string;
  locality: string;
  region: string;
  postal_code: string;
  country: string;
  default_timezone: string;
  is_provider: boolean;
  is_bulk_buyer: boolean;
  type: 'organization' | 'personal';
  picture: string | null;
  extra: string | Record<string, unknown> | null;
  created_at: string;
}

export interface RoleDescriptionRecord {
  slug: string;
  title: string;
  /** null: a global role description usable by every profile (only the broker's managers may change it). */
  organization: string | null;
  /** A grant of this role needs no acceptance by the user. */
  skip_optin_on_grant: boolean;
  implicit_create_on_none: boolean;
  extra: string | Record<string, unknown> | null;
  created_at: string;
}

/**
 * A user's role on a profile: one per (organization, user). Pending while grant_key (granted by a manager, to be
 * accepted by the user) or request_key (requested by the user, to be accepted by a manager) is set; a request
 * made without a role description has role_description null until a manager grants one.
 */
export interface RoleRecord {
  organization: string;
  user: string;
  role_description: string | null;
  grant_key: string | null;
  request_key: string | null;
  created_at: string;
}

export type Interval = 'hourly' | 'daily' | 'weekly' | 'monthly' | 'yearly';

/** What a plan renews as: one-time plans never renew; auto-renew and repeat ones do, while auto_renew is set. */
export type RenewalType = 'one-time' | 'auto-renew' | 'repeat';

/** A discount for paying several periods in advance (the checkout options of part 3 read these). */
export interface AdvanceDiscountRecord {
  /** percentage: discount_value in hundredths of a percent (1000 = 10%); currency: cents off; period: free periods. */
  discount_type: 'percentage' | 'currency' | 'period';
  discount_value: number;
  /** How many periods are paid in advance. */
  length: number;
}

/** A plan of a provider. Amounts are integer cents of `unit`; a period is `period_length` × `period_type`. */
export interface PlanRecord {
  /** Unique among all plans; derived from the title. */
  slug: string;
  /** Unique among the provider's plans. */
  title: string;
  description: string;
  /** The provider's slug. */
  organization: string;
  is_active: boolean;
  setup_amount: number;
  period_amount: number;
  period_length: number;
  period_type: Interval;
  unit: string;
  is_not_priced: boolean;
  renewal_type: RenewalType;
  skip_optin_on_grant: boolean;
  optin_on_request: boolean;
  advance_discounts: AdvanceDiscountRecord[];
  extra: string | Record<string, unknown> | null;
  created_at: string;
}

/**
 * A profile's subscription to a plan over [created_at, ends_at). Pending while grant_key (granted by the provider,
 * to be accepted by the subscriber) or request_key (requested by the subscriber of an optin_on_request plan, to be
 * accepted by the provider) is set. Active when accepted and created_at <= now < ends_at; expired (churned) once
 * ends_at <= now. An accepted auto-renewing subscription is extended by one period each time the sandbox clock
 * passes its ends_at (see renewals.ts).
 */
export interface SubscriptionRecord {
  /** Stable identity (ledger entries of part 3 can refer to it). */
  id: number;
  organization: string;
  plan: string;
  created_at: string;
  ends_at: string;
  auto_renew: boolean;
  description: string | null;
  extra: string | Record<string, unknown> | null;
  grant_key: string | null;
  request_key: string | null;
}

export interface ActivityRecord {
  id: number;
  /** The user (contact) the activity was recorded with. */
  contact: string;
  created_at: string;
  created_by: string | null;
  text: string;
  account: string | null;
}

/** Broker todos ("connect processor"...): activities not tied to a contact. */
export interface TodoRecord {
  created_at: string;
  created_by: string;
  text: string;
  account: string | null;
}

export interface ApiKeyRecord {
  user: string;
  /** The first 32 characters of the secret, shown in lists. */
  public_key: string;
  /**
   * sha256 hex of the whole secret; the secret itself is shown once and never stored.
   * @standinHidden
   */
  secret_hash: string;
  created_at: string;
}

/** An e-mail verification (activation) key, single-use. */
export interface VerificationKeyRecord {
  key: string;
  user: string;
  created_at: string;
}

/** A password reset link (uidb64 + token), single-use. */
export interface ResetTokenRecord {
  uidb64: string;
  token: string;
  user: string;
  created_at: string;
}

export interface AgreementRecord {
  slug: string;
  title: string;
  updated_at: string;
}

export interface SignatureRecord {
  agreement: string;
  user: string;
  last_signed: string;
}

/** An e-mail Standin "sent": visible through the admin API (view `outbox`). */
export interface OutboxEmail {
  id: number;
  sent_at: string;
  template: string;
  to: string[];
  from: string;
  subject: string;
  body: string;
  /** Template context worth asserting on: reset links, activation keys, the contact-us message. */
  context: Record<string, string | null>;
}

/** The djaodjin-rules app: where allowed requests are forwarded and how the session is encoded. */
export interface AppRecord {
  slug: string;
  entry_point: string;
  session_backend: number | string;
  authentication: string;
  welcome_email: boolean;
  /** @standinHidden */
  enc_key: string;
}

export interface RuleRecord {
  rank: number;
  path: string;
  allow: string;
  is_forward: boolean;
  engaged: string;
}

/** A user reaching a rule's engagement tag. */
export interface EngagementRecord {
  username: string;
  tag: string;
  at: string;
}

export interface EditableRecord {
  slug: string;
  tags: string[];
}

export interface ThemeRecord {
  custom: { name: string; size: number; uploaded_at: string } | null;
}

export interface DjaoappState {
  /** Slug of the hosting organization: its managers may use broker-level endpoints. */
  broker: string;
  /**
   * The site's secret: the HS256 key of its tokens and cart cookies is this secret bound to the sandbox's name (jwt.ts).
   * @standinHidden
   */
  jwt_secret: string;
  /** Lifetime of a token, in seconds. */
  jwt_expiry_seconds: number;
  /** @standinKey slug */
  users: UserRecord[];
  /**
   * @standinMain
   * @standinKey slug
   */
  profiles: ProfileRecord[];
  /** @standinKey slug */
  role_descriptions: RoleDescriptionRecord[];
  roles: RoleRecord[];
  /** @standinKey slug */
  plans: PlanRecord[];
  /** @standinKey id */
  subscriptions: SubscriptionRecord[];
  /**
   * The sandbox instant up to which the renewal job has run: an auto-renewing subscription whose ends_at falls
   * after it, once the clock passes ends_at, is renewed; one that had ended by then stays ended (churned).
   * @standinHidden
   */
  renewals_at: string;
  /** Deleted profiles: djaodjin keeps them, anonymized, for the history of their subscriptions. */
  archived_profiles: ProfileRecord[];
  /** @standinKey id */
  activities: ActivityRecord[];
  todos: TodoRecord[];
  api_keys: ApiKeyRecord[];
  /** @standinHidden */
  verification_keys: VerificationKeyRecord[];
  /** @standinHidden */
  reset_tokens: ResetTokenRecord[];
  agreements: AgreementRecord[];
  signatures: SignatureRecord[];
  /** Names of the notification templates (e-mails) the site can send. */
  notification_templates: string[];
  /** @standinKey id */
  outbox: OutboxEmail[];
  app: AppRecord;
  rules: RuleRecord[];
  engagements: EngagementRecord[];
  editables: EditableRecord[];
  theme: ThemeRecord;
  /** The ledger (see ledger.ts): the one source of truth for money. */
  transactions: TransactionRecord[];
  /** @standinKey processor_key */
  charges: ChargeRecord[];
  cards: CardRecord[];
  processor: ProcessorRecord;
  banks: BankRecord[];
  coupons: CouponRecord[];
  /** @standinKey id */
  cart_items: CartItemRecord[];
  balance_lines: BalanceLineRecord[];
  /** @standinHidden */
  next_ids: {
    activity: number;
    email: number;
    subscription: number;
    archive: number;
    transaction: number;
    cart_item: number;
  };
}

/** A charge on a card, through the processor. Its line items are order lines (transactions) it pays, in order. */
export interface ChargeRecord {
  /** The processor's charge id (ch_...), used in URLs. */
  processor_key: string;
  created_at: string;
  /** The profile whose card is charged. */
  customer: string;
  amount: number;
  unit: string;
  description: string;
  last4: string;
  exp_date: string;
  card_name: string | null;
  state: 'created' | 'done' | 'failed' | 'disputed';
  /** Order line transaction ids: line item `num` n refunds against lines[n]. */
  lines: number[];
}

/** A payment card on file for a profile (what the processor shows of it). */
export interface CardRecord {
  organization: string;
  /** The processor token it was stored from. */
  token: string;
  last4: string;
  exp_date: string;
  card_name: string | null;
  /** The card holder's e-mail, phone and address as a card update passed them to the processor. */
  billing_details?: CardBillingDetails;
}

/** A billing address, as a profile keeps it and an order or a card update gives it. */
export type BillingAddress = Partial<
  Pick<ProfileRecord, 'street_address' | 'locality' | 'region' | 'postal_code' | 'country'>
>;

export type CardBillingDetails = BillingAddress & Partial<Pick<ProfileRecord, 'email' | 'phone'>>;

/** Test tokens the processor knows: the card each stands for, and whether charging it is declined. */
export interface ProcessorTokenRecord {
  token: string;
  last4: string;
  exp_date: string;
  declines: boolean;
}

/** The payment processor: an organization in the ledger (it holds funds between a charge and its distribution). */
export interface ProcessorRecord {
  slug: string;
  tokens: ProcessorTokenRecord[];
}

/** A provider's deposit (payout) account at the processor. */
export interface BankRecord {
  organization: string;
  bank_name: string;
  last4: string;
}

/** A provider's discount code. */
export interface CouponRecord {
  code: string;
  organization: string;
  /** percentage: hundredths of a percent (1000 = 10%); currency: cents off; period: free periods. */
  discount_type: 'percentage' | 'currency' | 'period';
  discount_value: number;
  created_at: string;
  ends_at: string | null;
  description: string | null;
  /** How many more times it can be redeemed (null: no limit). */
  nb_attempts: number | null;
  /** Restricted to one plan of the provider (null: any of its plans). */
  plan: string | null;
  /** A used coupon that was deleted stays, inactive, for its metrics. */
  is_active: boolean;
}

/** An item in a user's cart; once checked out it is kept (recorded) for the coupon metrics. */
export interface CartItemRecord {
  id: number;
  user: string;
  plan: string;
  /** The option chosen at checkout (1-based, 0 or null: not chosen yet). */
  option: number | null;
  /** GroupBuy: someone else who will be subscribed. */
  full_name: string | null;
  email: string | null;
  sync_on: string | null;
  coupon: string | null;
  created_at: string;
  /** Set when checked out. */
  recorded_at: string | null;
}

/** A row of a broker balance sheet: the accounts it sums (selector) and where it sits (rank). */
export interface BalanceLineRecord {
  report: string;
  title: string;
  selector: string;
  rank: number;
}

/** Who is calling: a user (by JWT or API key), or nobody on a public operation. */
export interface Principal {
  user: UserRecord | null;
  via: 'jwt' | 'api-key' | null;
}
