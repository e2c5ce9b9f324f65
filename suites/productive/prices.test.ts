/** Productive prices, scenario by scenario: listing, reading, creating, updating and deleting, and every error. */
import { describe, expect, it } from 'vitest';
import { closedAfterFile, needsStandin, type CallOptions } from '../support/target.ts';
import { productiveTarget } from './target.ts';

const { target: t, credentials: creds } = closedAfterFile(await productiveTarget());

/** Lists prices with `query`: Productive's 400 Unsupported <kind>, its detail "<what> is not supported on this endpoint". */
async function expectUnsupported(query: CallOptions['query'], kind: string, what: string): Promise<void> {
  const res = await t.call('list_prices', { headers: creds.headers, query });
  expect(res.status).toBe(400);
  expect(res.body).toEqual({
    errors: [{ status: 400, title: `Unsupported ${kind}`, detail: `${what} is not supported on this endpoint` }],
  });
}

function priceBody(attributes: Record<string, unknown> = {}, relationships?: Record<string, unknown>) {
  return {
    data: {
      type: 'prices',
      attributes: { name: 'Consulting', unit_id: 2, rate: 12000, currency: 'USD', quantity: 1, ...attributes },
      relationships: relationships ?? {
        company: { data: { type: 'companies', id: creds.companyId } },
        service_type: { data: { type: 'service_types', id: creds.serviceTypeId } },
      },
    },
  };
}

async function createPrice(attributes: Record<string, unknown> = {}) {
  const res = await t.call('create_price', { headers: creds.headers, body: priceBody(attributes) });
  expect.soft(res.status).toBe(201);
  return res.body.data;
}

async function countPrices(): Promise<number> {
  return (await t.call('list_prices', { headers: creds.headers })).body.meta.total_count;
}

describe('authentication', () => {
  it('answers 401 without X-Auth-Token', async () => {
    const res = await t.call('list_prices', { headers: { 'X-Organization-Id': creds.headers['X-Organization-Id']! } });
    expect(res.status).toBe(401);
    expect(res.body.errors[0]).toMatchObject({ status: '401', title: 'Unauthenticated' });
  });

  it('answers 401 for an unknown token', async () => {
    const res = await t.call('get_price', {
      params: { id: 1 },
      headers: { ...creds.headers, 'X-Auth-Token': 'not-a-token' },
    });
    expect(res.status).toBe(401);
  });

  it('answers 403 when X-Organization-Id is another organization or missing', async () => {
    const wrong = await t.call('list_prices', {
      headers: { ...creds.headers, 'X-Organization-Id': creds.otherHeaders['X-Organization-Id']! },
    });
    expect(wrong.status).toBe(403);
    expect(wrong.body.errors[0]).toMatchObject({ status: '403' });
    const missing = await t.call('list_prices', { headers: { 'X-Auth-Token': creds.headers['X-Auth-Token']! } });
    expect(missing.status).toBe(403);
  });
});

