/**
 * DjaoApp processor charges: the broker's list, one charge, its receipt e-mailed again, and refunds of its line items
 * with every rule (empty list, unknown line, charge not done, more than is left on a line, the provider's funds too
 * low), each refusal changing nothing, and a refund's effect read back through the history, transfers, balance and
 * funds. Built on the fixture charge ch_XAb124EF: xia paid cowork's lines 0 (30000 cents) and 1 (82120 cents).
 * Mock only: the scenarios need the fixtures, the clock and the admin API.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { needsStandin, onStandin } from '../support/target.ts';
import { post } from '../../server/apis/djaoapp/model/ledger.ts';
import { chargeCard } from '../../server/apis/djaoapp/model/payments.ts';
import {
  addOrganization,
  addPlan,
  billingWorldOfFile,
  describeAt,
  editState,
  orderLine,
  resetAt,
} from './billing-world.ts';
import { outbox } from './target.ts';
import { onePage } from './support/lists.ts';
import { coworkMetrics } from './support/metrics.ts';

const STANDIN_ONLY = 'ledger records and charges written through the admin API, and the outbox';

const NOW = '2018-07-01T00:00:00Z';
const charge = { organization: 'ch_XAb124EF' };
/** The fixture charge, as it answers while done. */
const CHARGE_DONE = { processor_key: 'ch_XAb124EF', amount: 112120, readable_amount: '$1121.20', state: 'done' };
const FORBIDDEN = { detail: 'You do not have permission to perform this action.' };
const w = await billingWorldOfFile();

/** What a refund could change, read back through the API: cowork's transfers, xia's history and balance. */
async function ledgerSeenThroughApi() {
  const { t, donny, xia } = w;
  const transfers = await t.call('billing_transfers_list', { params: { organization: 'cowork' }, headers: donny });
  const history = await t.call('billing_history_list', { params: { organization: 'xia' }, headers: xia });
  const balance = await t.call('billing_balance_retrieve', { params: { organization: 'xia' }, headers: xia });
  return { transfers: transfers.body, history: history.body, balance: balance.body };
}

/** A line of a refund: the charge's line item `num`, and how much of it to refund. */
const line = (num: unknown, refunded_amount: number) => ({ num, refunded_amount });

async function refund(lines: unknown, headers = w.donny) {
  return w.t.call('charges_refund', { params: charge, headers, body: { lines } });
}

/** Asks for donny's refund of `lines` and expects it refused: the status and the error answered. */
async function expectRefused(lines: unknown, status: number, error: unknown): Promise<void> {
  const res = await refund(lines);
  expect(res.status).toBe(status);
  expect(res.body).toEqual(error);
}

describeAt(w, 'the broker lists the charges', NOW, STANDIN_ONLY, () => {
  it('GET /api/billing/charges/ answers ch_XAb124EF and the sum of the charges listed', async () => {
    const res = await w.t.call('charges_list', { headers: w.donny });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      ...onePage(1),
      total: '112120',
      unit: 'usd',
      balance_amount: 112120,
      balance_unit: 'usd',
      start_at: null,
      ends_at: NOW,
    });
    expect(res.body.results).toEqual([
      {
        created_at: '2016-01-01T00:00:01Z',
        unit: 'usd',
        description: 'Charge for subscription to cowork open-space',
        last4: '1234',
        exp_date: '2016-06-01',
        ...CHARGE_DONE,
      },
    ]);
  });

  it('filters by dates and search terms; the total follows the filter', async () => {
    const later = await w.t.call('charges_list', { query: { start_at: '2016-01-02T00:00:00Z' }, headers: w.donny });
    expect(later.body).toMatchObject({
      count: 0,
      total: '0',
      balance_amount: 0,
      start_at: '2016-01-02T00:00:00Z',
      results: [],
    });
    const before = await w.t.call('charges_list', { query: { ends_at: '2016-01-01T00:00:01Z' }, headers: w.donny });
    expect(before.body.count).toBe(0);
    expect((await w.t.call('charges_list', { query: { q: 'open-space' }, headers: w.donny })).body.count).toBe(1);
    expect((await w.t.call('charges_list', { query: { q: 'xia' }, headers: w.donny })).body.count).toBe(1);
    expect((await w.t.call('charges_list', { query: { q: 'nothing-like-it' }, headers: w.donny })).body).toMatchObject({
      count: 0,
      total: '0',
    });
  });

  it("is for the broker's managers only", async () => {
    const res = await w.t.call('charges_list', { headers: w.xia });
    expect(res.status).toBe(403);
    expect(res.body).toEqual(FORBIDDEN);
  });
});

