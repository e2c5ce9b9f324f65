/**
 * Consumer: a broker's billing page records what it needs from DjaoApp (contracts/pacts/billing-frontend-djaoapp.json):
 * the charges, a customer's history and balance due, one charge, a partial refund and a refused one. Provider: that
 * pact is verified against the mock (or PACT_PROVIDER_BASE_URL when it is a served Standin, whose admin API resets
 * the state). The tokens in the pact are examples: during verification the request filter signs in as the broker's
 * manager and sends its own.
 */
import { MatchersV3, type V3Request } from '@pact-foundation/pact';
import { expect } from 'vitest';
import { DjaoappBillingClient } from './djaoapp/billing-client.ts';
import { freshTokenFilter } from './djaoapp/fresh-token.ts';
import { instant, managerBearer as bearer, managerExampleToken as exampleToken } from './djaoapp/shared.ts';
import { answers, describePact, sends, type Interaction, type PactParties } from './consumer.ts';

const { eachLike, integer, regex, string } = MatchersV3;
const parties: PactParties = {
  consumer: 'billing-frontend',
  provider: 'djaoapp',
  state:
    'donny manages cowork, the broker; xia paid cowork 112120 cents with charge ch_XAb124EF (lines of 30000 and 82120)',
};
const json = 'application/json';
const charge = {
  processor_key: 'ch_XAb124EF',
  created_at: instant('2016-01-01T00:00:01Z'),
  amount: 112120,
  unit: 'usd',
  readable_amount: '$1121.20',
  state: 'done',
};
const year2016 = { start_at: '2016-01-01T00:00:00Z', ends_at: '2017-01-01T00:00:00Z' };

/** The manager's refund of part of a line item of the fixture charge. */
const refund = (line: { num: number; refunded_amount: number }): V3Request => ({
  method: 'POST',
  path: '/api/billing/charges/ch_XAb124EF/refund/',
  headers: { 'Content-Type': json, Authorization: bearer },
  body: { lines: [line] },
});

const interactions: Interaction[] = [
  {
    uponReceiving: 'a request for the charges',
    withRequest: sends('GET', '/api/billing/charges/', { headers: { Authorization: bearer } }),
    willRespondWith: answers(200, {
      count: integer(1),
      balance_amount: integer(112120),
      balance_unit: 'usd',
      results: eachLike({ ...charge, processor_key: string('ch_XAb124EF') }),
    }),
  },
  {
    uponReceiving: "a request for xia's history in 2016",
    withRequest: sends('GET', '/api/billing/xia/history/', { headers: { Authorization: bearer }, query: year2016 }),
    willRespondWith: answers(200, {
      count: 3,
      next: null,
      results: [
        {
          created_at: instant('2016-01-01T00:00:01Z'),
          description: string('Charge for subscription to cowork open-space'),
          amount: '($1121.20)',
          is_debit: true,
        },
        {
          created_at: instant('2016-01-01T00:00:00Z'),
          description: string('Subscription to open-space until 2016/08/01 (5 months)'),
          amount: '$821.20',
          is_debit: false,
        },
        {
          created_at: instant('2016-01-01T00:00:00Z'),
          description: string('Subscription to open-space until 2016/03/01 (2 months)'),
          amount: '$300.00',
          is_debit: false,
        },
      ],
    }),
  },
  {
    uponReceiving: "a request for xia's balance due",
    withRequest: sends('GET', '/api/billing/xia/balance/', { headers: { Authorization: bearer } }),
    willRespondWith: answers(200, { balance_amount: regex(/^\d+$/, '0'), balance_unit: 'usd' }),
  },
  {
    uponReceiving: 'a request for charge ch_XAb124EF',
    withRequest: sends('GET', '/api/billing/charges/ch_XAb124EF/', { headers: { Authorization: bearer } }),
    willRespondWith: answers(200, charge),
  },
  {
    uponReceiving: 'a request for a charge that does not exist',
    withRequest: sends('GET', '/api/billing/charges/ch_nothing/', { headers: { Authorization: bearer } }),
    willRespondWith: answers(404, { detail: 'Not found.' }),
  },
  {
    uponReceiving: 'a refund of $40.00 on line item 0 of ch_XAb124EF',
    withRequest: refund({ num: 0, refunded_amount: 4000 }),
    willRespondWith: answers(200, { ...charge, detail: '$40.00 refunded successfully on charge ch_XAb124EF.' }),
  },
  {
    uponReceiving: 'a refund of more than is left on line item 1 of ch_XAb124EF',
    withRequest: refund({ num: 1, refunded_amount: 90000 }),
    willRespondWith: answers(405, {
      detail: 'Cannot refund $900.00 while there is only $821.20 available on the line item.',
    }),
  },
];

describePact(parties, {
  client: 'the billing page',
  interactions,
  exercise: async (mock) => {
    const page = new DjaoappBillingClient(mock.url, exampleToken);
    const charge = {
      key: 'ch_XAb124EF',
      createdAt: '2016-01-01T00:00:01Z',
      amount: 112120,
      unit: 'usd',
      readable: '$1121.20',
      state: 'done',
    };
    const listed = await page.charges();
    expect(listed.total).toBe(112120);
    expect(listed.charges).toEqual([charge]);
    const history = await page.history('xia', year2016.start_at, year2016.ends_at);
    expect(history.map((e) => [e.amount, e.debit])).toEqual([
      ['($1121.20)', true],
      ['$821.20', false],
      ['$300.00', false],
    ]);
    expect(await page.balance('xia')).toEqual({ amount: 0, unit: 'usd' });
    expect(await page.charge('ch_XAb124EF')).toMatchObject({ key: 'ch_XAb124EF', state: 'done' });
    await expect(page.charge('ch_nothing')).rejects.toMatchObject({ status: 404 });
    expect(await page.refund('ch_XAb124EF', 0, 4000)).toEqual({
      charge,
      message: '$40.00 refunded successfully on charge ch_XAb124EF.',
    });
    await expect(page.refund('ch_XAb124EF', 1, 90000)).rejects.toMatchObject({
      status: 405,
      body: { detail: 'Cannot refund $900.00 while there is only $821.20 available on the line item.' },
    });
  },
  withoutPublicApi:
    "the state needs the fixture charge ch_XAb124EF and its ledger transactions, which djaodjin's public API cannot recreate as they are",
  requestFilter: (target) =>
    freshTokenFilter(target, process.env.DJAOAPP_MANAGER ?? 'donny', process.env.DJAOAPP_MANAGER_PASSWORD ?? 'yoyo'),
});
