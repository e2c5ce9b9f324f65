/**
 * A small Togai accounts client, written against Togai's own API document (not Standin's contract), as a
 * frontend or backend integration would: the consumer in the Pact tests, and the client of the end-to-end flow.
 */
export interface Account {
  id: string;
  togaiAccountId: string;
  togaiCustomerId: string;
  name: string;
  customerId: string;
  status: 'ACTIVE' | 'DRAFT' | 'ARCHIVED';
  invoiceCurrency?: string;
  aliases?: { alias?: string }[];
}

export interface PlanOverride {
  id: string;
  pricePlanId: string;
  pricePlanName: string;
  startDate: string;
  endDate: string;
}

export interface Purchase {
  id: string;
  accountId: string;
  status: string;
  type: string;
  createdAt: string;
  pricePlanId?: string;
  price?: number;
  paymentMode?: 'PREPAID' | 'POSTPAID';
  proposalResponseDate?: string;
}

export class TogaiError extends Error {
  constructor(
    readonly status: number,
    readonly body: { message?: string },
  ) {
    super(`Togai answered ${status}: ${body.message ?? ''}`);
  }
}

export class TogaiAccountsClient {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
    private readonly extraHeaders: Record<string, string> = {},
  ) {}

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${this.token}`,
        Accept: 'application/json',
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...this.extraHeaders,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const parsed = (await res.json()) as T & { message?: string };
    if (!res.ok) throw new TogaiError(res.status, parsed);
    return parsed;
  }

  createAccount(input: {
    id: string;
    name: string;
    customerId: string;
    aliases?: string[];
    invoiceCurrency?: string;
  }): Promise<Account> {
    return this.request('POST', '/accounts', input);
  }

  getAccount(id: string): Promise<Account> {
    return this.request('GET', `/accounts/${encodeURIComponent(id)}`);
  }

  listAccounts(pageSize = 10, nextToken?: string): Promise<{ data: Account[]; nextToken?: string }> {
    const query = new URLSearchParams({ pageSize: String(pageSize), ...(nextToken ? { nextToken } : {}) });
    return this.request('GET', `/accounts?${query}`);
  }

  addAliases(id: string, aliases: string[]): Promise<Account> {
    return this.request('POST', `/accounts/${encodeURIComponent(id)}/add_aliases`, { aliases });
  }

  associatePricePlan(
    id: string,
    pricePlanId: string,
    effectiveFrom: string,
    effectiveUntil: string,
  ): Promise<{ accountId: string; pricingSchedules: PlanOverride[] }> {
    return this.request('POST', `/accounts/${encodeURIComponent(id)}/price_plans`, {
      mode: 'ASSOCIATE',
      pricePlanId,
      effectiveFrom,
      effectiveUntil,
    });
  }

  buyEntitlements(
    id: string,
    pricePlanId: string,
    rateCardQuantities: Record<string, number>,
    idempotencyKey?: string,
  ): Promise<Purchase> {
    return this.request('POST', `/accounts/${encodeURIComponent(id)}/purchases`, {
      type: 'ENTITLEMENT_GRANT',
      pricePlanId,
      rateCardQuantities,
      ...(idempotencyKey ? { idempotencyKey } : {}),
    });
  }

  proposeTopUp(id: string, topupAmount: number): Promise<Purchase> {
    return this.request('POST', `/accounts/${encodeURIComponent(id)}/purchase_proposals`, {
      type: 'WALLET_TOPUP',
      paymentMode: 'PREPAID',
      walletTopupDetails: { topupAmount },
    });
  }

  answerProposal(proposalId: string, status: 'APPROVE' | 'DECLINE'): Promise<Purchase> {
    return this.request('POST', `/purchase_proposals/${encodeURIComponent(proposalId)}/update_status`, { status });
  }

  deleteAccount(id: string): Promise<{ success: boolean }> {
    return this.request('DELETE', `/accounts/${encodeURIComponent(id)}`);
  }
}
