/**
 * The DjaoApp slice of a sandbox: records as djaodjin keeps them, plain JSON (lowdb persists it).
 * Part 1 (identity, users, contacts, rules, themes) owns users, credentials, activities and the proxy app;
 * profiles, roles, plans and subscriptions are shared with the billing and profile parts.
 */

/** A login profile (djaodjin User). A contact is a user without credentials. */
export interface UserRecord {
  slug: string;
  email: string;
  full_name: string;
  nick_name: string | null;
  picture: string | null;
  extra: string | Record<string, unknown> | null;
  created_at: string;
  /** `salt$sha256hex`, or null for a contact that never set a password. */
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
  /** null: a global role description usable by every profile. */
  organization: string | null;
  skip_optin_on_grant: boolean;
  created_at: string;
}

/** A user's role on a profile; pending while grant_key or request_key is set. */
export interface RoleRecord {
  organization: string;
  user: string;
  role_description: string | null;
  grant_key: string | null;
  request_key: string | null;
  created_at: string;
}

export interface PlanRecord {
  slug: string;
  title: string;
  description: string;
  organization: string;
  is_active: boolean;
  setup_amount: number;
  period_amount: number;
  period_length: number;
  period_type: 'hourly' | 'daily' | 'weekly' | 'monthly' | 'yearly';
  unit: string;
  is_not_priced: boolean;
  renewal_type: string;
  skip_optin_on_grant: boolean;
  optin_on_request: boolean;
  extra: string | Record<string, unknown> | null;
  created_at: string;
}

export interface SubscriptionRecord {
  organization: string;
  plan: string;
  created_at: string;
  ends_at: string;
  auto_renew: boolean;
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
  /** sha256 hex of the whole secret; the secret itself is shown once and never stored. */
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
  /** HS256 key of the JSON Web Tokens this sandbox issues. */
  jwt_secret: string;
  /** Lifetime of a token, in seconds. */
  jwt_expiry_seconds: number;
  users: UserRecord[];
  profiles: ProfileRecord[];
  role_descriptions: RoleDescriptionRecord[];
  roles: RoleRecord[];
  plans: PlanRecord[];
  subscriptions: SubscriptionRecord[];
  activities: ActivityRecord[];
  todos: TodoRecord[];
  api_keys: ApiKeyRecord[];
  verification_keys: VerificationKeyRecord[];
  reset_tokens: ResetTokenRecord[];
  agreements: AgreementRecord[];
  signatures: SignatureRecord[];
  /** Names of the notification templates (e-mails) the site can send. */
  notification_templates: string[];
  outbox: OutboxEmail[];
  app: AppRecord;
  rules: RuleRecord[];
  engagements: EngagementRecord[];
  editables: EditableRecord[];
  theme: ThemeRecord;
  next_ids: { activity: number; email: number };
}

/** Who is calling: a user (by JWT or API key), or nobody on a public operation. */
export interface Principal {
  user: UserRecord | null;
  via: 'jwt' | 'api-key' | null;
}