describe('GET /api/v2/prices', () => {
  it('pages with page[number] and page[size], with meta and first/last/next/prev links', async () => {
    for (const name of ['Page A', 'Page B', 'Page C']) await createPrice({ name });
    const total = await countPrices();
    const first = await t.call('list_prices', { headers: creds.headers, query: { 'page[size]': 2 } });
    expect(first.status).toBe(200);
    expect(first.body.data).toHaveLength(2);
    expect(first.body.meta).toMatchObject({
      current_page: 1,
      page_size: 2,
      max_page_size: 200,
      total_count: total,
      total_pages: Math.ceil(total / 2),
    });
    expect(first.body.links.first).toMatch(/\/api\/v2\/prices\?page%5Bnumber%5D=1&page%5Bsize%5D=2$/);
    expect(first.body.links.next).toMatch(/page%5Bnumber%5D=2&page%5Bsize%5D=2$/);
    expect(first.body.links.prev).toBeUndefined();
    const last = await t.call('list_prices', {
      headers: creds.headers,
      query: { 'page[size]': 2, 'page[number]': first.body.meta.total_pages },
    });
    expect(last.body.links.next).toBeUndefined();
    expect(last.body.links.prev).toMatch(/page%5Bnumber%5D=\d+/);
    const ids = new Set([...first.body.data, ...last.body.data].map((p: any) => p.id));
    expect(ids.size).toBe(first.body.data.length + last.body.data.length);
  });

  it('defaults to 30 a page and rejects page[size] over 200', async () => {
    const res = await t.call('list_prices', { headers: creds.headers });
    expect(res.body.meta.page_size).toBe(30);
    const tooBig = await t.call('list_prices', { headers: creds.headers, query: { 'page[size]': 201 } });
    expect(tooBig.status).toBe(400);
    expect(tooBig.body.errors[0].detail).toContain('page[size]');
  });

  it('filters by id (comma list), company_id, service_type_id, with operators and $op', async () => {
    const a = await createPrice({ name: 'Filter A' });
    const b = await createPrice({ name: 'Filter B' });
    const byIds = await t.call('list_prices', { headers: creds.headers, query: { 'filter[id]': `${a.id},${b.id}` } });
    expect(byIds.body.data.map((p: any) => p.id).sort()).toEqual([a.id, b.id].sort());
    const notA = await t.call('list_prices', {
      headers: creds.headers,
      query: { 'filter[id][not_eq]': a.id, 'page[size]': 200 },
    });
    expect(notA.body.data.map((p: any) => p.id)).not.toContain(a.id);
    const byCompany = await t.call('list_prices', {
      headers: creds.headers,
      query: { 'filter[company_id]': creds.companyId, 'page[size]': 200 },
    });
    expect(byCompany.body.data.every((p: any) => p.relationships.company.data.id === creds.companyId)).toBe(true);
    const none = await t.call('list_prices', {
      headers: creds.headers,
      query: { 'filter[service_type_id]': '999999999' },
    });
    expect(none.body.data).toEqual([]);
    expect(none.body.meta.total_count).toBe(0);
    const either = await t.call('list_prices', {
      headers: creds.headers,
      query: { 'filter[$op]': 'or', 'filter[id]': a.id, 'filter[service_type_id]': '999999999' },
    });
    expect(either.body.data.map((p: any) => p.id)).toEqual([a.id]);
  });

  it('answers 400 Unsupported Filter for a filter the endpoint does not have', async () => {
    await expectUnsupported({ 'filter[color]': 'red' }, 'Filter', "Filter 'color'");
  });

  it('sorts by name ascending and descending; 400 Unsupported Sort otherwise', async () => {
    await createPrice({ name: 'aaa first' });
    await createPrice({ name: 'zzz last' });
    const asc = await t.call('list_prices', { headers: creds.headers, query: { sort: 'name', 'page[size]': 200 } });
    const names = asc.body.data.map((p: any) => p.attributes.name);
    expect(names).toEqual([...names].sort((x: string, y: string) => x.localeCompare(y)));
    const desc = await t.call('list_prices', { headers: creds.headers, query: { sort: '-name', 'page[size]': 200 } });
    expect(desc.body.data.map((p: any) => p.attributes.name)).toEqual([...names].reverse());
    await expectUnsupported({ sort: 'colour' }, 'Sort', "Sort by 'colour'");
  });

  it('includes what include names, and answers 400 Unsupported Include for the rest', async () => {
    const only = await t.call('list_prices', { headers: creds.headers, query: { include: 'company' } });
    expect(new Set(only.body.included.map((r: any) => r.type))).toEqual(new Set(['companies']));
    await expectUnsupported({ include: 'owner' }, 'Include', "Include 'owner'");
  });

  it("never shows another organization's prices", async () => {
    const mine = await createPrice({ name: 'Only for 572' });
    const theirs = await t.call('list_prices', { headers: creds.otherHeaders, query: { 'page[size]': 200 } });
    expect(theirs.status).toBe(200);
    expect(theirs.body.data.map((p: any) => p.id)).not.toContain(mine.id);
    expect(JSON.stringify(theirs.body)).not.toContain('Only for 572');
  });
});

describe('GET /api/v2/prices/{id}', () => {
  it('answers the price with its relationships and the default included records', async () => {
    const price = await createPrice({ name: 'Read me' });
    const res = await t.call('get_price', { params: { id: price.id }, headers: creds.headers });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual(price);
    expect(res.body.included.map((r: any) => r.type)).toEqual(['service_types', 'companies', 'people', 'companies']);
  });

  it("answers 404 for an unknown id and for another organization's price", async () => {
    expect((await t.call('get_price', { params: { id: 987654321 }, headers: creds.headers })).status).toBe(404);
    const price = await createPrice();
    const res = await t.call('get_price', { params: { id: price.id }, headers: creds.otherHeaders });
    expect(res.status).toBe(404);
    expect(res.body.errors[0]).toMatchObject({ status: '404', title: 'Not Found' });
  });
});

