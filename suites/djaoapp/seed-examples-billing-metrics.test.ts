/**
 * Every example of seed 001 for the metrics operations (in seed-examples.json), sent to the mock with the fixture
 * users. The 12-month tables run with the sandbox clock at each example's own instant (2015-08-06, a few minutes
 * apart), so every point of every series must be the seed's, to the millisecond; the balance sheet at its example's
 * instant (2016-05-16). Their values come from the fixtures' ledger, whose only sales are the seed's charge
 * ch_XAb124EF of 2016: where the seed's numbers describe a business the rest of the seed never shows (60 customers,
 * plans open-plus and private), the check says so and asserts what the fixtures give instead. The lists run at
 * 2018-07-01, the date of the profile examples. Mock only (fixtures, admin API).
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { expectStatus, needsStandin, onStandin } from '../support/target.ts';
import { maskIdsAndTimes } from '../support/mask.ts';
import { billingWorldOfFile, describeAt, resetAt } from './billing-world.ts';
import { seedExample, withoutFields } from './seed-examples.ts';

const STANDIN_ONLY = "the seed's example records (fixtures) at the seed's dates (admin API clock)";

const w = await billingWorldOfFile();
/** The seed's answer (minus the contradicted fields) is all in the answer, with its values (timestamps masked). */
function expectSeed(actual: unknown, operation: string, contradicted: string[] = []) {
  expect(maskIdsAndTimes(actual)).toMatchObject(
    maskIdsAndTimes(withoutFields(seedExample(operation).response, contradicted)) as object,
  );
}

type Row = { key: string; values: Array<[string, number]> };
const instants = (row: Row) => row.values.map(([at]) => at);
const numbers = (row: Row) => row.values.map(([, v]) => v);
/** The seed example's rows of a table. */
const seedRows = (operation: string, part = 'table'): Row[] => seedExample(operation).response[part];
/** The instant of the seed example's last point: its "now". */
const seedNow = (operation: string) => instants(seedRows(operation)[0]!).at(-1)!;

/** cowork's table at the seed example's own instant; its rows' keys and instants must be the seed's. */
async function tableAtSeedNow(operation: string, operationId: string, parts: string[]): Promise<Record<string, Row[]>> {
  await resetAt(w.t, seedNow(operation));
  const res = await w.t.call(operationId, { params: { organization: 'cowork' }, headers: w.donny });
  expect(res.status).toBe(200);
  expectSeed(res.body, operation, parts);
  for (const part of parts) {
    expect(res.body[part].map((r: Row) => r.key)).toEqual(seedRows(operation, part).map((r) => r.key));
    res.body[part].forEach((row: Row, i: number) =>
      expect(instants(row)).toEqual(instants(seedRows(operation, part)[i]!)),
    );
  }
  return res.body;
}

