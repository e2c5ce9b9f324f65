/** A small client for a billing page, as a frontend would write it against Toggl's Subscription API: the Pact consumer. */
export class TogglError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`Toggl answered ${status}${typeof body === 'string' && body ? `: ${body}` : ''}`);
  }
}

export interface PlanOption {
  planId: number;
  name: string;
  pricingPlans: { id: number; period: number; seatMonthCents: number }[];
}

export interface SubscriptionView {
  state: string;
  planName: string;
  pricingPlanId: number;
  seats: number;
  renews: boolean;
  periodEndsAt?: string;
}

export class TogglSubscriptionClient {
  constructor(
    private readonly baseUrl: string,
    private readonly username?: string,
    private readonly password?: string,
    private readonly extraHeaders: Record<string, string> = {},
  ) {}

  private async request(method: string, path: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = { Accept: 'application/json', ...this.extraHeaders };
    if (this.username !== undefined)
      headers.Authorization = `Basic ${Buffer.from(`${this.username}:${this.password}`).toString('base64')}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await fetch(`${this.baseUrl}/api/v9${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) {
      const text = await res.text();
      throw new TogglError(res.status, text ? JSON.parse(text) : '');
    }
    return res;
  }

  async plans(): Promise<PlanOption[]> {
    const plans = (await (await this.request('GET', '/workspaces/plans')).json()) as any[];
    return plans.map((p) => ({
      planId: p.plan_id,
      name: p.name,
      pricingPlans: p.pricing_plans.map((pp: any) => ({
        id: pp.pricing_plan_id,
        period: pp.period,
        seatMonthCents: pp.prices_month.actual,
      })),
    }));
  }

  async subscription(workspaceId: number): Promise<SubscriptionView> {
    const s = (await (await this.request('GET', `/workspaces/${workspaceId}/subscription`)).json()) as any;
    return {
      state: s.state,
      planName: s.plan_name,
      pricingPlanId: s.pricing_plan_id,
      seats: s.seats,
      renews: s.auto_renew,
      periodEndsAt: s.current_period_ends_at,
    };
  }

  async quote(
    workspaceId: number,
    pricingPlanId: number,
    seats: number,
    period: 1 | 12,
  ): Promise<{ totalCents: number; currency: string }> {
    const c = (await (
      await this.request('POST', `/workspaces/${workspaceId}/subscription/calculate`, {
        pricing_plan_id: pricingPlanId,
        user_count: seats,
        period,
      })
    ).json()) as any;
    return { totalCents: c.total_amount, currency: c.currency };
  }

  async changePlan(workspaceId: number, pricingPlanId: number): Promise<number> {
    const s = (await (
      await this.request('POST', `/workspaces/${workspaceId}/subscription`, { pricing_plan_id: pricingPlanId })
    ).json()) as any;
    return s.pricing_plan_id;
  }

  async cancelAtPeriodEnd(organizationId: number): Promise<void> {
    await this.request('DELETE', `/organizations/${organizationId}/subscription?immediateCancel=false`);
  }

  async invoicePdf(workspaceId: number, invoiceId: number): Promise<Uint8Array> {
    return new Uint8Array(
      await (await this.request('GET', `/workspaces/${workspaceId}/invoices/${invoiceId}.pdf`)).arrayBuffer(),
    );
  }
}
