/**
 * A small DjaoApp billing page, as a broker's back office would write it: the consumer in the billing Pact test. It
 * lists the charges, reads a customer's history over a date range and its balance due, reads one charge and refunds
 * part of a line item.
 */
import { jsonRequest } from './shared.ts';

export interface ChargeSummary {
  key: string;
  createdAt: string;
  /** Cents of `unit`. */
  amount: number;
  unit: string;
  readable: string;
  state: string;
}

export interface HistoryEntry {
  createdAt: string;
  description: string;
  /** As the page shows it, e.g. "($1121.20)" for a debit. */
  amount: string;
  debit: boolean;
}

export interface Refunded {
  charge: ChargeSummary;
  message: string;
}

export class DjaoappBillingClient {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
  ) {}

  private request(method: string, path: string, body?: unknown): Promise<any> {
    return jsonRequest(this.baseUrl, this.token, method, path, body);
  }

  private static charge(c: any): ChargeSummary {
    return {
      key: c.processor_key,
      createdAt: c.created_at,
      amount: c.amount,
      unit: c.unit,
      readable: c.readable_amount,
      state: c.state,
    };
  }

  /** The first page of charges and the sum of all of them, in cents. */
  async charges(): Promise<{ charges: ChargeSummary[]; total: number }> {
    const page = await this.request('GET', '/api/billing/charges/');
    return { charges: page.results.map(DjaoappBillingClient.charge), total: page.balance_amount };
  }

  async charge(key: string): Promise<ChargeSummary> {
    return DjaoappBillingClient.charge(await this.request('GET', `/api/billing/charges/${key}/`));
  }

  /** What a customer was billed, paid and refunded over [from, to). */
  async history(customer: string, from: string, to: string): Promise<HistoryEntry[]> {
    const query = new URLSearchParams({ start_at: from, ends_at: to });
    const page = await this.request('GET', `/api/billing/${customer}/history/?${query}`);
    return page.results.map((tx: any) => ({
      createdAt: tx.created_at,
      description: tx.description,
      amount: tx.amount,
      debit: tx.is_debit,
    }));
  }

  /** The balance due by a customer, in cents. */
  async balance(customer: string): Promise<{ amount: number; unit: string }> {
    const body = await this.request('GET', `/api/billing/${customer}/balance/`);
    return { amount: Number(body.balance_amount), unit: body.balance_unit };
  }

  /** Refunds `cents` of line item `num` of a charge. */
  async refund(key: string, num: number, cents: number): Promise<Refunded> {
    const body = await this.request('POST', `/api/billing/charges/${key}/refund/`, {
      lines: [{ num, refunded_amount: cents }],
    });
    return { charge: DjaoappBillingClient.charge(body), message: body.detail };
  }
}