describe('POST /api/v2/prices', () => {
  it('creates a price written by the token holder, quantity as a string', async () => {
    const price = await createPrice({ name: 'Design', quantity: 3, rate: 5000, description: 'hourly design' });
    expect(price.attributes).toMatchObject({
      name: 'Design',
      quantity: '3.0',
      rate: 5000,
      rate_default: 5000,
      description: 'hourly design',
    });
    expect(price.relationships.updater.data).toEqual({ type: 'people', id: creds.personId });
    expect(price.relationships.company.data).toEqual({ type: 'companies', id: creds.companyId });
  });

  it('converts *_default and *_normalized into the organization currency', async (ctx) => {
    needsStandin(ctx, "the fixtures' exchange rate (1 EUR = 1.08 USD)");
    const price = await createPrice({ currency: 'EUR', rate: 10000, fixed_amount: 500 });
    expect(price.attributes).toMatchObject({
      currency: 'EUR',
      currency_default: 'USD',
      currency_normalized: 'USD',
      rate_default: 10800,
      rate_normalized: 10800,
      fixed_amount_default: 540,
      hourly_rate_default: null,
    });
  });

  it('answers 422 for an unknown company (it counts as blank) and an unknown currency', async () => {
    const res = await t.call('create_price', {
      headers: creds.headers,
      body: priceBody({ currency: 'XXX' }, { company: { data: { type: 'companies', id: '999999999' } } }),
    });
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: any) => [e.source.pointer, e.detail])).toEqual([
      ['data/attributes/company_id', "can't be blank"],
      ['data/attributes/currency', 'is not included in the list'],
    ]);
  });

  describe('bad input gets a JSON:API 4xx naming the problem, and nothing is stored', () => {
    const cases: [string, (headers: Record<string, string>) => CallOptions, number, RegExp][] = [
      [
        'a wrong Content-Type',
        (h) => ({ headers: { ...h, 'content-type': 'application/json' }, body: priceBody() }),
        415,
        /Content-Type 'application\/json'/,
      ],
      [
        'malformed JSON',
        (h) => ({ headers: { ...h, 'content-type': 'application/vnd.api+json' }, rawBody: '{"data": {' }),
        400,
        /not valid JSON/,
      ],
      ['a name that is not a string', () => ({ body: priceBody({ name: 42 }) }), 422, /must be string/],
      ['an attribute prices do not have', () => ({ body: priceBody({ colour: 'red' }) }), 422, /colour is not allowed/],
      [
        'a wrong resource type',
        () => ({ body: { data: { ...priceBody().data, type: 'companies' } } }),
        422,
        /must be equal to constant/,
      ],
      ['an oversized body', () => ({ body: priceBody({ description: 'x'.repeat(1_100_000) }) }), 413, /larger than/],
    ];
    it.each(cases)('%s', async (_, options, status, detail) => {
      const before = await countPrices();
      const opts = options(creds.headers);
      const res = await t.call('create_price', { ...opts, headers: { ...creds.headers, ...opts.headers } });
      expect(res.status).toBe(status);
      expect(res.body.errors[0].detail).toMatch(detail);
      expect(await countPrices()).toBe(before);
    });

    it('points at the attribute that is wrong', async () => {
      const res = await t.call('create_price', { headers: creds.headers, body: priceBody({ unit_id: 'two' }) });
      expect(res.status).toBe(422);
      expect(res.body.errors).toContainEqual(
        expect.objectContaining({ source: { pointer: 'data/attributes/unit_id' } }),
      );
    });
  });
});