describeAt(w, 'one charge and its receipt', NOW, STANDIN_ONLY, () => {
  it("GET answers the charge to the broker's managers and to its customer, 403 to others, 404 for no such charge", async () => {
    const broker = await w.t.call('charges_retrieve', { params: charge, headers: w.alice });
    expect(broker.status).toBe(200);
    expect(broker.body).toMatchObject(CHARGE_DONE);
    expect((await w.t.call('charges_retrieve', { params: charge, headers: w.xia })).body).toEqual(broker.body);
    const other = await w.t.call('charges_retrieve', { params: charge, headers: w.joe });
    expect(other.status).toBe(403);
    const missing = await w.t.call('charges_retrieve', { params: { organization: 'ch_nothing' }, headers: w.donny });
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ detail: 'Not found.' });
  });

  it("POST .../email/ sends the receipt to the customer's address on file", async () => {
    const res = await w.t.call('charges_email', { params: charge, headers: w.donny });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ charge_id: 'ch_XAb124EF', email: 'xia@localhost.localdomain' });
    const sent = (await outbox(w.t)).filter((m) => m.template === 'charge_receipt');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.to).toEqual(['xia@localhost.localdomain']);
    expect(sent[0]!.body).toContain('ch_XAb124EF');
    expect(sent[0]!.body).toContain('$1121.20');
    expect((await w.t.call('charges_email', { params: charge, headers: w.joe })).status).toBe(403);
    expect((await outbox(w.t)).filter((m) => m.template === 'charge_receipt')).toHaveLength(1);
  });
});

describe('refunds refused: nothing is written', () => {
  beforeEach((ctx) => needsStandin(ctx, STANDIN_ONLY));
  let before: Awaited<ReturnType<typeof ledgerSeenThroughApi>>;
  beforeEach(
    onStandin(async () => {
      await resetAt(w.t, NOW);
      before = await ledgerSeenThroughApi();
    }),
  );

  it('no lines, or an empty list, is 400', async () => {
    const missing = await w.t.call('charges_refund', { params: charge, headers: w.donny, body: {} });
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({ lines: ['This field is required.'] });
    await expectRefused([], 400, { lines: ['This list may not be empty.'] });
    expect(await ledgerSeenThroughApi()).toEqual(before);
  });

  it("a num that is not one of the charge's line items is 400 on that item", async () => {
    await expectRefused([line(0, 100), line(2, 100)], 400, {
      lines: [{}, { num: ['Charge ch_XAb124EF has no line item 2.'] }],
    });
    await expectRefused([line('zero', 100)], 400, {
      lines: [{ num: ['A valid integer is required.'] }],
    });
    await expectRefused([line(0, 0)], 400, {
      lines: [{ refunded_amount: ['Ensure this value is greater than or equal to 1.'] }],
    });
    expect(await ledgerSeenThroughApi()).toEqual(before);
  });

  it("more than the line item's amount is 405, naming both amounts", async () => {
    await expectRefused([line(0, 30001)], 405, {
      detail: 'Cannot refund $300.01 while there is only $300.00 available on the line item.',
    });
  });

  it('two lines where the second asks too much: 405 and the first is not refunded either', async () => {
    await expectRefused([line(0, 4000), line(1, 82121)], 405, {
      detail: 'Cannot refund $821.21 while there is only $821.20 available on the line item.',
    });
    expect(await ledgerSeenThroughApi()).toEqual(before);
  });

  it('the same line twice adds up', async () => {
    await expectRefused([line(0, 20000), line(0, 10001)], 405, {
      detail: 'Cannot refund $300.01 while there is only $300.00 available on the line item.',
    });
  });

  it.each([
    ['created', 'pending'],
    ['failed', 'failed'],
    ['disputed', 'disputed'],
  ] as const)('a %s charge is 405 "You cannot refund a %s charge."', async (state, word) => {
    await editState(w.t, (djaoapp) => {
      djaoapp.charges[0]!.state = state;
    });
    await expectRefused([line(0, 100)], 405, { detail: `You cannot refund a ${word} charge.` });
    expect((await w.t.call('charges_retrieve', { params: charge, headers: w.donny })).body.state).toBe(state);
  });

  it("the provider's funds too low (paid out) is 405", async () => {
    await editState(w.t, (djaoapp) => {
      post(djaoapp, new Date('2018-06-01T00:00:00Z'), {
        descr: 'Payout',
        event_id: null,
        orig: ['cowork', 'Funds'],
        dest: ['cowork', 'Withdraw'],
        amount: 110000,
        unit: 'usd',
      });
    });
    const paidOut = await ledgerSeenThroughApi();
    expect(paidOut.transfers.balance_amount).toBe(2120);
    await expectRefused([line(0, 4000)], 405, {
      detail: 'Cannot refund $40.00: the funds of cowork are only $21.20.',
    });
    expect(await ledgerSeenThroughApi()).toEqual(paidOut);
  });

  it('the customer cannot refund herself; strangers neither', async () => {
    expect((await refund([line(0, 100)], w.xia)).body).toEqual(FORBIDDEN);
    expect((await refund([line(0, 100)], w.joe)).status).toBe(403);
    expect(
      (
        await w.t.call('charges_refund', {
          params: { organization: 'ch_nothing' },
          headers: w.donny,
          body: { lines: [line(0, 1)] },
        })
      ).status,
    ).toBe(404);
    expect(await ledgerSeenThroughApi()).toEqual(before);
  });
});

