/**
 * Consumer: a prices client records what it needs from Productive (contracts/pacts/prices-frontend-productive.json).
 * Provider: that pact is verified against the mock (or PACT_PROVIDER_BASE_URL).
 */
import { MatchersV3 } from '@pact-foundation/pact';
import { expect } from 'vitest';
import { answers, describePact, sends, type Interaction, type PactParties } from './consumer.ts';
import { ProductivePricesClient } from './productive/prices-client.ts';

const { like, eachLike, integer, regex, string } = MatchersV3;
const parties: PactParties = {
  consumer: 'prices-frontend',
  provider: 'productive',
  state: 'organization 572 has price 1',
};
const auth = { 'X-Auth-Token': 'productive-test-token', 'X-Organization-Id': '572' };
const jsonApi = 'application/vnd.api+json; charset=utf-8';
const price = (attributes: Record<string, unknown>) => ({
  id: string('1'),
  type: 'prices',
  attributes: like({
    name: 'Price',
    quantity: regex(/^-?\d+\.\d+$/, '5.0'),
    unit_id: integer(2),
    currency: 'USD',
    rate: integer(10000),
    ...attributes,
  }),
  relationships: like({ company: { data: { type: 'companies', id: string('1926') } } }),
});

const interactions: Interaction[] = [
  {
    uponReceiving: 'a request for the first page of prices',
    withRequest: sends('GET', '/api/v2/prices', { headers: auth, query: { 'page[number]': '1', 'page[size]': '30' } }),
    willRespondWith: answers(200, { data: eachLike(price({})), meta: like({ total_count: integer(1) }) }, jsonApi),
  },
  {
    uponReceiving: 'a request for price 1',
    withRequest: sends('GET', '/api/v2/prices/1', { headers: auth }),
    willRespondWith: answers(200, { data: price({}) }, jsonApi),
  },
  {
    uponReceiving: 'a request to create a price',
    withRequest: sends('POST', '/api/v2/prices', {
      headers: auth,
      body: {
        data: {
          type: 'prices',
          attributes: { name: 'Design', unit_id: 1, currency: 'USD', quantity: 2.5 },
          relationships: { company: { data: { type: 'companies', id: '1926' } } },
        },
      },
      contentType: 'application/vnd.api+json',
    }),
    willRespondWith: answers(201, { data: price({ name: 'Design', quantity: '2.5' }) }, jsonApi),
  },
  {
    uponReceiving: 'a request to rename price 1',
    withRequest: sends('PATCH', '/api/v2/prices/1', {
      headers: auth,
      body: { data: { type: 'prices', attributes: { name: 'Renamed' } } },
      contentType: 'application/vnd.api+json',
    }),
    willRespondWith: answers(200, { data: price({ name: 'Renamed' }) }, jsonApi),
  },
  {
    uponReceiving: 'a request to delete price 1',
    withRequest: sends('DELETE', '/api/v2/prices/1', { headers: auth }),
    willRespondWith: { status: 204 },
  },
  {
    uponReceiving: 'a request for a price that does not exist',
    withRequest: sends('GET', '/api/v2/prices/999999', { headers: auth }),
    willRespondWith: answers(404, { errors: eachLike({ status: '404', title: string('Not Found') }) }, jsonApi),
  },
];

describePact(parties, {
  client: 'the prices client',
  interactions,
  exercise: async (mock) => {
    const client = new ProductivePricesClient(mock.url, auth['X-Auth-Token'], auth['X-Organization-Id']);
    expect(await client.listPrices()).toEqual({ ids: ['1'], total: 1 });
    expect(await client.getPrice('1')).toEqual({ id: '1', name: 'Price', quantity: '5.0', companyId: '1926' });
    expect(await client.createPrice({ name: 'Design', unit_id: 1, currency: 'USD', quantity: 2.5 }, '1926')).toBe('1');
    expect(await client.renamePrice('1', 'Renamed')).toBe('Renamed');
    await client.deletePrice('1');
    await expect(client.getPrice('999999')).rejects.toMatchObject({ status: 404 });
  },
  withoutPublicApi:
    "the states need organization 572's fixture price 1; Productive's public API cannot create a price with a chosen id",
});