describe('PATCH /api/v2/prices/{id}', () => {
  it('changes only what is written; updater becomes the token holder', async () => {
    const price = await createPrice({ name: 'Before', rate: 100, quantity: 2 });
    const res = await t.call('update_price', {
      params: { id: price.id },
      headers: creds.headers,
      body: { data: { type: 'prices', attributes: { rate: 250 } } },
    });
    expect(res.status).toBe(200);
    expect(res.body.data.attributes).toMatchObject({ name: 'Before', rate: 250, quantity: '2.0' });
    const read = await t.call('get_price', { params: { id: price.id }, headers: creds.headers });
    expect(read.body.data.attributes.rate).toBe(250);
  });

  it('moves a price to another service type, sets it to null, and ignores an unknown one', async () => {
    const price = await createPrice();
    const unknown = await t.call('update_price', {
      params: { id: price.id },
      headers: creds.headers,
      body: { data: { type: 'prices', relationships: { service_type: { data: { type: 'service_types', id: '0' } } } } },
    });
    expect(unknown.body.data.relationships.service_type.data).toEqual({
      type: 'service_types',
      id: creds.serviceTypeId,
    });
    const cleared = await t.call('update_price', {
      params: { id: price.id },
      headers: creds.headers,
      body: { data: { type: 'prices', id: price.id, relationships: { service_type: { data: null } } } },
    });
    expect(cleared.body.data.relationships.service_type.data).toBeNull();
  });

  it('answers 422 when company is set to null and changes nothing', async () => {
    const price = await createPrice({ name: 'Keep me' });
    const res = await t.call('update_price', {
      params: { id: price.id },
      headers: creds.headers,
      body: { data: { type: 'prices', attributes: { name: 'Changed' }, relationships: { company: { data: null } } } },
    });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([
      {
        status: '422',
        code: 'invalid_attribute',
        title: 'Invalid Attribute',
        detail: "can't be blank",
        source: { pointer: 'data/attributes/company_id' },
      },
    ]);
    expect(
      (await t.call('get_price', { params: { id: price.id }, headers: creds.headers })).body.data.attributes.name,
    ).toBe('Keep me');
  });

  it('answers 409 when data.id differs from the URL, 404 for an unknown price, 415 for another content type', async () => {
    const price = await createPrice();
    const conflict = await t.call('update_price', {
      params: { id: price.id },
      headers: creds.headers,
      body: { data: { type: 'prices', id: '1234567', attributes: { name: 'x' } } },
    });
    expect(conflict.status).toBe(409);
    const missing = await t.call('update_price', {
      params: { id: 987654321 },
      headers: creds.headers,
      body: { data: { type: 'prices', attributes: { name: 'x' } } },
    });
    expect(missing.status).toBe(404);
    const wrongType = await t.call('update_price', {
      params: { id: price.id },
      headers: { ...creds.headers, 'content-type': 'text/plain' },
      rawBody: '{"data":{"type":"prices"}}',
    });
    expect(wrongType.status).toBe(415);
  });

  it('stamps updated_at from the sandbox clock, in the organization offset', async (ctx) => {
    needsStandin(ctx, 'the sandbox clock');
    const price = await createPrice();
    await t.admin('POST', '/clock', { set: '2030-01-02T03:04:05.678Z', freeze: true });
    const res = await t.call('update_price', {
      params: { id: price.id },
      headers: creds.headers,
      body: { data: { type: 'prices', attributes: { name: 'Clocked' } } },
    });
    expect(res.body.data.attributes.updated_at).toBe('2030-01-02T05:04:05.678+02:00');
    await t.admin('POST', '/clock', { advance: 'P1DT1H' });
    const again = await t.call('update_price', {
      params: { id: price.id },
      headers: creds.headers,
      body: { data: { type: 'prices', attributes: { name: 'Clocked again' } } },
    });
    expect(again.body.data.attributes.updated_at).toBe('2030-01-03T06:04:05.678+02:00');
    await t.admin('POST', '/clock', { reset: true });
  });
});

describe('DELETE /api/v2/prices/{id}', () => {
  it('answers 204, then the price is gone: GET and DELETE answer 404', async () => {
    const price = await createPrice();
    const before = await countPrices();
    expect((await t.call('delete_price', { params: { id: price.id }, headers: creds.headers })).status).toBe(204);
    expect((await t.call('get_price', { params: { id: price.id }, headers: creds.headers })).status).toBe(404);
    expect((await t.call('delete_price', { params: { id: price.id }, headers: creds.headers })).status).toBe(404);
    expect(await countPrices()).toBe(before - 1);
  });

  it("answers 404 for another organization's price and leaves it", async () => {
    const price = await createPrice();
    expect((await t.call('delete_price', { params: { id: price.id }, headers: creds.otherHeaders })).status).toBe(404);
    expect((await t.call('get_price', { params: { id: price.id }, headers: creds.headers })).status).toBe(200);
  });
});
