/**
 * A small DjaoApp plans and subscriptions page, as a provider's dashboard would write it: the consumer in the
 * plans Pact test. It lists and creates plans, reads the public pricing page, lists active subscribers, grants,
 * extends and cancels subscriptions.
 */
import { jsonRequest } from './shared.ts';

export interface PlanSummary {
  slug: string;
  title: string;
  amount: number;
  interval: string;
  active: boolean;
}

export interface SubscriptionSummary {
  subscriber: string;
  plan: string;
  endsAt: string;
  autoRenew: boolean;
  /** The key the subscriber accepts a grant with; null once accepted (or when the plan needs no opt-in). */
  grantKey: string | null;
  note: string | null;
}

export class DjaoappPlansClient {
  constructor(
    private readonly baseUrl: string,
    private readonly token?: string,
  ) {}

  private request(method: string, path: string, body?: unknown): Promise<any> {
    return jsonRequest(this.baseUrl, this.token, method, path, body);
  }

  private static plan(p: any): PlanSummary {
    return { slug: p.slug, title: p.title, amount: p.period_amount, interval: p.interval, active: p.is_active };
  }

  private static subscription(s: any): SubscriptionSummary {
    return {
      subscriber: s.organization.slug,
      plan: s.plan.slug,
      endsAt: s.ends_at,
      autoRenew: s.auto_renew,
      grantKey: s.grant_key,
      note: s.description,
    };
  }

  async pricing(): Promise<PlanSummary[]> {
    return (await this.request('GET', '/api/pricing/')).results.map(DjaoappPlansClient.plan);
  }

  async plans(provider: string): Promise<PlanSummary[]> {
    return (await this.request('GET', `/api/profile/${provider}/plans/`)).results.map(DjaoappPlansClient.plan);
  }

  async createPlan(provider: string, title: string, amount: number, interval: string): Promise<PlanSummary> {
    return DjaoappPlansClient.plan(
      await this.request('POST', `/api/profile/${provider}/plans/`, {
        title,
        period_amount: amount,
        interval,
        is_active: true,
      }),
    );
  }

  /** Slugs of the profiles with an active subscription to the provider's plans. */
  async activeSubscribers(provider: string): Promise<string[]> {
    return (await this.request('GET', `/api/profile/${provider}/subscribers/?state=active`)).results.map(
      (s: { slug: string }) => s.slug,
    );
  }

  async grant(provider: string, plan: string, subscriber: string): Promise<SubscriptionSummary> {
    return DjaoappPlansClient.subscription(
      await this.request('POST', `/api/profile/${provider}/plans/${plan}/subscriptions/`, {
        organization: { slug: subscriber },
      }),
    );
  }

  async subscription(provider: string, plan: string, subscriber: string): Promise<SubscriptionSummary> {
    return DjaoappPlansClient.subscription(
      await this.request('GET', `/api/profile/${provider}/plans/${plan}/subscriptions/${subscriber}/`),
    );
  }

  async extend(
    provider: string,
    plan: string,
    subscriber: string,
    endsAt: string,
    note: string,
  ): Promise<SubscriptionSummary> {
    return DjaoappPlansClient.subscription(
      await this.request('PUT', `/api/profile/${provider}/plans/${plan}/subscriptions/${subscriber}/`, {
        ends_at: endsAt,
        description: note,
      }),
    );
  }

  async cancel(provider: string, plan: string, subscriber: string): Promise<void> {
    await this.request('DELETE', `/api/profile/${provider}/plans/${plan}/subscriptions/${subscriber}/`);
  }
}
