/**
 * Every request example of the Productive prices docs page (seed 002, extracted to seed-examples.json) sent to
 * the target gets the documented answer, apart from ids and timestamps. The docs ran each example in its own
 * organization; here they run against the fixtures' organizations 572 and 573 and the prices they hold.
 */
import { describe, expect, it } from 'vitest';
import examples from './seed-examples.json' with { type: 'json' };
import { maskIdsAndTimes } from '../support/mask.ts';
import { closedAfterFile, needsStandin } from '../support/target.ts';
import { productiveTarget } from './target.ts';

interface Example {
  request: { method: string; path: string; body?: any };
  response: { status?: number; body?: any };
}
const seed = examples as Example[];

const { target: t, credentials: creds } = closedAfterFile(await productiveTarget());

/** The docs' ids of related records, mapped onto the fixtures' records of the same role. */
function withFixtureIds(body: any): any {
  const copy = structuredClone(body);
  const rel = copy?.data?.relationships;
  if (rel?.company?.data && rel.company.data.id !== '0') rel.company.data.id = creds.companyId;
  if (rel?.service_type?.data && rel.service_type.data.id !== '0') rel.service_type.data.id = creds.serviceTypeId;
  return copy;
}

function expectSeedAnswer(actual: any, expected: any) {
  expect(maskIdsAndTimes(actual.data)).toEqual(maskIdsAndTimes(expected.data));
  if (expected.meta) expect(actual.meta).toEqual(expected.meta);
  if (expected.links) expect(maskIdsAndTimes(actual.links)).toEqual(maskIdsAndTimes(expected.links));
  if (expected.included)
    expect(actual.included.map((r: any) => r.type)).toEqual(expected.included.map((r: any) => r.type));
}

describe('seed 002 examples', () => {
  it('GET /api/v2/prices lists the one price of organization 572', async (ctx) => {
    needsStandin(ctx, "the fixtures' price 1, the only one of organization 572");
    await t.admin('POST', '/reset');
    const res = await t.call('list_prices', { headers: creds.headers });
    expect(res.status).toBe(200);
    expectSeedAnswer(res.body, seed[0]!.response.body);
    expect(maskIdsAndTimes(res.body.included)).toEqual(maskIdsAndTimes(seed[0]!.response.body.included));
  });

  it('GET /api/v2/prices/2 answers price 2 to organization 573', async (ctx) => {
    needsStandin(ctx, "the fixtures' price 2 of organization 573");
    const res = await t.call('get_price', { params: { id: 2 }, headers: creds.otherHeaders });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      ...seed[1]!.response.body,
      data: {
        ...seed[1]!.response.body.data,
        attributes: { ...seed[1]!.response.body.data.attributes, updated_at: res.body.data.attributes.updated_at },
      },
    });
  });

  it.each([
    ['creates a price, quantity 5 → "5.0"', 2, 201],
    ['rejects a blank name with the four errors in order', 3, 422],
    ['rounds quantity 5.12345 to "5.12"', 4, 201],
  ])('POST /api/v2/prices %s', async (_, index, status) => {
    const example = seed[index]!;
    const res = await t.call('create_price', { body: withFixtureIds(example.request.body), headers: creds.headers });
    expect(res.status).toBe(status);
    if (status === 422) expect(res.body).toEqual(example.response.body);
    else expectSeedAnswer(res.body, example.response.body);
  });

  it.each([
    ['renames a price', 5, 200],
    ['reports only the blank name when company is "0"', 6, 422],
    ['reports only the blank name when service_type is "0"', 7, 422],
    ['reports the blank name', 8, 422],
    ['rounds quantity 2.12345 to "2.12"', 10, 200],
  ])('PATCH /api/v2/prices/{id} %s', async (_, index, status) => {
    const example = seed[index]!;
    const created = await t.call('create_price', {
      headers: creds.headers,
      body: {
        data: {
          type: 'prices',
          attributes: { name: 'Price', unit_id: 2, rate: 10000, currency: 'USD', quantity: 5 },
          relationships: withFixtureIds({
            data: {
              relationships: {
                company: { data: { type: 'companies', id: 'x' } },
                service_type: { data: { type: 'service_types', id: 'x' } },
              },
            },
          }).data.relationships,
        },
      },
    });
    const res = await t.call('update_price', {
      params: { id: created.body.data.id },
      body: withFixtureIds(example.request.body),
      headers: creds.headers,
    });
    expect(res.status).toBe(status);
    if (status === 422) expect(res.body).toEqual(example.response.body);
    else expectSeedAnswer(res.body, example.response.body);
  });

  it('PATCH /api/v2/prices/12 keeps the unrounded quantity "5.12345" a record already had', async (ctx) => {
    needsStandin(ctx, "the fixtures' price 12 with its unrounded quantity");
    const example = seed[9]!;
    const res = await t.call('update_price', {
      params: { id: 12 },
      body: example.request.body,
      headers: creds.otherHeaders,
    });
    expect(res.status).toBe(200);
    expectSeedAnswer(res.body, example.response.body);
  });

  it('DELETE /api/v2/prices/{id} answers 204 with no content', async () => {
    const created = await t.call('create_price', {
      headers: creds.headers,
      body: withFixtureIds(seed[2]!.request.body),
    });
    const res = await t.call('delete_price', { params: { id: created.body.data.id }, headers: creds.headers });
    expect(res.status).toBe(seed[11]!.response.status);
    expect(res.raw.length).toBe(0);
  });
});