describe("seed 001: a provider's 12-month tables", () => {
  beforeEach((ctx) => needsStandin(ctx, STANDIN_ONLY));
  it("GET /api/metrics/cowork/balances: Income, Backlog and Receivable at the seed's 13 instants", async () => {
    const op = 'GET /api/metrics/{organization}/balances/';
    const { table } = await tableAtSeedNow(op, 'metrics_balances', ['table']);
    expect(table[2]).toEqual(seedRows(op)[2]);
    // The seed's Income and Backlog are a business of 2014-2015; the fixtures' first sale is dated 2016-01-01.
    expect(numbers(table[0]!)).toEqual(Array(13).fill(0));
    expect(numbers(table[1]!)).toEqual(Array(13).fill(0));
  });

  it("GET /api/metrics/cowork/funds/: the five rows over the seed's 12 months", async () => {
    const op = 'GET /api/metrics/{organization}/funds/';
    const { table } = await tableAtSeedNow(op, 'metrics_funds', ['table']);
    const row = (rows: Row[], key: string) => rows.find((r) => r.key === key)!;
    // New Sales, Churned Sales and Refunds are the seed's (nothing); Total Sales and Payments are a business the
    // fixtures do not have before 2016: nothing either.
    for (const key of ['New Sales', 'Churned Sales', 'Refunds'])
      expect(row(table!, key)).toEqual(row(seedRows(op), key));
    for (const key of ['Total Sales', 'Payments']) expect(numbers(row(table!, key))).toEqual(Array(12).fill(0));
  });

  it("GET /api/metrics/cowork/customers: the four counts and the churn rate over the seed's 12 months", async () => {
    const { table, extra } = await tableAtSeedNow('GET /api/metrics/{organization}/customers/', 'metrics_customers', [
      'table',
      'extra',
    ]);
    // The seed counts 15 to 60 customers in 2014-2015; the fixtures' only customer, xia, was first billed in 2016.
    expect([...table!, ...extra!].flatMap(numbers)).toEqual(Array(60).fill(0));
  });

  it("GET /api/metrics/cowork/plans: active subscribers of open-space at the seed's 13 instants", async () => {
    const op = 'GET /api/metrics/{organization}/plans/';
    await resetAt(w.t, seedNow(op));
    const res = await w.t.call('metrics_plans', { params: { organization: 'cowork' }, headers: w.donny });
    expect(res.status).toBe(200);
    expectSeed(res.body, op, ['table', 'extra']);
    // The seed's plans open-plus and private appear in no other example; cowork sells open-space, premium, managed
    // and basic (the fixtures), one row each.
    const [openSpace] = seedRows(op);
    expect(res.body.table.map((r: Row) => r.key)).toEqual(['open-space', 'premium', 'managed', 'basic']);
    const ours = res.body.table[0];
    expect(ours).toMatchObject({ key: openSpace!.key, is_active: true, location: '/profile/plan/open-space/' });
    expect(instants(ours)).toEqual(instants(openSpace!));
    // xia's open-space starts in 2018: nobody subscribed in 2014-2015.
    expect(numbers(ours)).toEqual(Array(13).fill(0));
    // The seed's churn row was computed a few milliseconds after the table: its last instant differs by 27 ms.
    const [churn] = seedRows(op, 'extra');
    expect(res.body.extra.map((r: Row) => r.key)).toEqual([churn!.key]);
    expect(instants(res.body.extra[0]).slice(0, 12)).toEqual(instants(churn!).slice(0, 12));
    expect(numbers(res.body.extra[0])).toEqual(Array(13).fill(0));
  });
});

/** A metrics list as donny reads it, ?o=created_at&ot=desc (newest first): 200, the answer. */
const newestFirst = (operationId: string, params?: Record<string, string>) =>
  expectStatus(200, w.t.call(operationId, { params, query: { o: 'created_at', ot: 'desc' }, headers: w.donny }));

describeAt(w, 'seed 001: subscription, coupon and registration lists', '2018-07-01T00:00:00Z', STANDIN_ONLY, () => {
  it('GET /api/metrics/cowork/active?o=created_at&ot=desc lists xia on open-space', async () => {
    const res = await newestFirst('metrics_active_list', { organization: 'cowork' });
    // As in the subscription examples (part 2): the plan's long description, its interval written 4 and its app on
    // localhost:8020 are the seed's; the contract writes the interval as a name and the app under the mock.
    expectSeed(res.body, 'GET /api/metrics/{organization}/active/', [
      'results.[].plan.description',
      'results.[].plan.interval',
      'results.[].plan.app_url',
    ]);
    expect(res.body.results[0].plan.interval).toBe('monthly');
  });

  it("GET /api/metrics/cowork/churned?o=created_at&ot=desc lists xia's subscription of 2016-01-14 to 2017-01-14", async () => {
    const res = await newestFirst('metrics_churned_list', { organization: 'cowork' });
    // The seed shows the active example's record here; the subscription that ended on 2017-01-14 is to premium (the
    // subscribers examples of part 2), priced 18000.
    const plan = ['slug', 'title', 'description', 'period_amount', 'interval', 'app_url'].map(
      (f) => `results.[].plan.${f}`,
    );
    expectSeed(res.body, 'GET /api/metrics/{organization}/churned/', plan);
    expect(res.body.results[0]).toMatchObject({
      created_at: '2016-01-14T23:16:55Z',
      ends_at: '2017-01-14T23:16:55Z',
      plan: { slug: 'premium' },
    });
  });

  it("GET /api/metrics/cowork/coupons/DIS100/ lists xia's checkout of basic with it", async () => {
    const res = await w.t.call('metrics_coupon_uses_list', {
      params: { organization: 'cowork', coupon: 'DIS100' },
      headers: w.donny,
    });
    expect(res.status).toBe(200);
    // The seed's user is "Xia Doe" <xia@localhost.localdomain>, created 2012; the user xia is Xia Lee (part 1).
    expectSeed(res.body, 'GET /api/metrics/{organization}/coupons/{coupon}/', [
      'results.[].user.email',
      'results.[].user.full_name',
    ]);
    expect(res.body.results[0].created_at).toBe('2014-01-01T09:00:00Z');
  });

  it('GET /api/metrics/registered?o=created_at&ot=desc includes alice', async () => {
    const res = await newestFirst('metrics_registered_list');
    // The seed counts alice alone; donny also manages only cowork, which never subscribed (joe1 registers in 2020).
    expectSeed(res.body, 'GET /api/metrics/registered/', ['count', 'results']);
    expect(res.body.results.map((u: { slug: string }) => u.slug)).toEqual(['alice', 'donny']);
    expect(res.body.results[0]).toEqual(seedExample('GET /api/metrics/registered/').response.results[0]);
  });
});