describeAt(w, 'a refund of two line items', NOW, STANDIN_ONLY, () => {
  it('answers the charge, still done with its amount, and what was refunded', async () => {
    const res = await refund([line(0, 4000), line(1, 82120)]);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject(CHARGE_DONE);
    expect(res.body.detail).toBe('$861.20 refunded successfully on charge ch_XAb124EF.');
    const { detail: _detail, ...chargeNow } = res.body;
    expect((await w.t.call('charges_retrieve', { params: charge, headers: w.donny })).body).toEqual(chargeNow);
  });

  it("cowork's transfers show the money taken back from its funds", async () => {
    const res = await w.t.call('billing_transfers_list', { params: { organization: 'cowork' }, headers: w.donny });
    expect(res.body).toMatchObject({ count: 4, balance_amount: 112120 - 86120, balance: 26000 });
    expect(res.body.results.slice(0, 2)).toEqual([
      expect.objectContaining({
        created_at: new Date(NOW).toISOString(),
        amount: '($821.20)',
        is_debit: true,
        orig_organization: 'cowork',
        orig_account: 'Funds',
        dest_organization: 'stripe',
        dest_account: 'Refund',
        orig_amount: 82120,
      }),
      expect.objectContaining({
        created_at: new Date(NOW).toISOString(),
        amount: '($40.00)',
        is_debit: true,
        orig_organization: 'cowork',
        orig_account: 'Funds',
        dest_organization: 'stripe',
        dest_account: 'Refund',
        orig_amount: 4000,
      }),
    ]);
  });

  it("xia's history shows the refunds to her card; she owes nothing more nor less", async () => {
    const history = await w.t.call('billing_history_list', { params: { organization: 'xia' }, headers: w.xia });
    expect(history.body.count).toBe(5);
    // As djaodjin writes a refund: out of xia's Refunded account into cowork's Refund account, not a debit to her.
    const refunds = history.body.results.filter((tx: any) => tx.orig_account === 'Refunded');
    expect(
      refunds.map((tx: any) => [
        tx.amount,
        tx.is_debit,
        tx.orig_organization,
        tx.dest_organization,
        tx.dest_account,
        tx.dest_amount,
      ]),
    ).toEqual([
      ['$821.20', false, 'xia', 'cowork', 'Refund', 82120],
      ['$40.00', false, 'xia', 'cowork', 'Refund', 4000],
    ]);
    expect(refunds[1].description).toBe(
      'Refund of $40.00 on charge ch_XAb124EF for Subscription to open-space until 2016/03/01 (2 months)',
    );
    expect(
      (await w.t.call('billing_balance_retrieve', { params: { organization: 'xia' }, headers: w.xia })).body,
    ).toEqual({ balance_amount: '0', balance_unit: 'usd' });
  });

  it("cowork's funds metrics count the refunds in the month they were made", async () => {
    const res = await coworkMetrics(w, 'metrics_funds', { ends_at: '2018-07-15T00:00:00Z' });
    expect(res.status).toBe(200);
    const refunds = res.body.table.find((row: any) => row.key === 'Refunds').values;
    expect(refunds.at(-1)).toEqual(['2018-07-15T00:00:00Z', 86120]);
    expect(refunds.slice(0, -1).every(([, cents]: [string, number]) => cents === 0)).toBe(true);
  });

  it('what is left on each line is what can still be refunded', async () => {
    await expectRefused([line(0, 26001)], 405, {
      detail: 'Cannot refund $260.01 while there is only $260.00 available on the line item.',
    });
    const none = await refund([line(1, 1)]);
    expect(none.body.detail).toBe('Cannot refund $0.01 while there is only $0.00 available on the line item.');
    const rest = await refund([line(0, 26000)]);
    expect(rest.status).toBe(200);
    expect(rest.body.detail).toBe('$260.00 refunded successfully on charge ch_XAb124EF.');
    const transfers = await w.t.call('billing_transfers_list', {
      params: { organization: 'cowork' },
      headers: w.donny,
    });
    expect(transfers.body.balance_amount).toBe(0);
  });
});

