/** The Togai slice of a sandbox: tenants, their tokens, and every record keyed by tenant. Plain JSON only. */

export interface Tenant {
  id: string;
  name: string;
  /** Default invoice currency of new accounts. */
  baseCurrency: string;
}

export interface ApiToken {
  tenant: string;
  /** `read` tokens may only call GET operations; writes are a 403. */
  access: 'full' | 'read';
  /** A disabled token is known but refused on every operation (403). */
  disabled?: boolean;
  /** Requests allowed per window of the sandbox clock; absent = unlimited. */
  rateLimit?: { limit: number; windowSeconds: number };
}

export interface Address {
  phoneNumber?: string;
  line1?: string;
  line2?: string;
  postalCode?: string;
  city?: string;
  state?: string;
  country?: string;
}

export interface Setting {
  id: string;
  value: string;
  namespace: string;
  name: string;
  dataType: 'STRING' | 'NUMERIC' | 'JSON' | 'JSON_LOGIC';
}

export type AccountStatus = 'ACTIVE' | 'DRAFT' | 'ARCHIVED';

export interface StoredAccount {
  id: string;
  togaiAccountId: string;
  togaiCustomerId: string;
  name: string;
  customerId: string;
  invoiceCurrency: string;
  status: AccountStatus;
  netTermDays?: number;
  address?: Address;
  primaryEmail?: string;
  billingInformation?: { emailRecipients?: string[]; additionalEmailRecipients?: string[] };
  settings?: Setting[];
  metadata?: Record<string, string>;
  tags?: string[];
  invoiceGroupId?: string;
  createdAt: string;
  updatedAt: string;
}

/** One alias record: a value that names the account during [effectiveFrom, effectiveUntil). */
export interface AliasRecord {
  id: string;
  accountId: string;
  value: string;
  effectiveFrom: string;
  effectiveUntil: string;
  createdAt: string;
  updatedAt: string;
}

export interface InvoiceGroup {
  id: string;
  name: string;
  email: string;
  dailyInvoiceConsolidation: boolean;
  netTermDays?: number;
  invoiceCurrency: string;
  billingAddress: Address;
}

/** A price plan as Togai returns it in pricePlanDetails (rate cards stored as given). */
export interface PricePlan {
  id: string;
  name: string;
  version: number;
  details: Record<string, unknown> & {
    type?: 'BILLING' | 'PURCHASE';
    supportedCurrencies: string[];
    activeCurrencies: string[];
    pricingCycleConfig?: {
      interval: string;
      gracePeriod: number;
      startOffset?: Record<string, string>;
      anniversaryCycle?: boolean;
    };
  };
}

/** One segment of an account's pricing schedule: a plan over [startDate, endDate). */
export interface ScheduleSegment {
  id: string;
  pricePlanId: string;
  startDate: string;
  endDate: string;
  version: number;
  pricePlanDetailsOverride?: Record<string, unknown>;
  pricingRulesOverride?: Record<string, unknown>[];
}

export type PurchaseType = 'ENTITLEMENT_GRANT' | 'ASSOCIATION' | 'WALLET_TOPUP' | 'PREPAID';
export type PurchaseStatus =
  | 'SUCCESS'
  | 'FAILURE'
  | 'PENDING'
  | 'IN_PROGRESS'
  | 'PROPOSAL_ACTIVE'
  | 'PROPOSAL_APPROVED'
  | 'PROPOSAL_DECLINED'
  | 'PROPOSAL_EXPIRED';

export interface FeatureGrant {
  id: string;
  name: string;
  creditsGranted: number;
  creditsAvailable: number;
  updatedAt: string;
  effectiveFrom: string;
  effectiveUntil: string;
}

/** A purchase or a proposal (proposals carry paymentMode). */
export interface StoredPurchase {
  id: string;
  tenant: string;
  accountId: string;
  type: PurchaseType;
  status: PurchaseStatus;
  createdAt: string;
  updatedAt: string;
  pricePlanId?: string;
  pricePlanVersion?: number;
  quantity?: number;
  rateCardQuantities?: Record<string, number>;
  idempotencyKey?: string;
  purchasePlanOverride?: Record<string, unknown>;
  associationOverride?: Record<string, unknown>;
  walletTopupDetails?: { topupAmount: number; purchaseAmount?: number };
  effectiveFrom?: string;
  effectiveUntil?: string;
  expiryDate?: string;
  price?: number;
  invoiceId?: string;
  invoiceCurrency?: string;
  comment?: string;
  features?: FeatureGrant[];
  paymentMode?: 'PREPAID' | 'POSTPAID';
  proposalResponseDate?: string;
}

export interface TogaiState {
  tenants: Record<string, Tenant>;
  /** @standinHidden */
  tokens: Record<string, ApiToken>;
  /**
   * tenant → account id → account
   * @standinMain
   */
  accounts: Record<string, Record<string, StoredAccount>>;
  /** tenant → alias records (every account of the tenant) */
  aliases: Record<string, AliasRecord[]>;
  /** tenant → customerId → togaiCustomerId, so a customer keeps one Togai id */
  customers: Record<string, Record<string, string>>;
  /** tenant → invoice group id → group */
  invoiceGroups: Record<string, Record<string, InvoiceGroup>>;
  /** tenant → price plan id → plan */
  pricePlans: Record<string, Record<string, PricePlan>>;
  /** tenant → account id → schedule segments in date order */
  schedules: Record<string, Record<string, ScheduleSegment[]>>;
  /** purchase id → purchase or proposal (ids are global, records carry their tenant) */
  purchases: Record<string, StoredPurchase>;
  /**
   * Counter behind every generated id, so a sandbox's ids are deterministic.
   * @standinHidden
   */
  sequence: number;
}

export interface Principal {
  token: string;
  tenant: Tenant;
}