describe('seed 001: the balance sheet "taxes"', () => {
  beforeEach((ctx) => needsStandin(ctx, STANDIN_ONLY));
  const sheet = 'GET /api/metrics/balances/{report}/';
  beforeAll(onStandin(() => resetAt(w.t, instants(seedExample(sheet).response.table[0]).at(-1)!)));
  const params = { report: 'taxes' };

  it("GET /api/metrics/balances/taxes/ sums the Receivable accounts at the seed's 6 instants", async () => {
    const res = await w.t.call('metrics_balance_sheet_retrieve', { params, headers: w.donny });
    expect(res.status).toBe(200);
    expectSeed(res.body, sheet, ['table']);
    const [seedRow] = seedExample(sheet).response.table as Array<Row & { selector: string }>;
    expect(res.body.table).toHaveLength(1);
    expect(res.body.table[0]).toMatchObject({ key: seedRow!.key, selector: seedRow!.selector });
    expect(instants(res.body.table[0])).toEqual(instants(seedRow!));
    // Zero as the seed, at every point: the fixtures' charge of 2016-01-01 paid both order lines it invoiced, so
    // cowork has nothing left to receive.
    expect(numbers(res.body.table[0])).toEqual(numbers(seedRow!));
  });

  it('GET /api/metrics/balances/taxes/lines/ and .../lines/1/ answer the Sales row', async () => {
    const list = await w.t.call('metrics_balance_lines_list', { params, headers: w.donny });
    expect([list.status, list.body]).toEqual([200, seedExample('GET /api/metrics/balances/{report}/lines/').response]);
    const one = await w.t.call('metrics_balance_line_retrieve', { params: { ...params, rank: 1 }, headers: w.donny });
    expect([one.status, one.body]).toEqual([
      200,
      seedExample('GET /api/metrics/balances/{report}/lines/{rank}/').response,
    ]);
  });

  it('PUT /api/metrics/balances/taxes/lines/1/ writes it as it is', async () => {
    const ex = seedExample('PUT /api/metrics/balances/{report}/lines/{rank}/');
    const res = await w.t.call('metrics_balance_line_update', {
      params: { ...params, rank: 1 },
      headers: w.donny,
      body: ex.request!.body,
    });
    expect([res.status, res.body]).toEqual([200, ex.response]);
  });

  it('DELETE /api/metrics/balances/taxes/lines/1/ is 204; then POST .../lines/ adds it back (201)', async () => {
    const del = await w.t.call('metrics_balance_line_destroy', { params: { ...params, rank: 1 }, headers: w.donny });
    expect(del.status).toBe(204);
    expect(
      (await w.t.call('metrics_balance_line_retrieve', { params: { ...params, rank: 1 }, headers: w.donny })).status,
    ).toBe(404);
    const ex = seedExample('POST /api/metrics/balances/{report}/lines/');
    const res = await w.t.call('metrics_balance_lines_create', { params, headers: w.donny, body: ex.request!.body });
    // The seed prints 200; a create is 201 throughout the contract (reference "Status codes").
    expect([res.status, res.body]).toEqual([201, ex.response]);
    expect((await w.t.call('metrics_balance_lines_list', { params, headers: w.donny })).body.count).toBe(1);
  });
});