describe('a provider that is not the broker', () => {
  beforeEach((ctx) => needsStandin(ctx, STANDIN_ONLY));
  let gymCharge: { organization: string };
  beforeAll(
    onStandin(async () => {
      await resetAt(w.t, NOW);
      // joe1 manages gym, which sold xia a yoga pass paid by a charge on her card (cowork, the broker, hosts gym).
      await editState(w.t, (djaoapp) => {
        addOrganization(djaoapp, 'gym', 'Gym', { is_provider: true });
        djaoapp.roles.push({
          organization: 'gym',
          user: 'joe1',
          role_description: 'manager',
          grant_key: null,
          request_key: null,
          created_at: NOW,
        });
        addPlan(djaoapp, 'yoga', 'Yoga', { organization: 'gym', period_amount: 5000 });
        djaoapp.subscriptions.push({
          id: 50,
          organization: 'xia',
          plan: 'yoga',
          created_at: NOW,
          ends_at: '2018-08-01T00:00:00Z',
          auto_renew: false,
          description: null,
          extra: null,
          grant_key: null,
          request_key: null,
        });
        const line = orderLine(djaoapp, NOW, 'xia', 50, 5000, { provider: 'gym', plan: 'yoga' });
        gymCharge = {
          organization: chargeCard(djaoapp, new Date(NOW), 'xia', [line.id], {
            token: 'tok_visa',
            last4: '4242',
            exp_date: '12/2030',
            card_name: null,
          }).processor_key,
        };
      });
    }),
  );

  it('its managers read and refund the charges that paid it, and only those', async () => {
    expect((await w.t.call('charges_retrieve', { params: gymCharge, headers: w.joe })).status).toBe(200);
    expect((await w.t.call('charges_retrieve', { params: charge, headers: w.joe })).status).toBe(403);
    const res = await w.t.call('charges_refund', {
      params: gymCharge,
      headers: w.joe,
      body: { lines: [line(0, 5000)] },
    });
    expect(res.status).toBe(200);
    expect(res.body.detail).toBe(`$50.00 refunded successfully on charge ${gymCharge.organization}.`);
    const transfers = await w.t.call('billing_transfers_list', { params: { organization: 'gym' }, headers: w.joe });
    expect(transfers.body).toMatchObject({ count: 2, balance_amount: 0 });
    // cowork's funds are untouched: the refund came out of gym's.
    expect(
      (await w.t.call('billing_transfers_list', { params: { organization: 'cowork' }, headers: w.donny })).body
        .balance_amount,
    ).toBe(112120);
  });
});
