/** A small Productive prices client, as a frontend would write it: the consumer in the Pact tests. */
export interface PriceAttributes {
  name: string;
  unit_id: number;
  currency: string;
  rate?: number;
  quantity?: number;
}

export class ProductivePricesClient {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
    private readonly organizationId: string,
    private readonly extraHeaders: Record<string, string> = {},
  ) {}

  private async request(method: string, path: string, body?: unknown): Promise<any> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        'X-Auth-Token': this.token,
        'X-Organization-Id': this.organizationId,
        ...(body === undefined ? {} : { 'Content-Type': 'application/vnd.api+json' }),
        ...this.extraHeaders,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok)
      throw Object.assign(new Error(`${method} ${path} → ${res.status}`), {
        status: res.status,
        body: await res.json(),
      });
    return res.status === 204 ? undefined : res.json();
  }

  async listPrices(page = 1, size = 30): Promise<{ ids: string[]; total: number }> {
    const doc = await this.request('GET', `/api/v2/prices?page%5Bnumber%5D=${page}&page%5Bsize%5D=${size}`);
    return { ids: doc.data.map((p: { id: string }) => p.id), total: doc.meta.total_count };
  }

  async getPrice(id: string): Promise<{ id: string; name: string; quantity: string; companyId: string }> {
    const { data } = await this.request('GET', `/api/v2/prices/${id}`);
    return {
      id: data.id,
      name: data.attributes.name,
      quantity: data.attributes.quantity,
      companyId: data.relationships.company.data.id,
    };
  }

  async createPrice(attributes: PriceAttributes, companyId: string): Promise<string> {
    const { data } = await this.request('POST', '/api/v2/prices', {
      data: { type: 'prices', attributes, relationships: { company: { data: { type: 'companies', id: companyId } } } },
    });
    return data.id;
  }

  async renamePrice(id: string, name: string): Promise<string> {
    const { data } = await this.request('PATCH', `/api/v2/prices/${id}`, {
      data: { type: 'prices', attributes: { name } },
    });
    return data.attributes.name;
  }

  async deletePrice(id: string): Promise<void> {
    await this.request('DELETE', `/api/v2/prices/${id}`);
  }
}
